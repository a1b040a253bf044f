using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Acms.Domain.Jobs;
using Acms.Tests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Acms.EndToEnd.Infrastructure;

/// <summary>
/// The app on the real Functions host, for a whole test collection: a private PostgreSQL database, Azurite on free ports,
/// and the host (<c>func start</c>, else the kit) running the build output of Acms.Functions with every setting passed
/// through the environment as local.settings.json would pass it. The function key is created the way an operator
/// creates one: the admin keys API, called with a master key chosen before the host starts (file key store).
/// Host output goes to <see cref="HostLogPath"/>; start-up times to <c>figures.txt</c> beside it.
/// Without a way to run the host every test is skipped, with one line saying why.
/// </summary>
public class FunctionsHost : IAsyncLifetime
{
    /// <summary>Every job's timer fires every 10 seconds in these tests (six-field NCRONTAB).</summary>
    public const string TestSchedule = "*/10 * * * * *";

    public const string FunctionKeyName = "e2e";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(5); // 4-5 s on a quiet machine; over 2 min seen on a busy 2-core one

    private readonly IMessageSink _sink;
    private readonly string _masterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly List<TimeSpan> _startTimes = [];
    private Azurite? _azurite;
    private ChildProcess? _host;
    private HostLauncher? _launcher;
    private int _port;

    public FunctionsHost(IMessageSink sink)
    {
        _sink = sink;
        OutputDirectory = Path.Combine(AppContext.BaseDirectory, "e2e", $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{RunId}");
    }

    /// <summary>Set when the host cannot run here; every test skips with it.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>This test run's id: in the host id, the output folder and the <c>ACMS_E2E_RUN_ID</c> setting.</summary>
    public string RunId { get; } = Guid.NewGuid().ToString("N")[..12];

    public string OutputDirectory { get; }

    public string HostLogPath => Path.Combine(OutputDirectory, "host.log");

    public static string AppDirectory => Path.GetDirectoryName(RepositoryFiles.FunctionsOutput("functions.metadata"))!;

    public TestDatabase Database { get; private set; } = null!;

    public Uri BaseAddress => new($"http://127.0.0.1:{_port}/");

    /// <summary>Sends the function key (<c>x-functions-key</c>) on every request.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>Sends no key.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    public string FunctionKey { get; private set; } = "";

    public string LauncherName => _launcher?.Name ?? "none";

    /// <summary>Seconds from starting the host process to the first 200 of a function route, per start.</summary>
    public IReadOnlyList<TimeSpan> StartTimes => _startTimes;

    /// <summary>The settings the host gets, as local.settings.json "Values" (and ConnectionStrings as <c>ConnectionStrings__NAME</c>).</summary>
    public IDictionary<string, string> Settings { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Call first in every test: skips it (one clear reason) when the host cannot run on this machine.</summary>
    public void RequireHost() => Skip.If(SkipReason is not null, SkipReason);

    /// <summary>Derived fixtures add or change settings here (called before the host first starts).</summary>
    protected virtual void Configure(IDictionary<string, string> settings)
    {
    }

    public async Task InitializeAsync()
    {
        _port = FreePorts.One();
        if (!File.Exists(Path.Combine(AppDirectory, "functions.metadata")))
        {
            throw new InvalidOperationException($"No Functions build output in {AppDirectory}: build Acms.Functions in {RepositoryFiles.Configuration} first.");
        }

        _launcher = HostLauncher.Find(AppDirectory, _port, out var whyNot);
        SkipReason = _launcher is null ? whyNot : Azurite.Unavailable();
        if (SkipReason is not null)
        {
            Say(SkipReason);
            return;
        }

        Directory.CreateDirectory(OutputDirectory);
        Database = await PostgresServer.CreateDatabaseAsync();
        _azurite = await Azurite.StartAsync(OutputDirectory, TimeSpan.FromMinutes(5));

        var secrets = Path.Combine(OutputDirectory, "secrets");
        Directory.CreateDirectory(secrets);
        await File.WriteAllTextAsync(Path.Combine(secrets, "host.json"), JsonSerializer.Serialize(new
        {
            masterKey = new { name = "master", value = _masterKey, encrypted = false },
            functionKeys = Array.Empty<object>(),
            systemKeys = Array.Empty<object>(),
        }));

        Settings["ConnectionStrings__Acms"] = Database.ConnectionString;
        Settings["Database__MigrateOnStart"] = "true";
        foreach (var job in JobDefinitions.InScheduleOrder)
        {
            Settings[job.ScheduleSetting] = TestSchedule;
            // One try per tick: a retry waits minutes inside the timer invocation, which the timer test watches end.
            Settings[$"Jobs__{job.Section}__MaxAttempts"] = "1";
        }

        // A killed host's lease goes stale in seconds, not minutes, so the restart test need not wait long.
        Settings["Jobs__Lease__Timeout"] = "00:00:06";
        Settings["Jobs__Lease__HeartbeatInterval"] = "00:00:02";
        // Small decay batches, so a handful of rows make several batches and a run's live progress can be watched.
        Settings["Jobs__Decay__BatchSize"] = "2";
        Settings["AzureWebJobsStorage"] = _azurite.ConnectionString;
        Settings["AzureWebJobsSecretStorageType"] = "files";
        Settings["FUNCTIONS_SECRETS_PATH"] = secrets;
        Settings["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        Settings["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development";
        // A host id of its own, so timer schedule state and singleton locks never meet another run's.
        Settings["AzureFunctionsWebHost__hostid"] = $"acms-e2e-{RunId}";
        Settings["ACMS_E2E_RUN_ID"] = RunId;
        Configure(Settings);

        Anonymous = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        await StartHostAsync();
    }

    /// <summary>Starts the host and waits until a function route answers 200 with the key (creating the key on first start).</summary>
    public async Task StartHostAsync()
    {
        if (_host is { HasExited: false })
        {
            throw new InvalidOperationException("The host is already running.");
        }

        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        var clock = Stopwatch.StartNew();
        _host = ChildProcess.Start(_launcher!.StartInfo(AppDirectory, Settings.AsReadOnly()), HostLogPath);

        using var admin = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        admin.DefaultRequestHeaders.Add("x-functions-key", _masterKey);
        await WaitAsync("the host to report Running", async () =>
        {
            using var response = await admin.GetAsync(new Uri("admin/host/status", UriKind.Relative));
            return response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains("\"Running\"", StringComparison.Ordinal);
        });

        if (FunctionKey.Length == 0)
        {
            // As `az functionapp keys set` does: a named host key, generated by the host, usable on every Function-level route.
            using var created = await admin.PostAsync(new Uri($"admin/host/keys/{FunctionKeyName}", UriKind.Relative), null);
            created.EnsureSuccessStatusCode();
            FunctionKey = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").GetString()!;
            Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
            Client.DefaultRequestHeaders.Add("x-functions-key", FunctionKey);
        }

        await WaitAsync("the functions to answer", async () =>
        {
            using var response = await Client.GetAsync(new Uri("api/v2/jobs/status", UriKind.Relative));
            return response.StatusCode == HttpStatusCode.OK;
        });

        _startTimes.Add(clock.Elapsed);
        var line = $"Functions host ({_launcher.Name}) ready in {clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s on {BaseAddress} (start {_startTimes.Count}); log {HostLogPath}";
        Say(line);
        await File.AppendAllTextAsync(Path.Combine(OutputDirectory, "figures.txt"), line + Environment.NewLine);
    }

    /// <summary>Kills the host and its worker at once (SIGKILL), as a crash or a lost machine would; nothing gets to clean up.</summary>
    public void KillHost() => _host?.Kill();

    /// <summary>Stops the host the way the platform does (SIGTERM; the host stops its worker).</summary>
    public async Task StopHostAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>The host's output so far.</summary>
    public string HostLog()
    {
        using var stream = new FileStream(HostLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private async Task WaitAsync(string what, Func<Task<bool>> ready)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_host!.HasExited)
            {
                throw new InvalidOperationException($"The Functions host exited while waiting for {what}; see {HostLogPath}:{Environment.NewLine}{Tail()}");
            }

            try
            {
                if (await ready())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // a slow answer while the host starts
            }

            if (clock.Elapsed > ReadyTimeout)
            {
                throw new InvalidOperationException($"Timed out after {ReadyTimeout} waiting for {what}; see {HostLogPath}:{Environment.NewLine}{Tail()}");
            }

            await Task.Delay(250);
        }
    }

    private string Tail() => string.Join(Environment.NewLine, HostLog().Split('\n').TakeLast(40));

    private void Say(string message) => _sink.OnMessage(new DiagnosticMessage(message));

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        Client?.Dispose();
        Anonymous?.Dispose();
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }
}

/// <summary>The collection every end-to-end test belongs to: one host, tests run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class FunctionsHostCollection : ICollectionFixture<FunctionsHost>
{
    public const string Name = "Functions host";
}

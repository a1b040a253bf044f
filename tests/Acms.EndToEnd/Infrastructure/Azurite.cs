using System.Diagnostics;
using System.Net.Sockets;

namespace Acms.EndToEnd.Infrastructure;

/// <summary>Azurite on three free ports with a fresh data folder, started with the kit's <c>azurite.sh</c> (timers keep their schedule state in it).</summary>
public sealed class Azurite : IAsyncDisposable
{
    // Azurite's well-known development account: public, the same on every machine.
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly ChildProcess _process;

    private Azurite(ChildProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{Port + 1}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{Port + 2}/devstoreaccount1;";

    /// <summary>Why Azurite cannot be started here, or null: the kit's <c>azurite.sh</c> or an <c>azurite</c> on PATH is needed.</summary>
    public static string? Unavailable() =>
        File.Exists(KitScript) || HostLauncher.FindOnPath("azurite") is not null
            ? null
            : $"End-to-end tests skipped: no Azurite (neither {KitScript} nor 'azurite' on PATH; npm install -g azurite).";

    private static string KitScript => Path.Combine(HostLauncher.KitDirectory, "azurite.sh");

    /// <summary>Starts Azurite and waits until its blob port accepts connections (the kit's first use installs it with npm: allow minutes).</summary>
    public static async Task<Azurite> StartAsync(string outputDirectory, TimeSpan timeout)
    {
        var port = FreePorts.Range(3);
        var data = Path.Combine(outputDirectory, "azurite-data");
        ProcessStartInfo start;
        if (File.Exists(KitScript))
        {
            start = new ProcessStartInfo("bash") { WorkingDirectory = outputDirectory, ArgumentList = { KitScript, data } };
            start.Environment["AZURITE_PORT"] = P(port);
        }
        else
        {
            Directory.CreateDirectory(data);
            start = new ProcessStartInfo(HostLauncher.FindOnPath("azurite")!)
            {
                WorkingDirectory = outputDirectory,
                ArgumentList =
                {
                    "--location", data, "--blobHost", "127.0.0.1", "--blobPort", P(port), "--queueHost", "127.0.0.1", "--queuePort", P(port + 1),
                    "--tableHost", "127.0.0.1", "--tablePort", P(port + 2), "--skipApiVersionCheck", "--loose",
                },
            };
        }

        var process = ChildProcess.Start(start, Path.Combine(outputDirectory, "azurite.log"));
        var azurite = new Azurite(process, port);

        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return azurite;
            }
            catch (SocketException) when (clock.Elapsed < timeout && !process.HasExited)
            {
                await Task.Delay(250);
            }
            catch (SocketException)
            {
                await azurite.DisposeAsync();
                throw new InvalidOperationException($"Azurite did not listen on {port} within {timeout} (see {process.LogPath}).");
            }
        }
    }

    private static string P(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}

using Acms.Functions.Access;
using Acms.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Acms.Tests.Functions;

/// <summary>A principal header is trusted only when App Service says authentication is on; otherwise it is ignored and logged without its content.</summary>
public sealed class PlatformAuthenticationTests
{
    private sealed class RecordingLogger : ILogger<PlatformAuthentication>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }

    private static (PlatformAuthentication Platform, RecordingLogger Log) Create(string? enabled)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [PlatformAuthentication.EnabledSetting] = enabled }).Build();
        var log = new RecordingLogger();
        return (new PlatformAuthentication(configuration, log), log);
    }

    private static HttpRequest Request(string? header)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = "/api/signed-in/v2/reports";
        if (header is not null)
        {
            context.Request.Headers["X-MS-CLIENT-PRINCIPAL"] = header;
        }

        return context.Request;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("false")]
    [InlineData("1")]
    public void A_spoofed_principal_without_platform_authentication_is_ignored_and_logged_without_its_content(string? enabled)
    {
        var (platform, log) = Create(enabled);
        var header = Principals.Header("oid-attacker", "victim@example.org", "Victim Name", "Acms.Admin");

        Assert.False(platform.TryGetPrincipal(Request(header), out _));
        var warning = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("WEBSITE_AUTH_ENABLED", warning.Message);
        Assert.DoesNotContain(header, warning.Message);
        Assert.DoesNotContain("victim", warning.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("True")]
    [InlineData("true")]
    [InlineData(" TRUE ")]
    public void With_platform_authentication_on_the_principal_is_read(string enabled)
    {
        var (platform, log) = Create(enabled);

        Assert.True(platform.TryGetPrincipal(Request(Principals.Header("oid-1", "a@example.org")), out var principal));
        Assert.Equal("oid-1", principal.ObjectId);
        Assert.Empty(log.Entries);
    }

    [Fact]
    public void No_header_is_no_principal_and_no_warning_and_a_malformed_one_is_refused()
    {
        var (platform, log) = Create("True");

        Assert.False(platform.TryGetPrincipal(Request(null), out _));
        Assert.Empty(log.Entries);
        Assert.False(platform.TryGetPrincipal(Request("%%%"), out _));
        Assert.Equal(LogLevel.Warning, Assert.Single(log.Entries).Level);
    }
}

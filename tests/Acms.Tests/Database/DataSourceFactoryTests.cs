using Acms.Domain.Database;

namespace Acms.Tests.Database;

public sealed class DataSourceFactoryTests
{
    [Theory]
    [InlineData("Host=acms.postgres.database.azure.com;Database=acms;Username=id-acms", DatabaseAuthentication.Auto, true)]
    [InlineData("Host=acms.postgres.database.azure.com;Database=acms;Username=u;Password=p", DatabaseAuthentication.Auto, false)]
    [InlineData("Host=localhost;Database=acms;Username=acms", DatabaseAuthentication.Auto, false)]
    [InlineData("Host=pg.internal.contoso.com;Database=acms;Username=id-acms", DatabaseAuthentication.EntraId, true)]
    [InlineData("Host=acms.postgres.database.azure.com;Database=acms;Username=u", DatabaseAuthentication.Password, false)]
    public void Entra_id_tokens_are_used_for_azure_postgres_without_a_password_or_when_asked_for(string connectionString, DatabaseAuthentication mode, bool expected)
    {
        Assert.Equal(expected, AcmsDataSourceFactory.UsesEntraId(new DatabaseOptions { ConnectionString = connectionString, Authentication = mode }));
    }

    [Fact]
    public async Task The_entra_token_becomes_the_connection_password_for_the_postgres_audience()
    {
        var credential = new RecordingCredential();
        await using var dataSource = AcmsDataSourceFactory.Create(
            new DatabaseOptions { ConnectionString = "Host=127.0.0.1;Port=1;Database=acms;Username=id-acms;Timeout=1", Authentication = DatabaseAuthentication.EntraId },
            credential);

        // The periodic provider fetches a token for the first physical connection; the connection itself then fails (no
        // server on port 1). With the thread pool busy (tests run in parallel) the 1 s connect timeout can expire before
        // the provider's first fetch has run, so the fetch is awaited rather than assumed done when the open fails.
        await Assert.ThrowsAnyAsync<Exception>(async () => await dataSource.OpenConnectionAsync());

        Assert.Equal([AcmsDataSourceFactory.EntraScope], await credential.FirstScopes.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private sealed class RecordingCredential : Azure.Core.TokenCredential
    {
        public TaskCompletionSource<string[]> FirstScopes { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Azure.Core.AccessToken GetToken(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override ValueTask<Azure.Core.AccessToken> GetTokenAsync(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            FirstScopes.TrySetResult(requestContext.Scopes);
            return ValueTask.FromResult(new Azure.Core.AccessToken("token", DateTimeOffset.UtcNow.AddHours(1)));
        }
    }
}

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

        // The periodic provider fetches a token before the first physical connection; the connection itself then fails (no server on port 1).
        await Assert.ThrowsAnyAsync<Exception>(async () => await dataSource.OpenConnectionAsync());

        Assert.Equal([AcmsDataSourceFactory.EntraScope], credential.Scopes);
    }

    private sealed class RecordingCredential : Azure.Core.TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override Azure.Core.AccessToken GetToken(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override ValueTask<Azure.Core.AccessToken> GetTokenAsync(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            lock (Scopes)
            {
                if (Scopes.Count == 0)
                {
                    Scopes.AddRange(requestContext.Scopes);
                }
            }

            return ValueTask.FromResult(new Azure.Core.AccessToken("token", DateTimeOffset.UtcNow.AddHours(1)));
        }
    }
}

using Azure.Core;
using Azure.Identity;
using Npgsql;

namespace Acms.Domain.Database;

/// <summary>Builds the one <see cref="NpgsqlDataSource"/> of the process, passwordless on Azure.</summary>
public static class AcmsDataSourceFactory
{
    /// <summary>The token audience of Azure Database for PostgreSQL.</summary>
    public const string EntraScope = "https://ossrdbms-aad.database.windows.net/.default";

    public static NpgsqlDataSource Create(DatabaseOptions options, TokenCredential? credential = null)
    {
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        var csb = builder.ConnectionStringBuilder;
        csb.ApplicationName ??= "acms-jobs";
        csb.Timezone ??= "UTC";
        csb.CommandTimeout = options.CommandTimeoutSeconds;

        if (UsesEntraId(options))
        {
            credential ??= new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) ? null : options.ManagedIdentityClientId,
            });
            builder.UsePeriodicPasswordProvider(
                async (_, ct) => (await credential.GetTokenAsync(new TokenRequestContext([EntraScope]), ct)).Token,
                successRefreshInterval: TimeSpan.FromMinutes(50),
                failureRefreshInterval: TimeSpan.FromSeconds(10));
        }

        return builder.Build();
    }

    /// <summary>Whether the connection authenticates with an Entra ID access token instead of a password.</summary>
    public static bool UsesEntraId(DatabaseOptions options)
    {
        var csb = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        return options.Authentication switch
        {
            DatabaseAuthentication.EntraId => true,
            DatabaseAuthentication.Password => false,
            _ => string.IsNullOrEmpty(csb.Password)
                 && csb.Host is { } host
                 && host.Split(',').All(h => h.Trim().EndsWith(".postgres.database.azure.com", StringComparison.OrdinalIgnoreCase)),
        };
    }
}

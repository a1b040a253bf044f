using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Acms.Domain.Privacy;

/// <summary>
/// The deployment's insight-key secret: <see cref="PrivacyOptions.InsightKeySecret"/> when set, else 32 random bytes
/// generated once and kept in <c>acms_deployment_secrets</c> (the first process to need it writes it; every process
/// reads the same row). Cached for the life of the process. Never logged.
/// </summary>
public sealed class DeploymentSecrets(IOptions<PrivacyOptions> options)
{
    private const string InsightKeyName = "insight_key";

    // A conflicting insert by another process is waited for, but the statement's snapshot predates it: read again.
    private const string EnsureSql = """
        WITH created AS (
            INSERT INTO acms_deployment_secrets (name, secret) VALUES (@Name, @Secret)
            ON CONFLICT (name) DO NOTHING
            RETURNING secret
        )
        SELECT secret FROM created
        UNION ALL
        SELECT secret FROM acms_deployment_secrets WHERE name = @Name
        LIMIT 1
        """;

    private InsightKeyer? _keyer;

    public async Task<InsightKeyer> InsightKeyerAsync(NpgsqlConnection connection, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        if (_keyer is { } cached)
        {
            return cached;
        }

        byte[] secret;
        if (options.Value.InsightKeySecret is { Length: > 0 } configured)
        {
            secret = Encoding.UTF8.GetBytes(configured);
        }
        else
        {
            var command = new CommandDefinition(EnsureSql, new { Name = InsightKeyName, Secret = RandomNumberGenerator.GetBytes(32) }, transaction, cancellationToken: cancellationToken);
            secret = await connection.ExecuteScalarAsync<byte[]?>(command)
                ?? await connection.ExecuteScalarAsync<byte[]?>(command)
                ?? throw new InvalidOperationException("The deployment's insight key could not be stored.");
        }

        return _keyer = new InsightKeyer(secret);
    }
}

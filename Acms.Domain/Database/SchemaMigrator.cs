using System.Reflection;
using System.Text;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Acms.Domain.Database;

/// <summary>
/// Applies the embedded migrations in order, each in its own transaction, recorded in <c>acms_schema_migrations</c>.
/// Safe to run twice and concurrently: a session advisory lock serialises migrators.
/// </summary>
public sealed class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger)
{
    private const int MigrationLockClass = 0x41434D4D; // 'ACMM'

    private const string JournalSql = """
        CREATE TABLE IF NOT EXISTS acms_schema_migrations (
            version    INT PRIMARY KEY,
            name       TEXT NOT NULL,
            checksum   VARCHAR(64) NOT NULL,
            applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )
        """;

    public static IReadOnlyList<Migration> All { get; } = LoadEmbedded();

    public async Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@Class, 0)", new { Class = MigrationLockClass }, cancellationToken: cancellationToken));
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(JournalSql, cancellationToken: cancellationToken));
            var applied = (await connection.QueryAsync<(int Version, string Checksum)>(
                new CommandDefinition("SELECT version, checksum FROM acms_schema_migrations", cancellationToken: cancellationToken)))
                .ToDictionary(r => r.Version, r => r.Checksum);

            var newlyApplied = new List<Migration>();
            foreach (var migration in All)
            {
                if (applied.TryGetValue(migration.Version, out var checksum))
                {
                    if (checksum != migration.Checksum)
                    {
                        throw new InvalidOperationException(
                            $"Migration {migration.Version:D4}_{migration.Name} was changed after it was applied (checksum {checksum} in the journal, {migration.Checksum} now). Add a new migration instead.");
                    }
                    continue;
                }

                await using var tx = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: tx, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO acms_schema_migrations (version, name, checksum) VALUES (@Version, @Name, @Checksum)",
                    new { migration.Version, migration.Name, migration.Checksum }, tx, cancellationToken: cancellationToken));
                await tx.CommitAsync(cancellationToken);
                logger.LogInformation("Applied migration {Version} {Name}", migration.Version, migration.Name);
                newlyApplied.Add(migration);
            }

            return newlyApplied;
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@Class, 0)", new { Class = MigrationLockClass });
        }
    }

    private static List<Migration> LoadEmbedded()
    {
        const string prefix = "Acms.Migrations.";
        var assembly = Assembly.GetExecutingAssembly();
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var fileName = Path.GetFileNameWithoutExtension(resource[prefix.Length..]);
            var separator = fileName.IndexOf('_', StringComparison.Ordinal);
            var version = int.Parse(fileName[..separator], System.Globalization.CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            migrations.Add(new Migration(version, fileName[(separator + 1)..], reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        if (migrations.Select(m => m.Version).Distinct().Count() != migrations.Count)
        {
            throw new InvalidOperationException("Two embedded migrations share a version number.");
        }

        return migrations;
    }
}

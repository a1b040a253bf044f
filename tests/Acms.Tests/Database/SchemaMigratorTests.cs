using Acms.Domain.Database;
using Acms.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace Acms.Tests.Database;

public sealed class SchemaMigratorTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await PostgresServer.CreateDatabaseAsync(migrated: false);

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private SchemaMigrator Migrator() => new(_db.DataSource, NullLogger<SchemaMigrator>.Instance);

    private async Task<List<string>> ColumnsAsync(string table)
    {
        await using var connection = await _db.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<string>(
            "SELECT column_name FROM information_schema.columns WHERE table_name = @table ORDER BY ordinal_position", new { table })).AsList();
    }

    [Fact]
    public async Task Migrating_an_empty_database_creates_the_acms_tables_and_records_every_script()
    {
        var applied = await Migrator().MigrateAsync(CancellationToken.None);

        Assert.Equal(SchemaMigrator.All.Count, applied.Count);
        Assert.Contains("crs_score", await ColumnsAsync("memory_items"));
        Assert.Contains("last_decayed_at", await ColumnsAsync("memory_items"));
        Assert.Contains("from_cache", await ColumnsAsync("query_history"));
        Assert.Contains("outcome_type", await ColumnsAsync("outcomes"));
        Assert.Contains("affected_count", await ColumnsAsync("job_runs"));
        await using var connection = await _db.DataSource.OpenConnectionAsync();
        Assert.Equal(SchemaMigrator.All.Count, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM acms_schema_migrations"));
    }

    [Fact]
    public async Task Migrating_twice_applies_nothing_the_second_time()
    {
        await Migrator().MigrateAsync(CancellationToken.None);

        Assert.Empty(await Migrator().MigrateAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_migrations_apply_each_script_exactly_once()
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Migrator().MigrateAsync(CancellationToken.None)));

        Assert.Equal(SchemaMigrator.All.Count, runs.Sum(r => r.Count));
    }

    [Fact]
    public async Task An_existing_acms_database_keeps_its_rows_and_columns_the_service_does_not_know()
    {
        var user = Guid.NewGuid();
        await using (var connection = await _db.DataSource.OpenConnectionAsync())
        {
            // An ACMS install as its own migrations left it, plus a column added later that this service has never heard of.
            await connection.ExecuteAsync("""
                CREATE TABLE users (user_id UUID PRIMARY KEY, username VARCHAR(255) NOT NULL UNIQUE, email VARCHAR(255) UNIQUE,
                    display_name VARCHAR(255), is_active BOOLEAN NOT NULL DEFAULT true, is_admin BOOLEAN NOT NULL DEFAULT false,
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now(), updated_at TIMESTAMPTZ NOT NULL DEFAULT now(), last_login TIMESTAMPTZ,
                    metadata_json JSON NOT NULL DEFAULT '{}');
                CREATE TABLE memory_items (memory_id UUID PRIMARY KEY, user_id UUID NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
                    content TEXT NOT NULL, content_hash VARCHAR(64) NOT NULL, tier VARCHAR(20) NOT NULL DEFAULT 'SHORT',
                    crs_score FLOAT NOT NULL DEFAULT 0.0, outcome_score FLOAT NOT NULL DEFAULT 0.0, frequency_score FLOAT NOT NULL DEFAULT 0.0,
                    access_count INT NOT NULL DEFAULT 0, last_accessed TIMESTAMPTZ, created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(), privacy_level VARCHAR(20) NOT NULL DEFAULT 'INTERNAL',
                    tags VARCHAR[] NOT NULL DEFAULT '{}', embedding_model TEXT DEFAULT 'ada-002',
                    CONSTRAINT uq_user_content_hash UNIQUE (user_id, content_hash));
                INSERT INTO users (user_id, username) VALUES (@user, 'legacy');
                INSERT INTO memory_items (memory_id, user_id, content, content_hash, crs_score, embedding_model)
                VALUES (gen_random_uuid(), @user, 'kept', 'h', 0.7, 'text-embedding-3-large');
                """, new { user });
        }

        await Migrator().MigrateAsync(CancellationToken.None);

        await using var check = await _db.DataSource.OpenConnectionAsync();
        var row = await check.QuerySingleAsync<(string Content, double Crs, string Model, DateTime? LastDecayedAt)>(
            "SELECT content, crs_score, embedding_model, last_decayed_at FROM memory_items");
        Assert.Equal(("kept", 0.7, "text-embedding-3-large", (DateTime?)null), row);
        Assert.Contains("embedding_model", await ColumnsAsync("memory_items"));
        Assert.DoesNotContain("semantic_score", await ColumnsAsync("memory_items")); // an existing table is never altered beyond additions we own
        Assert.Contains("last_decayed_at", await ColumnsAsync("memory_items"));
    }

    [Fact]
    public async Task A_changed_migration_is_refused_rather_than_silently_skipped()
    {
        await Migrator().MigrateAsync(CancellationToken.None);
        await using (var connection = await _db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE acms_schema_migrations SET checksum = 'edited' WHERE version = 1");
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Migrator().MigrateAsync(CancellationToken.None));
        Assert.Contains("was changed after it was applied", error.Message);
    }
}

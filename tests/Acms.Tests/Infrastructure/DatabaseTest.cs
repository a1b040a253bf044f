namespace Acms.Tests.Infrastructure;

/// <summary>A test class whose every test gets a fresh, migrated database of the shared test server.</summary>
public abstract class DatabaseTest : IAsyncLifetime
{
    protected TestDatabase Db { get; private set; } = null!;

    public virtual async Task InitializeAsync() => Db = await PostgresServer.CreateDatabaseAsync();

    public virtual async Task DisposeAsync() => await Db.DisposeAsync();
}

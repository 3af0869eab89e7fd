using Npgsql;

namespace SiteSync.Testing;

/// <summary>A fresh, empty database for one test: a SQLite file in a temp directory, or a new PostgreSQL database on the
/// server named by <c>SITESYNC_TEST_POSTGRES</c>. Without that variable PostgreSQL tests are skipped locally and fail
/// under <c>CI=true</c>, so a broken CI setup cannot hide as skipped tests.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _adminConnectionString;
    private readonly string? _databaseName;

    private TestDatabase(Engine engine, string connectionString, string directory, string? adminConnectionString, string? databaseName)
    {
        Engine = engine;
        ConnectionString = connectionString;
        Directory = directory;
        _adminConnectionString = adminConnectionString;
        _databaseName = databaseName;
    }

    public Engine Engine { get; }
    public string ConnectionString { get; }

    /// <summary>What the shared <see cref="CentralFactory"/> needs to run central on this database.</summary>
    public CentralStorage Storage => new(Engine == Engine.Postgres ? "postgres" : "sqlite", ConnectionString, Directory);

    /// <summary>The PostgreSQL database's name and a connection string to the server's maintenance database, to act on the
    /// database from outside (take it away, look at it as an operator would); null on SQLite.</summary>
    public string? PostgresName => _databaseName;

    public string? PostgresAdminConnectionString => _adminConnectionString;

    /// <summary>A scratch directory owned by this test (SQLite file, data directory).</summary>
    public string Directory { get; }

    public static string? PostgresConnectionString => Environment.GetEnvironmentVariable("SITESYNC_TEST_POSTGRES");

    public static async Task<TestDatabase> CreateAsync(Engine engine, CancellationToken cancellationToken)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("sitesync-test-").FullName;
        if (engine == Engine.Sqlite)
        {
            return new TestDatabase(engine, $"Data Source={Path.Combine(directory, "central.db")};Pooling=True", directory, null, null);
        }

        var admin = PostgresConnectionString;
        if (string.IsNullOrEmpty(admin))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException("CI=true but SITESYNC_TEST_POSTGRES is not set: PostgreSQL tests cannot run. Use ./test.sh.");
            }
            Assert.Skip("SITESYNC_TEST_POSTGRES is not set (./test.sh starts a PostgreSQL cluster and sets it).");
        }
        var name = $"sitesync_t_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 30 };
        return new TestDatabase(engine, builder.ConnectionString, directory, admin, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_adminConnectionString is not null && _databaseName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_databaseName} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a closing server; the temp directory is cleaned by the OS later.
        }
    }
}

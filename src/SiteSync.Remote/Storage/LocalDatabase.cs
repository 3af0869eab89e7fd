using System.Data.Common;
using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SiteSync.Remote.Storage;

/// <summary>The SQLite file of one remote site: hands out short-lived contexts with the connection settings every write
/// depends on, and applies the migrations.</summary>
internal sealed class LocalDatabase
{
    public const string FileName = "sitesync-remote.db";

    /// <summary>The page cache of a sync cycle's connection, in KiB (SQLite's default is 2 MiB): a page of 5,000 buffered
    /// records touches pages all over the buffer's key index, and integration reads the whole buffer.</summary>
    internal const int CycleCacheKiB = 16 * 1024;

    private readonly string _connectionString;
    private readonly SqliteConnection? _pinned;
    private DbContextOptions<RemoteDbContext>? _options;

    public LocalDatabase(string dataDirectory)
    {
        DataDirectory = Path.GetFullPath(dataDirectory);
        FilePath = Path.Combine(DataDirectory, FileName);
        _connectionString = ConnectionString(FilePath);
    }

    private LocalDatabase(LocalDatabase database, SqliteConnection pinned)
    {
        DataDirectory = database.DataDirectory;
        FilePath = database.FilePath;
        _connectionString = database._connectionString;
        _pinned = pinned;
    }

    public string DataDirectory { get; }

    public string FilePath { get; }

    public bool Exists => File.Exists(FilePath);

    /// <summary>An EF Core context for the reads of the status and records commands. The sync cycle does not use one (see
    /// <see cref="OpenConnectionAsync"/>): a process's first context builds EF Core's model and services, which costs a
    /// fresh <c>sitesync remote sync</c> process more than the whole cycle.</summary>
    public RemoteDbContext CreateContext() =>
        new(_options ??= Configure(new DbContextOptionsBuilder<RemoteDbContext>(), FilePath).Options);

    /// <summary>Opens one connection for a sync cycle and a view of the database whose every statement runs on it, one after
    /// another (the cycle is sequential). Dispose the result to close it.</summary>
    /// <remarks>One connection instead of one per statement group: its page cache stays warm from page to page and into the
    /// integration (a new connection starts with an empty cache and reads the buffer's index back from disk), and SQLite
    /// checkpoints the WAL into the database file when the last connection closes, so closing after every page, cursor and
    /// log line added a checkpoint, with its own fsync, to each. The cycle's close checkpoints what is left: between cycles
    /// the database file alone holds everything, as before.</remarks>
    public async Task<CycleDatabase> PinAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size=-{CycleCacheKiB};");
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new CycleDatabase(new LocalDatabase(this, connection), connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The connection a statement group runs on: the cycle's (not owned) when this view is pinned, else a new one
    /// (owned: the caller closes it).</summary>
    internal async Task<(SqliteConnection Connection, bool Owned)> ConnectAsync(CancellationToken cancellationToken) =>
        _pinned is not null ? (_pinned, false) : (await OpenConnectionAsync(cancellationToken), true);

    /// <summary>Opens a connection to the database with the connection settings every statement depends on (WAL, FULL sync,
    /// the busy timeout), as ADO.NET only.</summary>
    public async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = SqlitePragmas.Text();
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates the directory and database if needed and applies pending migrations (the remote owns its database,
    /// like the Open mSupply client, which migrates its own database at start).</summary>
    /// <remarks>EF Core's migration lock on SQLite is a row in <c>__EFMigrationsLock</c>, taken by every <c>Migrate</c> call
    /// and deleted at its end; a process killed in between (a power cut at a clinic) leaves the row, and every later
    /// <c>Migrate</c> waits for it for ever (dotnet/efcore#38958). So: no lock at all when nothing is pending (every sync but
    /// the first after an upgrade), and a lock older than <see cref="StaleMigrationLock"/> is a dead process's, removed.</remarks>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(DataDirectory);
        if (await IsMigratedAsync(cancellationToken))
        {
            return;
        }

        await using var db = CreateContext();
        if (!(await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
        {
            return;
        }
        await RemoveStaleMigrationLockAsync(db, cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>Whether every migration of this build is in the history table, read without EF Core (the same question
    /// <c>GetPendingMigrations</c> answers, minus building the model: a fresh process's sync pays nothing for it).</summary>
    private async Task<bool> IsMigratedAsync(CancellationToken cancellationToken)
    {
        if (!Exists)
        {
            return false;
        }

        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = LocalSql.AppliedMigrations;
        var applied = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetString(0));
            }
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == 1)
        {
            return false; // SQLITE_ERROR: no history table yet.
        }

        return MigrationIds.Value.All(applied.Contains);
    }

    /// <summary>The ids of this build's migrations, from their attributes, as EF Core's migrations assembly finds them.</summary>
    internal static readonly Lazy<IReadOnlyList<string>> MigrationIds = new(() =>
        [.. typeof(RemoteDbContext).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<DbContextAttribute>()?.ContextType == typeof(RemoteDbContext))
            .Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Id)
            .OfType<string>()
            .Order(StringComparer.Ordinal)]);

    /// <summary>How old a migration lock must be to belong to a process that died: far longer than any of our migrations.</summary>
    public static readonly TimeSpan StaleMigrationLock = TimeSpan.FromMinutes(2);

    private static async Task RemoveStaleMigrationLockAsync(RemoteDbContext db, CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var exists = connection.CreateCommand();
            exists.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsLock'";
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                return;
            }
            await using var read = connection.CreateCommand();
            read.CommandText = "SELECT \"Timestamp\" FROM \"__EFMigrationsLock\" WHERE \"Id\" = 1";
            if (await read.ExecuteScalarAsync(cancellationToken) is not string taken
                || !DateTimeOffset.TryParse(taken, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
                || DateTimeOffset.UtcNow - at < StaleMigrationLock)
            {
                return; // No lock, or a live process's: EF waits for it as designed.
            }
            await using var remove = connection.CreateCommand();
            remove.CommandText = "DELETE FROM \"__EFMigrationsLock\" WHERE \"Id\" = 1 AND \"Timestamp\" = $taken";
            remove.Parameters.AddWithValue("$taken", taken);
            await remove.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    internal static DbContextOptionsBuilder<RemoteDbContext> Configure(DbContextOptionsBuilder<RemoteDbContext> builder, string filePath) =>
        builder.UseSqlite(ConnectionString(filePath)).AddInterceptors(SqlitePragmas.Instance);

    private static string ConnectionString(string filePath) => new SqliteConnectionStringBuilder
    {
        DataSource = filePath,
        // No pool: a process may be killed at any point and a test deletes the directory afterwards; an open costs little
        // next to an fsync per commit.
        Pooling = false,
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>Every connection: WAL (a reader never blocks the writer), FULL sync (an acknowledgement sent to central
    /// depends on the commit surviving power loss), and a busy timeout (a second process waits instead of failing).</summary>
    /// <remarks><c>page_size</c> takes effect only on the connection that creates the file (a database that exists keeps
    /// its pages; SQLite ignores the pragma there): a new site database has 16 KiB pages instead of 4 KiB. A sync writes
    /// every pulled record twice (buffer, then records) through the WAL, one write per page: a fresh 150,000-record
    /// initialisation issued ~120,000 page writes and ~94,000 page reads (strace), and with 16 KiB pages the remote's CPU
    /// for it fell from ~1.5 to ~1.2 s (issue 10, bench/README.md).</remarks>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        public static readonly SqlitePragmas Instance = new();
        private const string Pragmas = "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";

        /// <summary>The statements run on every connection as it opens.</summary>
        public static string Text() => Pragmas + DiskFullPragma();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = Text();
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(
            DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Text();
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        /// <summary>The fault suite's disk full (reliability plan F10): a fail-point value caps the database's pages.</summary>
        private static string DiskFullPragma() =>
            Diagnostics.FailPoints.ValueOf("sqlite.max_page_count") is { } pages
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" PRAGMA max_page_count={pages};")
                : "";
    }
}

/// <summary>Lets <c>dotnet ef</c> build the context without a data directory.</summary>
internal sealed class RemoteDesignTimeFactory : IDesignTimeDbContextFactory<RemoteDbContext>
{
    public RemoteDbContext CreateDbContext(string[] args) =>
        new(LocalDatabase.Configure(new DbContextOptionsBuilder<RemoteDbContext>(), "design.db").Options);
}

/// <summary>A sync cycle's view of the database, all on one connection; disposing it closes the connection.</summary>
internal sealed class CycleDatabase(LocalDatabase database, SqliteConnection connection) : IAsyncDisposable
{
    public LocalDatabase Database => database;

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}

using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SiteSync.Remote.Storage;

/// <summary>The SQLite file of one remote site: hands out short-lived contexts with the connection settings every write
/// depends on, and applies the migrations.</summary>
internal sealed class LocalDatabase
{
    public const string FileName = "sitesync-remote.db";

    private readonly DbContextOptions<RemoteDbContext> _options;

    public LocalDatabase(string dataDirectory)
    {
        DataDirectory = Path.GetFullPath(dataDirectory);
        FilePath = Path.Combine(DataDirectory, FileName);
        _options = Configure(new DbContextOptionsBuilder<RemoteDbContext>(), FilePath).Options;
    }

    public string DataDirectory { get; }

    public string FilePath { get; }

    public bool Exists => File.Exists(FilePath);

    public RemoteDbContext CreateContext() => new(_options);

    /// <summary>Creates the directory and database if needed and applies pending migrations (the remote owns its database,
    /// like the Open mSupply client, which migrates its own database at start).</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(DataDirectory);
        await using var db = CreateContext();
        await db.Database.MigrateAsync(cancellationToken);
    }

    internal static DbContextOptionsBuilder<RemoteDbContext> Configure(DbContextOptionsBuilder<RemoteDbContext> builder, string filePath)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = filePath,
            // No pool: a process may be killed at any point and a test deletes the directory afterwards; an open costs little
            // next to an fsync per commit.
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
        return builder.UseSqlite(connectionString).AddInterceptors(SqlitePragmas.Instance);
    }

    /// <summary>Every connection: WAL (a reader never blocks the writer), FULL sync (an acknowledgement sent to central
    /// depends on the commit surviving power loss), and a busy timeout (a second process waits instead of failing).</summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        public static readonly SqlitePragmas Instance = new();
        private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas + DiskFullPragma();
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(
            DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas + DiskFullPragma();
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

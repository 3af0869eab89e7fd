using System.Data.Common;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using SiteSync.Central.Bootstrap;
using SiteSync.Central.Diagnostics;
using SiteSync.Central.Hosting;
using SiteSync.Central.Logs;
using SiteSync.Central.Storage.Postgres;
using SiteSync.Central.Storage.Sqlite;

namespace SiteSync.Central.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the database of the configured provider, shared data-protection keys, and the migration runner.</summary>
    public static IHostApplicationBuilder AddSiteSyncStorage(this IHostApplicationBuilder builder)
    {
        if (builder.IsRegistered(nameof(AddSiteSyncStorage)))
        {
            return builder;
        }
        builder.AddSiteSyncBasics();
        builder.AddValidatedOptions<DatabaseOptions>(DatabaseOptions.SectionName);
        var database = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var site = builder.Configuration.GetSection(SiteSyncOptions.SectionName).Get<SiteSyncOptions>() ?? new SiteSyncOptions();

        if (database.ProviderKind == StorageProvider.Postgres)
        {
            var connectionString = database.ConnectionString
                ?? throw new InvalidOperationException(
                    $"{DatabaseOptions.SectionName}:ConnectionString (env SiteSync__Database__ConnectionString) is required for postgres.");
            builder.Services.AddDbContext<PostgresSiteSyncDbContext>(options =>
                options.UseNpgsql(connectionString).AddInterceptors(SiteFailureFacts.Instance));
            builder.Services.AddScoped<SiteSyncDbContext>(services => services.GetRequiredService<PostgresSiteSyncDbContext>());
        }
        else
        {
            var connectionString = database.ConnectionString ?? DefaultSqliteConnectionString(site.DataDirectory);
            builder.Services.AddDbContext<SqliteSiteSyncDbContext>(options =>
                options.UseSqlite(connectionString).AddInterceptors(SqlitePragmas.Instance, SiteFailureFacts.Instance));
            builder.Services.AddScoped<SiteSyncDbContext>(services => services.GetRequiredService<SqliteSiteSyncDbContext>());
        }

        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("SiteSync").PersistKeysToDbContext<SiteSyncDbContext>();
        var protection = builder.Configuration.GetSection(KeyProtectionOptions.SectionName).Get<KeyProtectionOptions>() ?? new KeyProtectionOptions();
        if (protection.Load() is { } certificate)
        {
            // Every node must load the same certificate: keys written by one are read by all.
            dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
            builder.Services.AddSingleton(new DataProtectionCertificate(certificate));
        }
        else
        {
            // Without a certificate the key manager warns "No XML encryptor configured" once per new key. The start-up report
            // says the same thing once with what it means and what to do (StartupReport), so the bare warning is not repeated.
            builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error);
        }

        builder.Services.AddScoped<DatabaseMigrator>();
        builder.Services.AddScoped<Routing.RoutingColumnsBackfill>();
        builder.Services.AddScoped<DatabaseBackup>();
        builder.Services.AddHostedService<StartupReport>();
        builder.Services.AddScoped<WritePath>();
        builder.Services.AddHostedService<MigrationRunner>();
        // The migrator seeds a fresh datafile.
        return builder.AddBootstrap();
    }

    /// <summary>The database for people: the SQLite file as an absolute path, or PostgreSQL's host, port and database.</summary>
    internal static string DescribeDatabase(DatabaseOptions database, SiteSyncOptions site)
    {
        if (database.ProviderKind == StorageProvider.Postgres)
        {
            var postgres = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString);
            return $"postgres {postgres.Host}:{postgres.Port}/{postgres.Database}";
        }
        var sqlite = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString ?? DefaultSqliteConnectionString(site.DataDirectory));
        return $"sqlite {Path.GetFullPath(sqlite.DataSource)}";
    }

    private static string DefaultSqliteConnectionString(string dataDirectory)
    {
        // The directory is created by DatabaseMigrator when the database is first opened, not here: `help` creates nothing.
        return $"Data Source={Path.Combine(Path.GetFullPath(dataDirectory), "sitesync.db")}";
    }

    /// <summary>Every SQLite connection: WAL (readers never block the writer), FULL sync (a commit that is acknowledged to a
    /// remote must survive power loss), a busy timeout (writers queue instead of failing), and enforced foreign keys.</summary>
    /// <remarks>EF opens a read-only connection to test whether the file exists; switching a database that is not yet in WAL
    /// mode (a restored backup) would be a write there, so read-only connections only get the busy timeout.</remarks>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        public static readonly SqlitePragmas Instance = new();
        private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;";
        private const string ReadOnlyPragmas = "PRAGMA busy_timeout=30000;";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = PragmasFor(connection) + DiskFullPragma();
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = PragmasFor(connection) + DiskFullPragma();
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        private static string PragmasFor(DbConnection connection) =>
            new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connection.ConnectionString).Mode == Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly
                ? ReadOnlyPragmas
                : Pragmas;

        /// <summary>The fault suite's disk full (reliability plan F10): a fail-point value caps the database's pages.</summary>
        private static string DiskFullPragma() =>
            FailPoints.ValueOf("sqlite.max_page_count") is { } pages ? $" PRAGMA max_page_count={pages};" : "";
    }

    /// <summary>Names what this node uses, first thing at start-up, so an operator sees where the data is without
    /// guessing: the data directory and database as absolute paths (or the PostgreSQL host and database, never the password).</summary>
    private sealed class StartupReport(IOptions<DatabaseOptions> database, IOptions<SiteSyncOptions> site, IHostEnvironment environment,
        IServiceProvider services, ILogger<StartupReport> logger) : IHostedLifecycleService
    {
        public Task StartingAsync(CancellationToken cancellationToken)
        {
            var version = typeof(StartupReport).Assembly.GetName().Version?.ToString(3) ?? "?";
            Log.Starting(logger, version, Path.GetFullPath(site.Value.DataDirectory), DescribeDatabase(database.Value, site.Value),
                environment.ContentRootPath);
            if (services.GetService<DataProtectionCertificate>() is { } certificate)
            {
                Log.KeysEncrypted(logger, certificate.Certificate.Thumbprint);
            }
            else
            {
                Log.KeysUnencrypted(logger);
            }
            return Task.CompletedTask;
        }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Prepares the database before anything else starts: <c>StartingAsync</c> runs before every hosted service's
    /// <c>StartAsync</c> (data protection reads its key ring from the database there) and before Kestrel listens.</summary>
    private sealed class MigrationRunner(IServiceProvider services, IOptions<DatabaseOptions> options) : IHostedLifecycleService
    {
        public async Task StartingAsync(CancellationToken cancellationToken)
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().PrepareAsync(options.Value.MigrateOnStartup, cancellationToken);
        }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

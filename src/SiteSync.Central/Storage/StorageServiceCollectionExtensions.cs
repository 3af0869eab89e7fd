using System.Data.Common;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using SiteSync.Central.Diagnostics;
using SiteSync.Central.Hosting;
using SiteSync.Central.Storage.Postgres;
using SiteSync.Central.Storage.Sqlite;

namespace SiteSync.Central.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the database of the configured provider, shared data-protection keys, and the migration runner.</summary>
    public static IHostApplicationBuilder AddSiteSyncStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var database = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var site = builder.Configuration.GetSection(SiteSyncOptions.SectionName).Get<SiteSyncOptions>() ?? new SiteSyncOptions();

        if (database.ProviderKind == StorageProvider.Postgres)
        {
            var connectionString = database.ConnectionString
                ?? throw new InvalidOperationException(
                    $"{DatabaseOptions.SectionName}:ConnectionString (env SiteSync__Database__ConnectionString) is required for postgres.");
            builder.Services.AddDbContext<PostgresSiteSyncDbContext>(options => options.UseNpgsql(connectionString));
            builder.Services.AddScoped<SiteSyncDbContext>(services => services.GetRequiredService<PostgresSiteSyncDbContext>());
        }
        else
        {
            var connectionString = database.ConnectionString ?? DefaultSqliteConnectionString(site.DataDirectory);
            builder.Services.AddDbContext<SqliteSiteSyncDbContext>(options =>
                options.UseSqlite(connectionString).AddInterceptors(SqlitePragmas.Instance));
            builder.Services.AddScoped<SiteSyncDbContext>(services => services.GetRequiredService<SqliteSiteSyncDbContext>());
        }

        builder.Services.AddDataProtection().SetApplicationName("SiteSync").PersistKeysToDbContext<SiteSyncDbContext>();
        builder.Services.AddHostedService<MigrationRunner>();
        return builder;
    }

    private static string DefaultSqliteConnectionString(string dataDirectory)
    {
        var directory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(directory);
        return $"Data Source={Path.Combine(directory, "sitesync.db")}";
    }

    /// <summary>Every SQLite connection: WAL (readers never block the writer), FULL sync (a commit that is acknowledged to a
    /// remote must survive power loss), a busy timeout (writers queue instead of failing), and enforced foreign keys.</summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        public static readonly SqlitePragmas Instance = new();
        private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas + DiskFullPragma();
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas + DiskFullPragma();
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        /// <summary>The fault suite's disk full (reliability plan F10): a fail-point value caps the database's pages.</summary>
        private static string DiskFullPragma() =>
            FailPoints.ValueOf("sqlite.max_page_count") is { } pages ? $" PRAGMA max_page_count={pages};" : "";
    }

    /// <summary>Applies migrations before anything else starts: <c>StartingAsync</c> runs before every hosted service's
    /// <c>StartAsync</c> (data protection reads its key ring from the database there) and before Kestrel listens.</summary>
    private sealed class MigrationRunner(IServiceProvider services, IOptions<DatabaseOptions> options, ILogger<MigrationRunner> logger)
        : IHostedLifecycleService
    {
        public async Task StartingAsync(CancellationToken cancellationToken)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SiteSyncDbContext>();
            if (options.Value.MigrateOnStartup)
            {
                var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
                Log.ApplyingMigrations(logger, pending, db.Provider.ToString());
                await db.Database.MigrateAsync(cancellationToken);
            }
            await scope.ServiceProvider.GetRequiredService<Bootstrap.StartupSeeder>().SeedAsync(cancellationToken);
        }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

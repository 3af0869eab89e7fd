using Microsoft.Extensions.Options;
using SiteSync.Central.Diagnostics;
using SiteSync.Central.Storage;

namespace SiteSync.Central.Hosting;

/// <summary>What <c>dotnet SiteSync.Central.dll [command]</c> was asked to do: serve (no command), <c>migrate</c>,
/// <c>backup --to FILE</c>, or <c>help</c>. Every other argument is configuration (<c>--urls …</c>,
/// <c>--SiteSync:DataDirectory=…</c>), as for any ASP.NET Core host.</summary>
public sealed record ServerCommand(string Name, string[] ConfigurationArgs, string? BackupTarget = null, string? Error = null)
{
    public const string Serve = "serve";
    public const string Migrate = "migrate";
    public const string Backup = "backup";
    public const string Help = "help";

    public const string Usage = """
        Usage: dotnet SiteSync.Central.dll [command] [configuration]

        Commands:
          (none)             serve the sync API, the admin API and the web UI
          migrate            apply pending database migrations, create the central site and the admin user, and exit
          backup --to FILE   copy the SQLite database to FILE while the server may be running, and exit
          help               show this text

        Configuration comes from appsettings.json (next to the program), environment variables (SiteSync__Database__Provider=postgres)
        and arguments (--urls http://0.0.0.0:5080). See README.md and docs/operations.md.
        """;

    public static ServerCommand Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0].StartsWith('-') || args[0].Contains('=', StringComparison.Ordinal))
        {
            return args.Any(a => a is "--help" or "-h" or "-?") ? new ServerCommand(Help, []) : new ServerCommand(Serve, args);
        }
        var rest = args[1..];
        switch (args[0])
        {
            case Migrate:
                return new ServerCommand(Migrate, rest);
            case Help:
                return new ServerCommand(Help, []);
            case Backup:
                var to = Array.IndexOf(rest, "--to");
                if (to < 0 || to + 1 >= rest.Length || string.IsNullOrWhiteSpace(rest[to + 1]))
                {
                    return new ServerCommand(Backup, rest, Error: "backup needs --to FILE.");
                }
                return new ServerCommand(Backup, [.. rest[..to], .. rest[(to + 2)..]], rest[to + 1]);
            default:
                return new ServerCommand(Help, [], Error: $"Unknown command '{args[0]}'.");
        }
    }

    /// <summary>The builder: its content root is the program's folder, wherever it is started from, so appsettings.json next
    /// to the program is always read (unless an operator points <c>--contentRoot</c> or <c>ASPNETCORE_CONTENTROOT</c>
    /// elsewhere). The data directory stays relative to the working directory (<see cref="SiteSyncOptions.DataDirectory"/>).</summary>
    public WebApplicationBuilder CreateBuilder()
    {
        if (System.Reflection.Assembly.GetEntryAssembly() == typeof(ServerCommand).Assembly)
        {
            // A configuration error found while the services are registered (before RunAsync can catch it) would abort the
            // process with a core dump; it exits with code 1 and one line instead. Only in the real program: a test host
            // that starts central in-process keeps its own handling.
            AppDomain.CurrentDomain.UnhandledException += (_, e) =>
            {
                Console.Error.WriteLine($"SiteSync: {Name} failed: {(e.ExceptionObject as Exception)?.Message}");
                Environment.Exit(1);
            };
        }
        var chosen = ConfigurationArgs.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"));
        return WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = ConfigurationArgs,
            ContentRootPath = chosen ? null : AppContext.BaseDirectory,
        });
    }

    /// <summary>Runs the command. Exit codes: 0 done, 1 failed (start-up included: a node that cannot start must not look
    /// like one that stopped cleanly to systemd or a container runtime), 2 usage.</summary>
    public async Task<int> RunAsync(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (Name == Help || Error is not null)
        {
            await (Error is null ? Console.Out : Console.Error).WriteLineAsync(Error is null ? Usage : $"{Error}\n\n{Usage}");
            return Error is null ? 0 : 2;
        }
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SiteSync.Central");
        try
        {
            switch (Name)
            {
                case Migrate:
                    await using (var scope = app.Services.CreateAsyncScope())
                    {
                        var database = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
                        var site = app.Services.GetRequiredService<IOptions<SiteSyncOptions>>().Value;
                        var applied = await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().PrepareAsync(migrate: true, CancellationToken.None);
                        Log.Command(logger, Migrate, $"{applied} migration(s) applied to {StorageServiceCollectionExtensions.DescribeDatabase(database, site)}; the database is up to date.");
                    }
                    await FlushLogsAsync(app);
                    return 0;
                case Backup:
                    await using (var scope = app.Services.CreateAsyncScope())
                    {
                        var path = await scope.ServiceProvider.GetRequiredService<DatabaseBackup>().BackupAsync(BackupTarget!, CancellationToken.None);
                        Log.Command(logger, Backup, $"backup written to {path}");
                    }
                    await FlushLogsAsync(app);
                    return 0;
                default:
                    await app.RunAsync();
                    // A background service that failed stops the host "cleanly"; it is still a failure.
                    return app.Services.GetServices<IHostedService>().OfType<BackgroundService>().Any(s => s.ExecuteTask is { IsFaulted: true }) ? 1 : 0;
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.StartFailed(logger, exception);
            await Console.Error.WriteLineAsync($"SiteSync: {Name} failed: {exception.Message}");
            return 1;
        }
    }

    /// <summary>The console logger writes from a queue on its own thread; a one-shot command that exits at once could lose
    /// its result line (seen under load). Disposing the host disposes the logger, which drains the queue first.</summary>
    private static async Task FlushLogsAsync(WebApplication app) => await app.DisposeAsync();
}

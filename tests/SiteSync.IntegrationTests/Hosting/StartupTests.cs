using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using SiteSync.IntegrationTests.Support;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Hosting;

/// <summary>The first hour of an operator: where the server reads its settings and keeps its data, what it says at start-up,
/// how it fails, and the migrate command for several nodes. Real processes, started as a service manager would.</summary>
public sealed class StartupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartedFromAnotherFolderItReadsItsOwnSettingsKeepsDataInTheWorkingDirectoryAndSaysWhere()
    {
        using var directory = new TempDirectory();
        string output;
        await using (var server = CentralProcess.Start(directory.Path, new Dictionary<string, string?>
        {
            ["SiteSync__Admin__InitialPassword"] = "a-chosen-admin-password",
        }))
        {
            await server.WaitForOkAsync();
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            http.DefaultRequestHeaders.Authorization = CentralFactory.BasicHeader("admin", "a-chosen-admin-password");
            (await http.PostAsJsonAsync("api/stores", new { code = "S1", name = "Store one" }, Ct)).EnsureSuccessStatusCode();
            output = server.Output;
        }

        var dataDirectory = System.IO.Path.Combine(directory.Path, "data");
        Assert.StartsWith($"info: ", output, StringComparison.Ordinal);
        Assert.Contains($"data directory {dataDirectory}; database sqlite {System.IO.Path.Combine(dataDirectory, "sitesync.db")}",
            output.Split('\n')[1], StringComparison.Ordinal);
        Assert.True(File.Exists(System.IO.Path.Combine(dataDirectory, "sitesync.db")));
        // appsettings.json (next to the program) keeps EF Core's per-statement log lines at Warning.
        Assert.DoesNotContain("Executed DbCommand", output, StringComparison.Ordinal);
        Assert.Contains("Created user 'admin' with the password from SiteSync:Admin:InitialPassword", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Users present", output, StringComparison.Ordinal);
        Assert.DoesNotContain("No XML encryptor", output, StringComparison.Ordinal);
        Assert.Contains("kept in the database without encryption", output, StringComparison.Ordinal);
        Assert.DoesNotContain("a-chosen-admin-password", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStartThatFailsExitsWithCodeOneAndSaysWhy()
    {
        using var directory = new TempDirectory();

        var (code, output) = await CentralProcess.RunAsync(directory.Path, new Dictionary<string, string?>
        {
            ["SiteSync__Database__Provider"] = "postgres",
            ["SiteSync__Database__ConnectionString"] = "Host=127.0.0.1;Port=1;Username=nobody;Database=nothing;Timeout=2",
        });

        Assert.Equal(1, code);
        Assert.Contains("SiteSync: serve failed:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConfigurationErrorExitsWithCodeOneAndSaysWhy()
    {
        using var directory = new TempDirectory();

        var (code, output) = await CentralProcess.RunAsync(directory.Path, new Dictionary<string, string?>
        {
            ["SiteSync__Database__Provider"] = "postgres",
        });

        Assert.Equal(1, code);
        Assert.Contains("SiteSync: serve failed: SiteSync:Database:ConnectionString", output, StringComparison.Ordinal);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task MigrateAppliesTheMigrationsOnceAndNodesThatDoNotMigrateStartOnTheMigratedDatabase(Engine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine, Ct);
        var environment = new Dictionary<string, string?>
        {
            ["SiteSync__Database__Provider"] = engine == Engine.Postgres ? "postgres" : "sqlite",
            ["SiteSync__Database__ConnectionString"] = database.ConnectionString,
            ["SiteSync__Database__MigrateOnStartup"] = "false",
            ["SiteSync__Admin__InitialPassword"] = "a-chosen-admin-password",
        };

        var early = await CentralProcess.RunAsync(database.Directory, environment);
        var migrate = await CentralProcess.RunAsync(database.Directory, environment, "migrate");
        await using (var node = CentralProcess.Start(database.Directory, environment))
        {
            await node.WaitForOkAsync();
            Assert.DoesNotContain("Applying", node.Output, StringComparison.Ordinal);
        }
        var again = await CentralProcess.RunAsync(database.Directory, environment, "migrate");

        Assert.Equal(1, early.ExitCode);
        Assert.Contains("pending migration(s)", early.Output, StringComparison.Ordinal);
        Assert.Equal(0, migrate.ExitCode);
        Assert.Matches(@"Applying [1-9]\d* pending migration\(s\)", migrate.Output);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("0 migration(s) applied", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownCommandIsAUsageError()
    {
        using var directory = new TempDirectory();

        var (code, output) = await CentralProcess.RunAsync(directory.Path, new Dictionary<string, string?>(), "migrat");

        Assert.Equal(2, code);
        Assert.Contains("Unknown command 'migrat'", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(System.IO.Path.Combine(directory.Path, "data")));
    }

    [Fact]
    public async Task AnOnlineBackupTakenDuringWritesHoldsEveryRecordCommittedBeforeIt()
    {
        await using var central = await TestCentral.StartAsync(Engine.Sqlite);
        var backup = System.IO.Path.Combine(central.Database.Directory, "backup", "central-backup.db");
        using var stop = new CancellationTokenSource();
        var committed = new List<string>();
        var writer = Task.Run(async () =>
        {
            for (var batch = 0; !stop.IsCancellationRequested; batch++)
            {
                await SyncScenario.AddItemsAsync(central, 50, $"b{batch}");
                lock (committed)
                {
                    committed.AddRange(Enumerable.Range(0, 50).Select(i => $"b{batch}-{i:D6}"));
                }
            }
        }, Ct);
        while (true)
        {
            lock (committed)
            {
                if (committed.Count >= 500)
                {
                    break;
                }
            }
            await Task.Delay(20, Ct);
        }
        List<string> before;
        lock (committed)
        {
            before = [.. committed];
        }

        var (code, output) = await CentralProcess.RunAsync(central.Database.Directory, new Dictionary<string, string?>
        {
            ["SiteSync__Database__ConnectionString"] = central.Database.ConnectionString,
        }, "backup", "--to", backup);
        int written;
        lock (committed)
        {
            written = committed.Count;
        }
        await stop.CancelAsync();
        await writer;

        Assert.Equal(0, code);
        Assert.Contains($"backup written to {backup}", output, StringComparison.Ordinal);
        Assert.True(written > before.Count, "writes went on while the backup ran");
        await using var restoredDatabase = await TestDatabase.CreateAsync(Engine.Sqlite, Ct);
        File.Copy(backup, System.IO.Path.Combine(restoredDatabase.Directory, "central.db"));
        await using var restored = new CentralFactory(restoredDatabase.Storage);
        using var http = restored.CreateHttpClient();
        (await http.GetAsync("ready", Ct)).EnsureSuccessStatusCode();
        await using var connection = new SqliteConnection($"Data Source={backup};Mode=ReadOnly");
        await connection.OpenAsync(Ct);
        Assert.Equal("ok", await ScalarAsync(connection, "PRAGMA integrity_check"));
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using (var read = new SqliteCommand("SELECT record_id FROM record WHERE table_name = 'item'", connection))
        await using (var reader = await read.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                ids.Add(reader.GetString(0));
            }
        }
        Assert.Equal([], before.Where(id => !ids.Contains(id)).ToList());
        Assert.Equal(ids.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            await ScalarAsync(connection, "SELECT COUNT(*) FROM central_change_log WHERE table_name = 'item'"));
    }

    [Fact]
    public async Task BackupRefusesToOverwriteAFile()
    {
        await using var central = await TestCentral.StartAsync(Engine.Sqlite);
        var target = System.IO.Path.Combine(central.Database.Directory, "taken.db");
        await File.WriteAllTextAsync(target, "precious", Ct);

        var (code, output) = await CentralProcess.RunAsync(central.Database.Directory, new Dictionary<string, string?>
        {
            ["SiteSync__Database__ConnectionString"] = central.Database.ConnectionString,
        }, "backup", "--to", target);

        Assert.Equal(1, code);
        Assert.Contains("exists; choose a new file", output, StringComparison.Ordinal);
        Assert.Equal("precious", await File.ReadAllTextAsync(target, Ct));
    }

    private static async Task<string?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = new SqliteCommand(sql, connection);
        return Convert.ToString(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("sitesync-startup-").FullName;

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a process being killed; the OS cleans temp later.
            }
        }
    }
}

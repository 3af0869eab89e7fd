using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Remote;

/// <summary>Reliability plan F4 with a real <c>sitesync</c> process: SIGKILL during a pull and during a push, then a normal
/// sync; nothing lost, nothing applied twice, nothing echoed.</summary>
public sealed class KilledRemoteTests
{
    private static readonly string Executable = Path.Combine(AppContext.BaseDirectory, "sitesync.dll");

    private sealed class Cli(string dataDirectory, string hardwareId)
    {
        public Process Start(string stdin, params string[] args)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Executable);
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["SITESYNC_REMOTE_DATA"] = dataDirectory;
            start.Environment["SITESYNC_HARDWARE_ID"] = hardwareId;
            var process = Process.Start(start)!;
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
            return process;
        }

        public async Task<(int ExitCode, string Out, string Error)> RunAsync(string stdin, params string[] args)
        {
            using var process = Start(stdin, args);
            var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            return (process.ExitCode, await output, await error);
        }

        /// <summary>Starts a command and SIGKILLs it as soon as <paramref name="killWhen"/> holds on the site's database.</summary>
        public async Task KillDuringAsync(string sql, Func<long, bool> killWhen, params string[] args)
        {
            using var process = Start("", args);
            _ = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            _ = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            var deadline = Stopwatch.StartNew();
            while (!process.HasExited && deadline.Elapsed < TimeSpan.FromMinutes(2))
            {
                if (killWhen(await ScalarAsync(sql)))
                {
                    process.Kill(entireProcessTree: true);
                    break;
                }

                await Task.Delay(5, TestContext.Current.CancellationToken);
            }

            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.NotEqual(0, process.ExitCode);
        }

        public async Task<long> ScalarAsync(string sql) =>
            Convert.ToInt64(await RawScalarAsync(sql) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);

        public async Task<string?> TextAsync(string sql) => (string?)await RawScalarAsync(sql);

        private async Task<object?> RawScalarAsync(string sql)
        {
            await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "sitesync-remote.db")};Pooling=False");
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        }
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task RemoteKilledMidPullAndMidPushResumesWithNothingLostDuplicatedOrEchoed(Engine engine)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var central = await TestCentral.StartAsync(engine);
        var (store, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        await SyncScenario.AddItemsAsync(central, 1_500);
        var joins = new JsonArray([.. Enumerable.Range(0, 400).Select(i => (JsonNode)new JsonObject
        {
            ["ID"] = $"nsj-{i}", ["name_ID"] = $"name-{i}", ["store_ID"] = store.Id, ["inactive"] = false,
        })]);
        await central.Admin.UpsertRecordsAsync(new JsonObject { ["name_store_join"] = joins }.ToJsonString());
        var directory = Path.Combine(Path.GetTempPath(), "sitesync-it-killed", Guid.NewGuid().ToString("N"));
        var cli = new Cli(directory, "0123456789abcdef0123456789abcdef");
        try
        {
            var init = await cli.RunAsync(
                SyncScenario.SitePassword + "\n", "remote", "init", "--server", central.BaseAddress.ToString(), "--site", "clinic", "--password-stdin");
            Assert.True(init.ExitCode == 0, init.Error);
            // Requests of 10 records: ~150 change-log pages and 100 push batches leave the poller a wide window to kill in.
            Assert.Equal(0, (await cli.RunAsync("", "remote", "config", "set", "request-size-max", "10")).ExitCode);

            // Killed while pulling the change log: some pages stored, the rest not.
            await cli.KillDuringAsync("SELECT COALESCE(MAX(value), 0) FROM cursors WHERE name = 'central_pull'", cursor => cursor > 200, "remote", "sync");
            var cursorAtKill = await cli.ScalarAsync("SELECT value FROM cursors WHERE name = 'central_pull'");
            var resumed = await cli.RunAsync("", "remote", "sync", "--json");
            Assert.True(resumed.ExitCode == 0, resumed.Error);

            var changeLogRows = await central.QueryAsync(db => db.ChangeLog.CountAsync(ct));
            Assert.InRange(cursorAtKill, 201, changeLogRows - 1);
            Assert.Equal(1_500, await cli.ScalarAsync("SELECT COUNT(*) FROM records WHERE table_name = 'item'"));
            Assert.Equal(400, await cli.ScalarAsync("SELECT COUNT(*) FROM records WHERE table_name = 'name_store_join'"));
            Assert.Equal(0, await cli.ScalarAsync("SELECT COUNT(*) FROM incoming"));

            // Killed while pushing 1,000 local edits in batches of 10.
            var transactions = new JsonArray([.. Enumerable.Range(0, 1_000).Select(i => (JsonNode)SyncScenario.Transaction($"t-{i:D4}", store.Id))]);
            var put = await cli.RunAsync(transactions.ToJsonString(), "remote", "records", "put", "transact");
            Assert.True(put.ExitCode == 0, put.Error);
            await cli.KillDuringAsync("SELECT COALESCE(MAX(value), 0) FROM cursors WHERE name = 'push'", cursor => cursor > 0, "remote", "sync");
            var pushedAtKill = await cli.ScalarAsync("SELECT value FROM cursors WHERE name = 'push'");
            var afterPush = await cli.RunAsync("", "remote", "sync", "--json");
            Assert.True(afterPush.ExitCode == 0, afterPush.Error);
            var idle = await cli.RunAsync("", "remote", "sync", "--json");

            Assert.InRange(pushedAtKill, 1, 999);
            Assert.Equal(1_000, await central.QueryAsync(db => db.Records.CountAsync(r => r.TableName == "transact" && !r.IsDeleted, ct)));
            // Records are keyed by (table, id), so counting them cannot see one applied twice; central's integrations can: each
            // says how many records it applied, and every edit must be applied exactly once over all the cycles.
            var integrations = await central.QueryAsync(db => db.SiteLogs
                .Where(l => l.SiteId == site.Id && l.Event == "integrated").Select(l => l.Message).ToListAsync(ct));
            Assert.Equal(1_000, integrations.Sum(m => int.Parse(
                Regex.Match(m, @"^Push integrated: (\d+) accepted").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(1_000, await cli.ScalarAsync("SELECT COUNT(*) FROM records WHERE table_name = 'transact'"));
            Assert.Equal(0, await cli.ScalarAsync("SELECT COUNT(*) FROM change_log WHERE id > (SELECT value FROM cursors WHERE name = 'push') AND is_superseded = 0"));
            var idleReport = JsonNode.Parse(idle.Out)!;
            Assert.Equal((0, 0, 0), ((int)idleReport["pushed"]!, (int)idleReport["pulledCentral"]!, (int)idleReport["pulledQueue"]!));
            Assert.Equal("ok", await cli.TextAsync("PRAGMA integrity_check"));
        }
        finally
        {
            RemoteSiteTests.Delete(directory);
        }
    }
}

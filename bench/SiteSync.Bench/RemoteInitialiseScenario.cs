using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace SiteSync.Bench;

/// <summary>DESIGN §9 "initialise": a fresh remote (a real <c>sitesync</c> process) pulls N change-log records and M store
/// records from a real central process over loopback HTTP into its SQLite. The bound, measured in the same run, is a plain
/// prepared-statement upsert of the same records into a local SQLite file in one transaction.</summary>
public static class RemoteInitialiseScenario
{
    public static async Task<JsonObject> RunAsync(string provider, int centralRecords, int storeRecords)
    {
        await using var central = await CentralProcess.StartAsync(provider);
        var store = await central.PostJsonAsync("api/stores", """{"code":"BIG","name":"Regional warehouse"}""");
        var storeId = store.GetProperty("id").GetString()!;
        await LoadAsync(central, "item", centralRecords, i => Item(i));
        await LoadAsync(central, "item_line", storeRecords, i => StockLine(i, storeId));
        await central.PostJsonAsync("api/sites",
            new JsonObject { ["name"] = "bench-site", ["password"] = "bench-site-password", ["storeIds"] = new JsonArray(storeId) }.ToJsonString());

        var data = Directory.CreateTempSubdirectory("sitesync-bench-remote-").FullName;
        try
        {
            var init = await RunCliAsync("bench-site-password\n", "remote", "init", "--server", central.BaseAddress.ToString(), "--site", "bench-site",
                "--password-stdin", "--data", data, "--hardware-id", "bench-hardware-id");
            if (init.ExitCode != 0)
            {
                throw new InvalidOperationException($"sitesync remote init failed: {init.Error}");
            }
            var sync = await RunCliAsync("", "remote", "sync", "--json", "--data", data);
            if (sync.ExitCode != 0)
            {
                throw new InvalidOperationException($"sitesync remote sync failed: {sync.Error}");
            }
            var report = JsonNode.Parse(sync.Output)!;
            var pulled = (int)report["pulledCentral"]! + (int)report["pulledQueue"]!;

            var bound = Bound(centralRecords, storeRecords, storeId);
            var seconds = sync.Elapsed.TotalSeconds;
            return new JsonObject
            {
                ["scenario"] = "initialise",
                ["provider"] = provider,
                ["centralRecords"] = centralRecords,
                ["storeRecords"] = storeRecords,
                ["pulled"] = pulled,
                ["seconds"] = Math.Round(seconds, 2),
                ["recordsPerSecond"] = Math.Round(pulled / seconds),
                ["boundSeconds"] = Math.Round(bound.TotalSeconds, 2),
                ["ratioToBound"] = Math.Round(seconds / bound.TotalSeconds, 1),
                ["remotePeakMiB"] = Math.Round(sync.PeakMiB, 1),
                ["centralPeakMiB"] = Math.Round(central.PeakMemoryMiB(), 1),
                ["requestSizeAtEnd"] = (int)report["requestSize"]!,
                ["machine"] = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}",
                ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            };
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private static JsonObject Item(int i) => new()
    {
        ["ID"] = $"item-{i:D8}", ["code"] = $"C{i}", ["item_name"] = $"Item {i}", ["type_of"] = "general", ["default_pack_size"] = 10,
        ["unit_ID"] = "", ["category_ID"] = "", ["strength"] = "250mg", ["is_vaccine"] = false,
    };

    private static JsonObject StockLine(int i, string storeId) => new()
    {
        ["ID"] = $"line-{i:D8}", ["store_ID"] = storeId, ["item_ID"] = $"item-{i % 5_000:D8}", ["batch"] = $"B{i}",
        ["expiry_date"] = "2027-06-30", ["pack_size"] = 10, ["quantity"] = 700.36363636, ["cost_price"] = 12.5, ["sell_price"] = 15,
    };

    private static async Task LoadAsync(CentralProcess central, string table, int count, Func<int, JsonObject> record)
    {
        for (var offset = 0; offset < count; offset += 5_000)
        {
            var batch = new JsonArray();
            for (var i = offset; i < Math.Min(count, offset + 5_000); i++)
            {
                batch.Add(record(i));
            }
            await central.PostJsonAsync("api/records", new JsonObject { [table] = batch }.ToJsonString());
        }
    }

    /// <summary>The bound: the same records upserted with one prepared statement into a fresh SQLite file, one transaction.</summary>
    private static TimeSpan Bound(int centralRecords, int storeRecords, string storeId)
    {
        var directory = Directory.CreateTempSubdirectory("sitesync-bench-bound-").FullName;
        try
        {
            var records = Enumerable.Range(0, centralRecords).Select(i => ("item", $"item-{i:D8}", Item(i).ToJsonString()))
                .Concat(Enumerable.Range(0, storeRecords).Select(i => ("item_line", $"line-{i:D8}", StockLine(i, storeId).ToJsonString())))
                .ToList();
            var watch = Stopwatch.StartNew();
            using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "bound.db")}");
            connection.Open();
            using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; " +
                    "CREATE TABLE records (table_name TEXT NOT NULL, record_id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (table_name, record_id));";
                pragma.ExecuteNonQuery();
            }
            using var transaction = connection.BeginTransaction();
            using var upsert = connection.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText = "INSERT INTO records (table_name, record_id, data) VALUES ($t, $r, $d) " +
                "ON CONFLICT (table_name, record_id) DO UPDATE SET data = excluded.data";
            var (t, r, d) = (upsert.Parameters.Add("$t", SqliteType.Text), upsert.Parameters.Add("$r", SqliteType.Text), upsert.Parameters.Add("$d", SqliteType.Text));
            upsert.Prepare();
            foreach (var (table, id, json) in records)
            {
                (t.Value, r.Value, d.Value) = (table, id, json);
                upsert.ExecuteNonQuery();
            }
            transaction.Commit();
            return watch.Elapsed;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed record CliRun(int ExitCode, string Output, string Error, TimeSpan Elapsed, double PeakMiB);

    /// <summary>Runs the <c>sitesync</c> command as its own process, sampling its peak resident memory (VmHWM).</summary>
    private static async Task<CliRun> RunCliAsync(string stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "sitesync.dll"), .. args])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var peak = 0.0;
        while (!process.HasExited)
        {
            peak = Math.Max(peak, CentralProcess.PeakMemoryMiB(process.Id));
            await Task.Delay(50);
        }
        await process.WaitForExitAsync();
        return new CliRun(process.ExitCode, await output, await error, watch.Elapsed, peak);
    }
}

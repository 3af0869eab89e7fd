using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace SiteSync.Bench;

/// <summary>DESIGN §9 "initialise": a fresh remote (a real <c>sitesync</c> process) pulls N change-log records (<c>item</c>)
/// and M store records (<c>transact</c>) from a real central process over loopback HTTP into its SQLite. The bound, measured
/// in the same run, is a plain prepared-statement upsert of the same records into a local SQLite file in one transaction.</summary>
public static class RemoteInitialiseScenario
{
    public static async Task<JsonObject> RunAsync(BenchOptions options)
    {
        var centralRecords = options.Size("--central", 100_000, 2_000);
        var storeRecords = options.Size("--store", 50_000, 1_000);
        var records = new LegacyRecords(options.RecordBytes);
        await using var central = await CentralProcess.StartAsync(options.Provider);
        var warmup = await Warmup.RunAsync(central, records, options);
        var storeId = await Setup.CreateStoreAsync(central, "BIG", "Regional warehouse");
        var load = await Setup.LoadAsync(central, "item", centralRecords, i => records.Item(i));
        load += await Setup.LoadAsync(central, "transact", storeRecords, i => records.Transact(i, storeId));
        await Setup.CreateSiteAsync(central, "bench-site", Setup.SitePassword, storeId);

        // Central's peak is read twice: over its whole life (the bulk load of the N + M records through the admin API
        // included), and over the remote's initialisation alone, from the memory the load left it with.
        var centralPeakWithLoad = central.PeakMemoryMiB();
        var centralBeforeSync = central.MemoryMiB();
        var peakReset = central.ResetPeakMemory();
        var (data, sync) = await Setup.RemoteAsync(central, "bench-site");
        var centralPeakDuringSync = peakReset ? central.PeakMemoryMiB() : null;
        try
        {
            var report = JsonNode.Parse(sync.Output)!;
            var pulled = (int)report["pulledCentral"]! + (int)report["pulledQueue"]!;
            var held = await Setup.CountRemoteRecordsAsync(data, "transact", storeId);
            var bound = Bound(records, centralRecords, storeRecords, storeId);
            return Figures.Line("initialise", options.Provider,
                new JsonObject
                {
                    ["centralRecords"] = centralRecords,
                    ["storeRecords"] = storeRecords,
                    ["recordBytes"] = records.RecordBytes,
                },
                new JsonObject
                {
                    ["pulled"] = pulled,
                    ["storeRecordsHeld"] = held,
                    ["seconds"] = Figures.Seconds(sync.Elapsed),
                    ["recordsPerSecond"] = Figures.Round(pulled / sync.Elapsed.TotalSeconds, 0),
                    ["boundSeconds"] = Figures.Seconds(bound),
                    ["ratioToBound"] = Figures.Ratio(sync.Elapsed.TotalSeconds, bound.TotalSeconds),
                    ["remotePeakMiB"] = Figures.Round(sync.PeakMiB),
                    ["centralPeakMiB"] = Figures.Round(Math.Max(centralPeakWithLoad ?? 0, central.PeakMemoryMiB() ?? 0)),
                    ["centralMiBBeforeSync"] = Figures.Round(centralBeforeSync),
                    ["centralPeakDuringSyncMiB"] = Figures.Round(centralPeakDuringSync),
                    ["requestSizeAtEnd"] = (int)report["requestSize"]!,
                    ["loadSeconds"] = Figures.Seconds(load),
                    ["warmupSeconds"] = Figures.Seconds(warmup),
                });
        }
        finally
        {
            Setup.DeleteRemote(data);
        }
    }

    /// <summary>The bound: the same records upserted with one prepared statement into a fresh SQLite file, one transaction.</summary>
    private static TimeSpan Bound(LegacyRecords records, int centralRecords, int storeRecords, string storeId)
    {
        var directory = Directory.CreateTempSubdirectory("sitesync-bench-bound-").FullName;
        try
        {
            var rows = Enumerable.Range(0, centralRecords).Select(i => ("item", LegacyRecords.ItemId(i), records.Item(i)))
                .Concat(Enumerable.Range(0, storeRecords).Select(i => ("transact", LegacyRecords.TransactId(i), records.Transact(i, storeId))))
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
            foreach (var (table, id, json) in rows)
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
}

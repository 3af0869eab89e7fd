using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace SiteSync.Bench;

/// <summary>The site log at fleet scale: D days of history for S sites (default a year at 1,000 sites, about 32 lines per site
/// per day: one idle line an hour, six cycles that moved records, two integrations, now and then a warning or an error),
/// written straight into central's database; then the log tab's queries (one site, a date range, level, text) timed
/// through the admin API the UI shares. With <c>--prune</c>, central restarts with the default 90-day retention and the
/// first pass is timed.</summary>
public static class SiteLogScenario
{
    private const int LinesPerSitePerDay = 32;

    public static async Task<JsonObject> RunAsync(BenchOptions options)
    {
        var sites = options.Size("--sites", 1_000, 10);
        var days = options.Size("--days", 365, 30);
        var runs = options.Size("--runs", 5, 3);
        var keep = new Dictionary<string, string> { ["SiteSync__Logs__RetentionDays"] = (days + 30).ToString(CultureInfo.InvariantCulture) };
        await using var central = await CentralProcess.StartAsync(options.Provider, keep);
        var siteId = await Setup.CreateSiteAsync(central, "bench-site", Setup.SitePassword);
        var now = DateTimeOffset.UtcNow;

        var load = Stopwatch.StartNew();
        var rows = central.IsPostgres
            ? await CopyPostgresAsync(central, Lines(siteId, sites, days, now))
            : await InsertSqliteAsync(central, Lines(siteId, sites, days, now));
        load.Stop();
        var size = central.IsPostgres
            ? await CentralDatabase.ScalarAsync(central, "SELECT pg_total_relation_size('site_log')")
            : new FileInfo(central.SqlitePath).Length;

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        string Day(int back) => today.AddDays(-back).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var queries = new (string Name, string Query)[]
        {
            ("today", ""),
            ("week", $"?from={Day(6)}"),
            ("range", $"?from={Day(days - 1)}"),
            ("rangeLevelError", $"?from={Day(days - 1)}&level=error"),
            ("rangeLevelWarning", $"?from={Day(days - 1)}&level=warning"),
            ("rangeSearch", $"?from={Day(days - 1)}&search=not%20active"),
            ("rangeSearchNoMatch", $"?from={Day(days - 1)}&search=no-such-text"),
        };
        var timings = new JsonObject();
        foreach (var (name, query) in queries)
        {
            timings[name] = await TimeQueryAsync(central, siteId, query, runs);
        }

        JsonObject? prune = null;
        if (options.Has("--prune"))
        {
            prune = await PruneAsync(central, siteId, now, days);
        }

        return Figures.Line("site-log", options.Provider,
            new JsonObject { ["sites"] = sites, ["days"] = days, ["linesPerSitePerDay"] = LinesPerSitePerDay, ["runs"] = runs },
            new JsonObject
            {
                ["rows"] = rows,
                ["rowsOfQueriedSite"] = rows / sites,
                ["databaseMiB"] = Figures.Round(size / 1024.0 / 1024.0, 0),
                ["loadSeconds"] = Figures.Seconds(load.Elapsed),
                ["queryMs"] = timings,
                ["firstRetentionPass"] = prune,
                ["centralPeakMiB"] = Figures.Round(central.PeakMemoryMiB()),
            });
    }

    private static async Task<JsonObject> TimeQueryAsync(CentralProcess central, int siteId, string query, int runs)
    {
        var path = $"api/sites/{siteId}/logs{query}";
        var returned = (await central.GetJsonAsync(path)).GetArrayLength(); // untimed: JIT and caches
        List<double> times = [];
        for (var run = 0; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            await central.GetJsonAsync(path);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        var summary = Figures.Summary(times);
        summary["returned"] = returned;
        return summary;
    }

    /// <summary>Central restarts with the default retention (90 days); its first pass deletes the older lines in batches
    /// while the log tab's query of today is timed against it.</summary>
    private static async Task<JsonObject> PruneAsync(CentralProcess central, int siteId, DateTimeOffset now, int days)
    {
        var before = await CentralDatabase.ScalarAsync(central, "SELECT COUNT(*) FROM site_log");
        var cutoff = now.AddDays(-90);
        var oldest = central.IsPostgres
            ? "SELECT COALESCE(EXTRACT(EPOCH FROM MIN(at))::bigint, 0) FROM site_log"
            : "SELECT COALESCE(MIN(at), 0) FROM site_log";
        bool Done(long value) => central.IsPostgres ? value >= cutoff.ToUnixTimeSeconds() - 60 : value >= cutoff.UtcTicks - TimeSpan.TicksPerMinute;

        var watch = Stopwatch.StartNew();
        await central.RestartAsync(new Dictionary<string, string>());
        List<double> queryDuring = [];
        while (!Done(await CentralDatabase.ScalarAsync(central, oldest)) && watch.Elapsed < TimeSpan.FromMinutes(60))
        {
            var query = Stopwatch.StartNew();
            await central.GetJsonAsync($"api/sites/{siteId}/logs");
            queryDuring.Add(query.Elapsed.TotalMilliseconds);
            await Task.Delay(1_000);
        }
        var seconds = watch.Elapsed.TotalSeconds;
        var after = await CentralDatabase.ScalarAsync(central, "SELECT COUNT(*) FROM site_log");
        return new JsonObject
        {
            ["deleted"] = before - after,
            ["secondsIncludingRestart"] = Figures.Round(seconds, 1),
            ["rowsPerSecond"] = Figures.Round((before - after) / seconds, 0),
            ["todayQueryMsDuringPass"] = Figures.Summary(queryDuring),
            ["daysBefore"] = days,
        };
    }

    private sealed record Line(int SiteId, DateTimeOffset At, string Level, string Event, string Message, int? IdleCycles);

    /// <summary>Site by site, oldest first, up to now.</summary>
    private static IEnumerable<Line> Lines(int firstSiteId, int sites, int days, DateTimeOffset now)
    {
        var start = new DateTimeOffset(DateOnly.FromDateTime(now.UtcDateTime).AddDays(1 - days).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        for (var site = 0; site < sites; site++)
        {
            var offset = TimeSpan.FromSeconds(site % 60);
            for (var day = 0; day < days; day++)
            {
                var date = start.AddDays(day);
                for (var hour = 0; hour < 24; hour++)
                {
                    var at = date.AddHours(hour) + offset;
                    if (at > now)
                    {
                        break;
                    }
                    yield return new Line(firstSiteId + site, at.AddSeconds(3), "info", "sync_completed", Invariant(
                        $"Sync completed 11 times with nothing to move, {at:HH}:00:03 to {at:HH}:50:03 UTC; the last in 0.1 s."), 11);
                    if (hour is 7 or 9 or 11 or 13 or 15 or 17)
                    {
                        if (hour is 9 or 15)
                        {
                            yield return new Line(firstSiteId + site, at.AddMinutes(30), "info", "integrated",
                                "Push integrated: 12 accepted, 0 of unknown tables kept, 0 rejected, in 35 ms.", null);
                        }
                        yield return new Line(firstSiteId + site, at.AddMinutes(30).AddSeconds(1), "info", "sync_completed",
                            "Sync completed in 1.4 s: pushed 12, pulled 3 central and 7 queued record(s).", null);
                    }
                    if (hour == 8 && (day + site) % 4 == 0)
                    {
                        yield return new Line(firstSiteId + site, at.AddMinutes(10), "warning", "auth_failed",
                            "Authentication failed: wrong password (1 of 10 attempts before the site is blocked).", null);
                    }
                    if (hour == 14 && (day + site) % 10 == 0)
                    {
                        yield return new Line(firstSiteId + site, at.AddMinutes(10), "error", "record_rejected", Invariant(
                            $"Rejected transact '{LegacyRecords.TransactId(day)}': store 'S{site}' is not active on this site."), null);
                    }
                }
            }
        }
    }

    private static async Task<long> InsertSqliteAsync(CentralProcess central, IEnumerable<Line> lines)
    {
        await using var connection = new SqliteConnection($"Data Source={central.SqlitePath};Pooling=False");
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            // This connection only: the load is not what is measured; central keeps its own FULL sync.
            pragma.CommandText = "PRAGMA busy_timeout=30000; PRAGMA synchronous=OFF;";
            await pragma.ExecuteNonQueryAsync();
        }
        long rows = 0;
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO site_log (site_id, at, level, event, message, username, idle_cycles) VALUES ($s, $a, $l, $e, $m, NULL, $c)";
        var (s, a, l, e, m, c) = (insert.Parameters.Add("$s", SqliteType.Integer), insert.Parameters.Add("$a", SqliteType.Integer),
            insert.Parameters.Add("$l", SqliteType.Text), insert.Parameters.Add("$e", SqliteType.Text),
            insert.Parameters.Add("$m", SqliteType.Text), insert.Parameters.Add("$c", SqliteType.Integer));
        SqliteTransaction? transaction = null;
        foreach (var line in lines)
        {
            if (rows % 50_000 == 0)
            {
                // Commits of 50,000 rows: the WAL is checkpointed as the load goes instead of growing to the table's size.
                if (transaction is not null)
                {
                    await transaction.CommitAsync();
                    await transaction.DisposeAsync();
                }
                transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
                insert.Transaction = transaction;
                insert.Prepare();
            }
            (s.Value, a.Value, l.Value, e.Value, m.Value, c.Value) =
                (line.SiteId, line.At.UtcTicks, line.Level, line.Event, line.Message, (object?)line.IdleCycles ?? DBNull.Value);
            await insert.ExecuteNonQueryAsync();
            rows++;
        }
        if (transaction is not null)
        {
            await transaction.CommitAsync();
            await transaction.DisposeAsync();
        }
        return rows;
    }

    private static async Task<long> CopyPostgresAsync(CentralProcess central, IEnumerable<Line> lines)
    {
        await using var connection = new NpgsqlConnection(central.PostgresConnectionString);
        await connection.OpenAsync();
        long rows = 0;
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY site_log (site_id, at, level, event, message, username, idle_cycles) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var line in lines)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(line.SiteId, NpgsqlDbType.Integer);
                await copy.WriteAsync(line.At, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(line.Level, NpgsqlDbType.Varchar);
                await copy.WriteAsync(line.Event, NpgsqlDbType.Varchar);
                await copy.WriteAsync(line.Message, NpgsqlDbType.Varchar);
                await copy.WriteNullAsync();
                if (line.IdleCycles is { } cycles)
                {
                    await copy.WriteAsync(cycles, NpgsqlDbType.Integer);
                }
                else
                {
                    await copy.WriteNullAsync();
                }
                rows++;
            }
            await copy.CompleteAsync();
        }
        // What autovacuum would have done by the time a year of lines has accumulated.
        await using var analyze = new NpgsqlCommand("ANALYZE site_log", connection);
        await analyze.ExecuteNonQueryAsync();
        return rows;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

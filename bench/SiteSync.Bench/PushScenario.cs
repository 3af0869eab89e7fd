using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SiteSync.Bench;

/// <summary>DESIGN §9 "push": a synced remote stores N local edits (<c>sitesync remote records put</c>), then one
/// <c>sitesync remote sync</c> process pushes them; records/s until central has integrated them all and the remote has seen
/// <c>site_status</c> idle.</summary>
/// <remarks>The figure is the remote's own: its <c>pushing local changes N/N · R/s</c> progress line covers the push phase from the
/// first batch until central answered the final empty batch, which it does once the whole push is integrated (the remote then
/// sleeps 1 s and sees <c>site_status</c> idle). The same moment is also given from the process start (JIT included).</remarks>
public static partial class PushScenario
{
    public static async Task<JsonObject> RunAsync(BenchOptions options)
    {
        var count = options.Size("--records", 50_000, 1_000);
        var records = new LegacyRecords(options.RecordBytes);
        await using var central = await CentralProcess.StartAsync(options.Provider);
        await Warmup.RunAsync(central, records, options);
        var storeId = await Setup.CreateStoreAsync(central, "PUSH", "District store");
        await Setup.CreateSiteAsync(central, "bench-site", Setup.SitePassword, storeId);
        var (data, _) = await Setup.RemoteAsync(central, "bench-site");
        var file = Path.Combine(data, "edits.json");
        try
        {
            var edits = new StringBuilder("[");
            for (var i = 0; i < count; i++)
            {
                edits.Append(i == 0 ? "" : ",").Append(records.Transact(i, storeId));
            }
            await File.WriteAllTextAsync(file, edits.Append(']').ToString());
            var put = await Cli.RunOkAsync("", "remote", "records", "put", "transact", "--file", file, "--data", data);

            var trace = options.Text("--trace") is { } traceFile ? await Trace.StartAsync(central.ProcessId, traceFile, TimeSpan.FromSeconds(30)) : null;
            var sync = await Cli.RunOkAsync("", "remote", "sync", "--data", data);
            if (trace is not null)
            {
                await trace.DisposeAsync();
            }
            var integrated = sync.LineAt("pushing local changes");
            var pushLine = sync.Lines.Select(l => PushRate().Match(l.Line)).FirstOrDefault(m => m.Success);
            var phaseRate = pushLine is null ? (double?)null : double.Parse(pushLine.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
            var onCentral = await CountOnCentralAsync(central, count);
            return Figures.Line("push", options.Provider,
                new JsonObject { ["records"] = count, ["recordBytes"] = records.RecordBytes },
                new JsonObject
                {
                    ["recordsPerSecond"] = Figures.Round(phaseRate, 0),
                    ["secondsToIntegratedFromProcessStart"] = Figures.Seconds(integrated),
                    ["recordsPerSecondFromProcessStart"] = Figures.Round(count / integrated?.TotalSeconds, 0),
                    ["syncSeconds"] = Figures.Seconds(sync.Elapsed),
                    ["sampledOnCentral"] = onCentral,
                    ["localPutSeconds"] = Figures.Seconds(put.Elapsed),
                    ["remotePeakMiB"] = Figures.Round(sync.PeakMiB),
                    ["centralPeakMiB"] = Figures.Round(central.PeakMemoryMiB()),
                });
        }
        finally
        {
            Setup.DeleteRemote(data);
        }
    }

    [GeneratedRegex(@"^pushing local changes [\d,]+/[\d,]+ · ([\d,]+)/s")]
    private static partial Regex PushRate();

    /// <summary>Checks on central, through the admin API, a sample of the pushed records (first, last, every 1,000th).</summary>
    private static async Task<int> CountOnCentralAsync(CentralProcess central, int count)
    {
        var found = 0;
        foreach (var i in Enumerable.Range(0, count).Where(i => i % 1_000 == 0 || i == count - 1))
        {
            await central.GetJsonAsync($"api/records/transact/{LegacyRecords.TransactId(i)}");
            found++;
        }
        return found;
    }
}

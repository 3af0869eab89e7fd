using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace SiteSync.Bench;

/// <summary>Issue 9: one site pushes N records (default 20,000) of which a third are outbound shipments to the stores of five
/// other sites, the way the Open mSupply client pushes (batches of 1,024, then the final empty batch, whose answer waits for
/// the integration). Reports the push and the integration time, and what each receiving site finds in its queue.</summary>
public static class TransferPushScenario
{
    private const int Receivers = 5;
    private const int Batch = 1024;

    public static async Task<JsonObject> RunAsync(BenchOptions options)
    {
        var count = options.Size("--records", 20_000, 3_000);
        var records = new LegacyRecords(options.RecordBytes);
        await using var central = await CentralProcess.StartAsync(options.Provider);
        var pusherStore = await Setup.CreateStoreAsync(central, "SUPPLIER", "Supplying store");
        await Setup.CreateSiteAsync(central, "pusher", Setup.SitePassword, pusherStore);
        var receiverNames = new List<string>();
        for (var r = 0; r < Receivers; r++)
        {
            var store = await central.PostJsonAsync("api/stores", new JsonObject { ["code"] = $"C{r}", ["name"] = $"Clinic {r}" }.ToJsonString());
            receiverNames.Add(store.GetProperty("nameId").GetString()!);
            await Setup.CreateSiteAsync(central, $"receiver-{r}", Setup.SitePassword, store.GetProperty("id").GetString()!);
        }
        using var http = V5Site.CreateHttpClient(central.BaseAddress);
        var pusher = new V5Site(http, "pusher", Setup.SitePassword, "hw-pusher");
        await pusher.InitialSyncAsync(CancellationToken.None);
        var receivers = Enumerable.Range(0, Receivers).Select(r => new V5Site(http, $"receiver-{r}", Setup.SitePassword, $"hw-receiver-{r}")).ToList();
        foreach (var receiver in receivers)
        {
            await receiver.InitialSyncAsync(CancellationToken.None);
        }

        // Every third record is a shipment to one of the five clinics; the rest are invoices to a customer that is no store.
        var transfers = 0;
        var all = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var transact = records.Transact(i, pusherStore);
            if (i % 3 == 0)
            {
                transact = transact.Replace(LegacyRecords.CustomerNameId, receiverNames[i / 3 % Receivers], StringComparison.Ordinal);
                transfers++;
            }
            all.Add(string.Create(CultureInfo.InvariantCulture,
                $$"""{"syncOutId":"{{i + 1}}","tableName":"transact","recordId":"{{LegacyRecords.TransactId(i)}}","action":"Update","recordData":{{transact}}}"""));
        }

        var cpuBefore = central.CpuSeconds();
        var watch = Stopwatch.StartNew();
        for (var offset = 0; offset < count; offset += Batch)
        {
            var batch = new StringBuilder().Append(CultureInfo.InvariantCulture, $$"""{"queueLength":{{count - offset}},"data":[""");
            batch.AppendJoin(',', all.Skip(offset).Take(Batch)).Append("]}");
            await pusher.PostAsync("sync/v5/queued_records", batch.ToString(), CancellationToken.None);
        }
        var buffered = watch.Elapsed;
        await pusher.PostAsync("sync/v5/queued_records", """{"queueLength":0,"data":[]}""", CancellationToken.None);
        var integrated = watch.Elapsed;
        await pusher.WaitIdleAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None);

        var queued = new JsonArray();
        foreach (var receiver in receivers)
        {
            var page = await receiver.GetAsync("sync/v5/queued_records?limit=1", CancellationToken.None);
            queued.Add(page.GetProperty("queueLength").GetInt64());
        }
        return Figures.Line("transfer-push", options.Provider,
            new JsonObject { ["records"] = count, ["transfers"] = transfers, ["receivingSites"] = Receivers, ["recordBytes"] = records.RecordBytes, ["batch"] = Batch },
            new JsonObject
            {
                ["bufferSeconds"] = Figures.Seconds(buffered),
                ["integrationSeconds"] = Figures.Seconds(integrated - buffered),
                ["pushToIntegratedSeconds"] = Figures.Seconds(integrated),
                ["recordsPerSecond"] = Figures.Round(count / integrated.TotalSeconds, 0),
                ["queuedPerReceivingSite"] = queued,
                ["centralCpuSeconds"] = Figures.Round(central.CpuSeconds() - cpuBefore, 2),
                ["centralPeakMiB"] = Figures.Round(central.PeakMemoryMiB()),
            });
    }
}

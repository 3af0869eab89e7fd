using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SiteSync.Bench;

/// <summary>Central side of initialisation: how long <c>POST initialise</c> keeps a site waiting for a store of N records,
/// and how fast the site can then drain its queue (pull 500 + acknowledge) over loopback HTTP.</summary>
public static class InitialiseScenario
{
    public static async Task<JsonObject> RunAsync(string provider, int records)
    {
        await using var central = await CentralProcess.StartAsync(provider);
        var store = await central.PostJsonAsync("api/stores", """{"code":"BIG","name":"Regional warehouse"}""");
        var storeId = store.GetProperty("id").GetString()!;

        var load = Stopwatch.StartNew();
        for (var offset = 0; offset < records; offset += 5_000)
        {
            var batch = new JsonArray();
            for (var i = offset; i < Math.Min(records, offset + 5_000); i++)
            {
                batch.Add(new JsonObject
                {
                    ["ID"] = $"line-{i:D8}",
                    ["store_ID"] = storeId,
                    ["item_ID"] = $"item-{i % 5_000}",
                    ["batch"] = $"B{i}",
                    ["expiry_date"] = "2027-06-30",
                    ["pack_size"] = 10,
                    ["quantity"] = 700.36363636,
                    ["cost_price"] = 12.5,
                    ["sell_price"] = 15,
                    ["location_ID"] = "",
                    ["note"] = "stock line created by the benchmark",
                });
            }
            await central.PostJsonAsync("api/records", new JsonObject { ["item_line"] = batch }.ToJsonString());
        }
        load.Stop();

        await central.PostJsonAsync("api/sites",
            new JsonObject { ["name"] = "bench-site", ["password"] = "bench-site-password", ["storeIds"] = new JsonArray(storeId) }.ToJsonString());
        using var site = new HttpClient(new HttpClientHandler { AutomaticDecompression = System.Net.DecompressionMethods.GZip })
        {
            BaseAddress = central.BaseAddress,
            Timeout = TimeSpan.FromMinutes(10),
        };
        site.DefaultRequestHeaders.Authorization = CentralProcess.Basic("bench-site",
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("bench-site-password"))));
        site.DefaultRequestHeaders.Add("version", "14");
        site.DefaultRequestHeaders.Add("msupply-site-uuid", "bench-hardware-id");
        site.DefaultRequestHeaders.Add("app-name", "SiteSync Bench");
        await site.GetStringAsync("sync/v5/site"); // warm: authentication and the verified-secret cache

        List<double> initialise = [];
        long queueLength = 0;
        for (var run = 0; run < 3; run++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await site.PostAsync("sync/v5/initialise", new ByteArrayContent("{}"u8.ToArray()));
            var body = await response.Content.ReadAsStringAsync();
            watch.Stop();
            response.EnsureSuccessStatusCode();
            initialise.Add(watch.Elapsed.TotalMilliseconds);
            queueLength = JsonDocument.Parse(body).RootElement.GetProperty("queueLength").GetInt64();
        }

        var drain = Stopwatch.StartNew();
        var pulled = 0;
        var firstPageMs = 0.0;
        while (true)
        {
            var page = Stopwatch.StartNew();
            var text = await site.GetStringAsync("sync/v5/queued_records?limit=500");
            if (pulled == 0)
            {
                firstPageMs = page.Elapsed.TotalMilliseconds;
            }
            using var document = JsonDocument.Parse(text);
            var data = document.RootElement.GetProperty("data");
            if (data.GetArrayLength() == 0)
            {
                break;
            }
            pulled += data.GetArrayLength();
            var ids = new JsonArray([.. data.EnumerateArray().Select(r => (JsonNode)r.GetProperty("syncOutId").GetString()!)]);
            using var ack = await site.PostAsync("sync/v5/acknowledged_records", new StringContent(new JsonObject { ["syncIDs"] = ids }.ToJsonString()));
            ack.EnsureSuccessStatusCode();
        }
        drain.Stop();

        initialise.Sort();
        return new JsonObject
        {
            ["scenario"] = "initialise-central",
            ["provider"] = provider,
            ["records"] = records,
            ["queueLength"] = queueLength,
            ["initialiseMs"] = new JsonObject
            {
                ["min"] = Math.Round(initialise[0], 1),
                ["median"] = Math.Round(initialise[1], 1),
                ["max"] = Math.Round(initialise[2], 1),
            },
            ["firstPageMs"] = Math.Round(firstPageMs, 1),
            ["drainRecordsPerSecond"] = Math.Round(pulled / drain.Elapsed.TotalSeconds),
            ["drained"] = pulled,
            ["loadRecordsPerSecond"] = Math.Round(records / load.Elapsed.TotalSeconds),
            ["centralPeakMiB"] = Math.Round(central.PeakMemoryMiB(), 1),
            ["machine"] = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}",
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
    }
}

using System.Text.Json.Nodes;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Sync;

/// <summary>No change-log row may be skipped while central data is being written (issue 8): a reader that follows the Open
/// mSupply client's cursor rule exactly (an empty page below <c>maxCursor</c> steps the cursor by one) must still receive
/// every committed row.</summary>
public sealed class ChangeLogConsistencyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothEngines))]
    public async Task AReaderAtTheHeadOfTheLogReceivesEveryRowCommittedWhileItReads(Engine engine)
    {
        const int Writers = 6;
        const int ItemsPerWriter = 250;
        // An administrator's script writing fast: the admin API's rate limit is raised for it, as an operator would.
        await using var central = await TestCentral.StartAsync(engine, new Dictionary<string, string?>
        {
            ["SiteSync:RateLimits:BasicPerUserPerMinute"] = "100000", ["SiteSync:RateLimits:BasicPerAddressPerMinute"] = "100000",
        });
        await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var client = SyncScenario.Client(central, "clinic");
        await client.GetAsync("/sync/v5/site");

        var writing = Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < ItemsPerWriter; i++)
            {
                var item = new JsonObject { ["ID"] = $"w{writer}-{i:D4}", ["code"] = $"W{writer}{i}", ["item_name"] = "x", ["type_of"] = "general" };
                await central.Admin.UpsertRecordsAsync($$"""{"item":[{{item.ToJsonString()}}]}""");
            }
        }, Ct)));

        // The client's central-data loop (client notes §3.5), polling at the head of the log the whole time.
        HashSet<string> received = [];
        long cursor = 0;
        var emptyStepsPastRows = 0;
        while (true)
        {
            var done = writing.IsCompleted;
            var page = await client.GetAsync($"/sync/v5/central_records?cursor={cursor}&limit=500");
            Assert.Equal(200, page.Status);
            var data = page.Json.GetProperty("data");
            var maxCursor = page.Json.GetProperty("maxCursor").GetInt64();
            foreach (var row in data.EnumerateArray())
            {
                received.Add(row.GetProperty("recordId").GetString()!);
                cursor = row.GetProperty("ID").GetInt64();
            }
            if (data.GetArrayLength() == 0 && cursor < maxCursor)
            {
                emptyStepsPastRows++;
                cursor++; // What the Open mSupply client does: the row at this id is never asked for again.
            }
            else if (data.GetArrayLength() == 0 && done)
            {
                break;
            }
        }
        await writing;

        var written = Enumerable.Range(0, Writers).SelectMany(w => Enumerable.Range(0, ItemsPerWriter).Select(i => $"w{w}-{i:D4}")).ToHashSet();
        var missed = written.Except(received).Order().ToList();
        Assert.True(missed.Count == 0, $"{missed.Count} of {written.Count} rows skipped ({emptyStepsPastRows} empty pages below maxCursor): {string.Join(", ", missed.Take(10))}");
        Assert.Equal(0, emptyStepsPastRows);
    }
}

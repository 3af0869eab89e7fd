using System.Text;
using System.Text.Json;
using SiteSync.Remote.Sync;
using SiteSync.Remote.Tests.Support;
using SiteSync.Testing;

namespace SiteSync.Remote.Tests;

/// <summary>Issue 10: the pull keeps each record's UTF-8 bytes from central's answer to SQLite without a .NET string per record;
/// what a site stores must still be exactly the text central sent, as TEXT (SQLite's JSON functions read a BLOB as JSONB).</summary>
public sealed class PulledBytesTests : IDisposable
{
    private readonly FakeCentral _central = new();
    private readonly List<TestSite> _sites = [];

    // Escapes of every kind (kept as escapes, never decoded), raw non-ASCII of 2, 3 and 4 UTF-8 bytes, and whitespace inside.
    private const string Item =
        "{ \"ID\" : \"item-u\",\n  \"name\":\"Caf\\u00e9 \\\"strong\\\" a\\\\b c\\/d \\ud83d\\ude00 \\t\",\t\"note\":\"é 日本 😀 ü\", \"n\":[1, 2.50, -0e3, true, null] }";

    private const string Transact =
        "{\"ID\":\"t-u\",\"store_ID\":\"store-1\",\"comment\":\"Lieferschein Nr. 7 – Ärzte \\u2013 \\u0000 ok\",\"x\":{ \"deep\" : [ {} ] }}";

    public void Dispose()
    {
        foreach (var site in _sites)
        {
            site.Dispose();
        }
    }

    [Fact]
    public async Task BothPullsStoreTheExactBytesCentralSentAsText()
    {
        _central.AddStore("store-1", FakeCentral.SiteId);
        _central.UpsertCentral("item", Item);
        _central.AddInitialiseData("transact", Transact);
        var site = await TestSite.CreateAsync(_central);
        _sites.Add(site);

        var report = await site.SyncAsync();

        Assert.Equal(SyncOutcomes.Ok, report.Outcome);
        foreach (var (table, id, json) in new[] { ("item", "item-u", Item), ("transact", "t-u", Transact) })
        {
            var where = $"FROM records WHERE table_name = '{table}' AND record_id = '{id}'";
            Assert.Equal("text", await site.ScalarAsync<string>($"SELECT typeof(data) {where}"));
            Assert.Equal(Convert.ToHexString(Encoding.UTF8.GetBytes(json)), await site.ScalarAsync<string>($"SELECT hex(data) {where}"));
            Assert.Equal(json, (await site.Site.GetRecordAsync(table, id, TestContext.Current.CancellationToken))!.Data);
        }

        // SQLite's JSON functions read the stored text as JSON (a BLOB would be read as JSONB and fail).
        Assert.Equal("store-1", await site.ScalarAsync<string>("SELECT store_id FROM records WHERE record_id = 't-u'"));
        Assert.Equal("é 日本 😀 ü", await site.ScalarAsync<string>("SELECT json_extract(data, '$.note') FROM records WHERE record_id = 'item-u'"));
    }

    [Fact]
    public async Task BufferedRecordsAreTextBeforeIntegration()
    {
        _central.AddStore("store-1", FakeCentral.SiteId);
        _central.UpsertCentral("item", Item);
        var site = await TestSite.CreateAsync(_central);
        _sites.Add(site);
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();

        var report = await site.SyncAsync(new SyncCycleOptions { StopAfterBatch = stop.Token });

        Assert.Equal(SyncOutcomes.Stopped, report.Outcome);
        Assert.Equal("text", await site.ScalarAsync<string>("SELECT typeof(data) FROM incoming WHERE record_id = 'item-u'"));
        Assert.Equal(Convert.ToHexString(Encoding.UTF8.GetBytes(Item)), await site.ScalarAsync<string>("SELECT hex(data) FROM incoming WHERE record_id = 'item-u'"));
    }

    [Fact]
    public void RecordDataWithBytesThatAreNotUtf8RefusesThePageAsRawJsonDid()
    {
        var page = Encoding.UTF8.GetBytes("""{"maxCursor":1,"data":[{"ID":1,"tableName":"item","recordId":"i","action":"Update","recordData":{"ID":"i","name":"AB"}}]}""");
        var at = Array.IndexOf(page, (byte)'B');
        page[at] = 0xFF;

        Assert.Throws<JsonException>(() => PulledPages.ReadCentral(page));
    }

    [Fact]
    public void RecordDataIsTheSliceOfTheAnswerAndTheRestReadsAsTheWireContextDoes()
    {
        var page = Encoding.UTF8.GetBytes(
            """{"MAXCURSOR":"9","data":[{"id":7,"TableName":"item","recordId":"i","action":"Delete"},{"ID":8,"tableName":"item","recordId":"j","action":"update","recordData": [ 1 , "\u00e9" ] }]}""");

        var read = PulledPages.ReadCentral(page)!;

        Assert.Equal(9, read.MaxCursor);
        Assert.Equal((7L, "item", "Delete", false), (read.Data![0].Id, read.Data[0].TableName, read.Data[0].Action, read.Data[0].RecordData.HasValue));
        Assert.Equal("""[ 1 , "\u00e9" ]""", read.Data[1].RecordData.ToString());
        Assert.Throws<JsonException>(() => PulledPages.ReadCentral(Encoding.UTF8.GetBytes("""{"maxCursor":1,"maxCursor":2,"data":[]}""")));
    }
}

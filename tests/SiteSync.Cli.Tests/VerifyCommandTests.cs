using System.Net;
using System.Text.Json.Nodes;
using SiteSync.Cli.Tests.Support;
using SiteSync.Protocol.Sync;
using SiteSync.Testing;

namespace SiteSync.Cli.Tests;

/// <summary><c>sitesync remote verify</c>: output, JSON and exit codes against a fake central whose copy the test controls.</summary>
public sealed class VerifyCommandTests : IDisposable
{
    private const string Store = """{"ID":"store-1","name":"Store store-1","code":"store-1","sync_id_remote_site":7}""";
    private const string Item1 = """{"ID":"item-1","name":"Paracetamol"}""";
    private const string Item2 = """{"ID":"item-2","name":"Amoxicillin"}""";
    private readonly CliRun _cli = new();
    private readonly FakeIntegrity _integrity = new();

    public VerifyCommandTests() => _cli.Central.Fault = _integrity.HandleAsync;

    private async Task SyncedSiteAsync()
    {
        _cli.Central.UpsertCentral("store", Store);
        _cli.Central.UpsertCentral("item", Item1);
        _cli.Central.UpsertCentral("item", Item2);
        await _cli.InitAsync();
        var (exitCode, _, error) = await _cli.InvokeAsync("", "remote", "sync");
        Assert.True(exitCode == 0, error);
        var (putCode, _, putError) = await _cli.InvokeAsync("""{"ID":"t-1","store_ID":"store-1"}""", "remote", "records", "put", "transact");
        Assert.True(putCode == 0, putError);
        Assert.Equal(0, (await _cli.InvokeAsync("", "remote", "sync")).ExitCode);
    }

    [Fact]
    public async Task VerifyOfASiteThatMatchesCentralExitsWith0()
    {
        await SyncedSiteAsync();
        _integrity.Add("store", Store);
        _integrity.Add("item", Item1);
        _integrity.Add("item", Item2);
        _integrity.Add("transact", """{"ID":"t-1","store_ID":"store-1"}""", "store-1");

        var (exitCode, output, error) = await _cli.InvokeAsync("", "remote", "verify");

        Assert.True(exitCode == 0, output + error);
        Assert.StartsWith("matches: the 4 records of this site match central's copy (3 groups", output, StringComparison.Ordinal);
        Assert.Empty(_integrity.Reports);
    }

    [Fact]
    public async Task VerifyNamesTheRecordsThatDifferReportsThemAndExitsWith1()
    {
        await SyncedSiteAsync();
        _integrity.Add("store", Store);
        _integrity.Add("item", """{"ID":"item-1","name":"Paracetamol 500"}""");
        _integrity.Add("item", Item2);
        _integrity.Add("item", """{"ID":"item-3","name":"Only on central"}""");

        var (exitCode, output, _) = await _cli.InvokeAsync("", "remote", "verify");

        Assert.Equal(1, exitCode);
        string[] expected =
        [
            "differs: 2 of 3 groups differ from central's copy (checked 2026-11-26 06:00:00Z):",
            "  item: site 2 records, central 3",
            "  transact, store store-1: site 1 records, central 0",
            "3 record(s) differ:",
            "  item item-1: different content",
            "  item item-3: missing at this site",
            "  transact t-1 (store store-1): missing at central",
        ];
        Assert.Equal(expected, output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var report = Assert.Single(_integrity.Reports);
        Assert.Equal(FakeIntegrity.AuditId, report.AuditId);
        Assert.Equal(3, report.DifferenceCount);
        Assert.Equal(["item-1", "item-3", "t-1"], report.Differences!.Select(d => d.RecordId).Order());
    }

    [Fact]
    public async Task VerifyJsonGivesTheGroupsAndTheDifferences()
    {
        await SyncedSiteAsync();
        _integrity.Add("store", Store);
        _integrity.Add("item", Item1);
        _integrity.Add("transact", """{"ID":"t-1","store_ID":"store-1","status":"cn"}""", "store-1");

        var (exitCode, output, _) = await _cli.InvokeAsync("", "remote", "verify", "--json");

        Assert.Equal(1, exitCode);
        var result = JsonNode.Parse(output)!;
        Assert.False((bool)result["matches"]!);
        Assert.True((bool)result["isSettled"]!);
        Assert.Equal(2, (long)result["differenceCount"]!);
        var differences = result["differences"]!.AsArray().Select(d => ((string)d!["recordId"]!, (string)d["kind"]!)).Order();
        Assert.Equal([("item-2", IntegrityDifferenceKinds.MissingAtCentral), ("t-1", IntegrityDifferenceKinds.DifferentContent)], differences);
    }

    [Fact]
    public async Task VerifyRefusedByCentralExitsWith3()
    {
        await SyncedSiteAsync();
        _integrity.Refuse = () => FakeCentral.Error(HttpStatusCode.Forbidden, SyncErrorCodes.StoreNotActiveOnSite, "not your store");

        var (exitCode, output, error) = await _cli.InvokeAsync("", "remote", "verify");

        Assert.Equal(3, exitCode);
        Assert.Empty(output);
        Assert.Contains(SyncErrorCodes.StoreNotActiveOnSite, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyWhenCentralCannotBeReachedExitsWith1()
    {
        await SyncedSiteAsync();
        _integrity.Refuse = () => throw new HttpRequestException("connection refused");

        var (exitCode, _, error) = await _cli.InvokeAsync("", "remote", "verify");

        Assert.Equal(1, exitCode);
        Assert.Contains("connection_error", error, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}

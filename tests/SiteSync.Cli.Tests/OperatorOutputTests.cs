using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SiteSync.Cli.Remote;
using SiteSync.Cli.Tests.Support;
using SiteSync.Remote.Sync;
using SiteSync.Testing;

namespace SiteSync.Cli.Tests;

/// <summary>What an operator reads: JSON on stdout for scripts even when a sync fails, hints that keep their <c>--data</c>,
/// stores by name, labelled times, and progress in words and numbers.</summary>
public sealed class OperatorOutputTests : IDisposable
{
    private readonly CliRun _cli = new();

    [Fact]
    public async Task SyncJsonPrintsAFailureObjectOnStdoutWhenCentralRefuses()
    {
        await _cli.InitAsync();
        _cli.Central.BoundHardwareId = "another-device";

        var (exitCode, output, error) = await _cli.InvokeAsync("", "remote", "sync", "--json");

        Assert.Equal(3, exitCode);
        var failure = JsonNode.Parse(output)!;
        Assert.Equal("failed", (string)failure["outcome"]!);
        Assert.Equal("site_incorrect_hardware_id", (string)failure["code"]!);
        Assert.Equal(401, (int)failure["httpStatus"]!);
        Assert.Equal(3, (int)failure["exitCode"]!);
        Assert.Contains("site_incorrect_hardware_id", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncJsonPrintsAFailureObjectWhenTheDirectoryHoldsNoSite()
    {
        var (exitCode, output, _) = await _cli.InvokeAsync("", "remote", "sync", "--json");

        Assert.Equal(1, exitCode);
        Assert.Equal("not_set_up", (string)JsonNode.Parse(output)!["code"]!);
    }

    [Fact]
    public async Task InitSaysItDidNotCheckThePasswordAndHowToCheckItInTheSameDirectory()
    {
        var data = Path.Combine(_cli.DataDirectory, "site a");

        var (exitCode, output, _) = await _cli.InvokeAsync(FakeCentral.Password + "\n",
            "remote", "init", "--server", FakeCentral.Url.ToString(), "--site", FakeCentral.SiteName, "--password-stdin", "--data", data);

        Assert.Equal(0, exitCode);
        Assert.Contains("were not checked", output, StringComparison.Ordinal);
        Assert.Contains($"sitesync remote check --data '{data}'", output, StringComparison.Ordinal);
        Assert.Empty(_cli.Central.Requests);
    }

    [Fact]
    public async Task HintsKeepTheDataDirectoryTheUserGave()
    {
        var data = Path.Combine(_cli.DataDirectory, "elsewhere");

        var (exitCode, _, error) = await _cli.InvokeAsync("", "remote", "status", "--data", data);

        Assert.Equal(1, exitCode);
        Assert.Contains($"run 'sitesync remote init --data {data} --server URL --site NAME' first", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerUrlWithAPathIsReachedBelowThatPath()
    {
        await _cli.InvokeAsync(FakeCentral.Password + "\n",
            "remote", "init", "--server", "http://central.test:5080/sitesync", "--site", FakeCentral.SiteName, "--password-stdin");

        await _cli.InvokeAsync("", "remote", "check");

        Assert.Equal("/sitesync/sync/v5/site", _cli.Central.Requests[0].Path);
    }

    [Fact]
    public async Task StatusNamesTheStoresAndLabelsBothTimesOfTheLastSync()
    {
        _cli.Central.AddStore("store-1", FakeCentral.SiteId);
        await _cli.InitAsync();
        await _cli.InvokeAsync("", "remote", "sync");

        var (exitCode, output, _) = await _cli.InvokeAsync("", "remote", "status");

        Assert.Equal(0, exitCode);
        var lines = output.Split('\n');
        Assert.Contains(lines, line => line.StartsWith("Active stores:", StringComparison.Ordinal) && line.EndsWith("store-1 Store store-1", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("Last sync:", StringComparison.Ordinal)
            && line.Contains("ok, started ", StringComparison.Ordinal) && line.Contains(", finished ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("Last successful: finished ", StringComparison.Ordinal));
    }

    [Fact]
    public void ProgressOnATerminalReadsLikeASentenceWithRateAndEta()
    {
        var time = new FakeTimeProvider();
        using var output = new StringWriter();
        var renderer = new ProgressRenderer(new CliContext { Out = output, Error = TextWriter.Null, In = TextReader.Null, IsTerminal = true, Time = time });

        renderer.Report(new SyncProgress(SyncPhases.SiteInfo, 0, null));
        renderer.Report(new SyncProgress(SyncPhases.PullCentral, 0, 150_000));
        time.Advance(TimeSpan.FromSeconds(5));
        renderer.Report(new SyncProgress(SyncPhases.PullCentral, 12_000, 150_000));
        var live = output.ToString();
        time.Advance(TimeSpan.FromSeconds(55));
        renderer.Report(new SyncProgress(SyncPhases.PullCentral, 150_000, 150_000));
        renderer.Complete();

        Assert.Contains("asking central for the site's details", live, StringComparison.Ordinal);
        Assert.Contains("\rpulling central records 12,000/150,000 · 2,400/s · ETA 0:58\u001b[K", live, StringComparison.Ordinal);
        Assert.EndsWith("\rpulling central records 150,000/150,000 · 2,500/s\u001b[K" + Environment.NewLine, output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(": 0", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void WaitingPhasesShowWhatTheyWaitForAndForHowLong()
    {
        var time = new FakeTimeProvider();
        using var output = new StringWriter();
        var renderer = new ProgressRenderer(new CliContext { Out = output, Error = TextWriter.Null, In = TextReader.Null, IsTerminal = false, Time = time });

        renderer.Report(new SyncProgress(SyncPhases.WaitIntegration, 0, null));
        time.Advance(TimeSpan.FromSeconds(3));
        renderer.Complete();

        Assert.Equal("waiting for central to integrate the push · 0:03" + Environment.NewLine, output.ToString());
    }

    public void Dispose() => _cli.Dispose();
}

using System.Diagnostics;
using System.Text.Json;

namespace SiteSync.IntegrationTests.Hosting;

/// <summary>Every benchmark scenario (bench/README.md) still runs end to end: once, at its <c>--quick</c> size, on SQLite,
/// as its own process against a real central process. No thresholds: figures are for <c>bench/README.md</c>, never for
/// tests (DESIGN §9); the test asserts only that the scenario prints one well-formed JSON line about itself.</summary>
public sealed class BenchSmokeTests
{
    public static TheoryData<string> Scenarios => ["initialise", "initialise-central", "resync", "push", "move", "fleet", "site-log"];

    [Theory, MemberData(nameof(Scenarios))]
    public async Task TheScenarioPrintsOneWellFormedJsonLineAtItsQuickSize(string scenario)
    {
        var (exitCode, output, error) = await RunBenchAsync(scenario, "--quick", "--provider", "sqlite");

        Assert.True(exitCode == 0, $"exit {exitCode}: {error}");
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        using var json = JsonDocument.Parse(line);
        Assert.Equal(scenario, json.RootElement.GetProperty("scenario").GetString());
        Assert.Equal("sqlite", json.RootElement.GetProperty("provider").GetString());
        Assert.Equal(JsonValueKind.Object, json.RootElement.GetProperty("parameters").ValueKind);
        Assert.NotEmpty(json.RootElement.GetProperty("figures").EnumerateObject());
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunBenchAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "SiteSync.Bench.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("SITESYNC_BENCH_VERBOSE");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await output, await error);
    }
}

using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SiteSync.Bench;

/// <summary>End-to-end scenarios of DESIGN §9 against a real central process; each prints one JSON line (bench/README.md):
/// <c>SiteSync.Bench.dll SCENARIO [--provider sqlite|postgres] [--quick] [options]</c>.</summary>
/// <remarks>Not top-level statements: .NET 10 makes that <c>Program</c> class public, and the integration tests reference
/// both this harness (to run it) and central (whose <c>Program</c> they host).</remarks>
internal static class BenchProgram
{
    public const string Known = "initialise, initialise-central, resync, push, transfer-push, move, fleet, auth-burst, site-log";

    public static async Task<int> Main(string[] args)
    {
        var options = new BenchOptions(args);
        Func<Task<JsonObject>>? run = options.Scenario switch
        {
            "initialise" => () => RemoteInitialiseScenario.RunAsync(options),
            "initialise-central" => () => InitialiseScenario.RunAsync(options),
            "resync" => () => ResyncScenario.RunAsync(options),
            "push" => () => PushScenario.RunAsync(options),
            "transfer-push" => () => TransferPushScenario.RunAsync(options),
            "auth-burst" => () => AuthBurstScenario.RunAsync(options),
            "move" => () => MoveScenario.RunAsync(options),
            "fleet" => () => FleetScenario.RunAsync(options),
            "site-log" => () => SiteLogScenario.RunAsync(options),
            "trace-report" => () => Task.FromResult(TraceReport.Run(args[1], options.Size("--top", 40, 40))),
            _ => null,
        };
        if (run is null)
        {
            await Console.Error.WriteLineAsync($"Unknown scenario '{options.Scenario}'. Known: {Known}.");
            return 2;
        }

        var result = await run();
        string line;
        try
        {
            line = result.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            // Never lose a run to its report: say which figure could not be written.
            line = new JsonObject { ["scenario"] = options.Scenario, ["provider"] = options.Provider, ["reportError"] = exception.Message }.ToJsonString();
        }
        Console.WriteLine(line);
        return 0;
    }
}

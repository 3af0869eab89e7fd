using System.Globalization;
using SiteSync.Bench;

// End-to-end scenarios of DESIGN §9: each prints one JSON line. Usage:
//   dotnet run -c Release --project bench/SiteSync.Bench -- initialise-central [--provider sqlite|postgres] [--records N]
//   dotnet run -c Release --project bench/SiteSync.Bench -- initialise [--provider sqlite|postgres] [--central N] [--store M]
var scenario = args.FirstOrDefault() ?? "initialise-central";
var provider = Option("--provider") ?? "sqlite";
var records = int.Parse(Option("--records") ?? "50000", CultureInfo.InvariantCulture);

var result = scenario switch
{
    "initialise-central" => await InitialiseScenario.RunAsync(provider, records),
    "initialise" => await RemoteInitialiseScenario.RunAsync(provider,
        int.Parse(Option("--central") ?? "100000", CultureInfo.InvariantCulture), int.Parse(Option("--store") ?? "50000", CultureInfo.InvariantCulture)),
    _ => throw new ArgumentException($"Unknown scenario '{scenario}'. Known: initialise, initialise-central."),
};
Console.WriteLine(result.ToJsonString());

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

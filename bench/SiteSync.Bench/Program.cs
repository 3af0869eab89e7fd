using System.Globalization;
using SiteSync.Bench;

// End-to-end scenarios of DESIGN §9: each prints one JSON line. Usage:
//   dotnet run -c Release --project bench/SiteSync.Bench -- initialise-central [--provider sqlite|postgres] [--records N]
var scenario = args.FirstOrDefault() ?? "initialise-central";
var provider = Option("--provider") ?? "sqlite";
var records = int.Parse(Option("--records") ?? "50000", CultureInfo.InvariantCulture);

var result = scenario switch
{
    "initialise-central" => await InitialiseScenario.RunAsync(provider, records),
    _ => throw new ArgumentException($"Unknown scenario '{scenario}'. Known: initialise-central."),
};
Console.WriteLine(result.ToJsonString());

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

using System.Globalization;

namespace SiteSync.Bench;

/// <summary>The command line: <c>SCENARIO [--provider sqlite|postgres] [--quick] [--record-bytes N] [--NAME VALUE …]</c>.
/// Every size has a full default (DESIGN §9) and a <c>--quick</c> default for the smoke test; an explicit option wins.</summary>
public sealed class BenchOptions(IReadOnlyList<string> args)
{
    public string Scenario => args.Count > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "";

    public string Provider => Text("--provider") ?? "sqlite";

    public bool IsQuick => args.Contains("--quick");

    public int RecordBytes => Size("--record-bytes", 350, 350);

    public bool Has(string name) => args.Contains(name);

    public string? Text(string name)
    {
        var index = args.ToList().IndexOf(name);
        return index >= 0 && index + 1 < args.Count ? args[index + 1] : null;
    }

    /// <summary>The option's value, else the full or the quick default.</summary>
    public int Size(string name, int full, int quick) =>
        Text(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : IsQuick ? quick : full;

    public double Number(string name, double full, double quick) =>
        Text(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : IsQuick ? quick : full;
}

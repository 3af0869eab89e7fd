using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace SiteSync.Bench;

/// <summary>Builds the JSON line of a scenario. A figure that could not be measured is written as null, never as NaN (which
/// the JSON writer refuses, after all the work is done).</summary>
public static class Figures
{
    public static JsonNode? Round(double? value, int digits = 1) =>
        value is { } number && double.IsFinite(number) ? JsonValue.Create(Math.Round(number, digits)) : null;

    public static JsonNode? Milliseconds(TimeSpan? value) => Round(value?.TotalMilliseconds, 1);

    public static JsonNode? Seconds(TimeSpan? value) => Round(value?.TotalSeconds, 2);

    public static JsonNode? Ratio(double? value, double? bound) => value is { } v && bound is > 0 ? Round(v / bound.Value, 1) : null;

    /// <summary>Min, median, p90 and max of a sample, in the unit given.</summary>
    public static JsonObject Summary(IEnumerable<double> values, int digits = 1)
    {
        var sorted = values.Where(double.IsFinite).Order().ToList();
        return sorted.Count == 0
            ? new JsonObject { ["n"] = 0 }
            : new JsonObject
            {
                ["n"] = sorted.Count,
                ["min"] = Round(sorted[0], digits),
                ["median"] = Round(Percentile(sorted, 0.5), digits),
                ["p90"] = Round(Percentile(sorted, 0.9), digits),
                ["max"] = Round(sorted[^1], digits),
            };
    }

    /// <summary>Nearest-rank percentile of a sorted sample.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double fraction) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>The line's envelope: what ran, where, when, on which commit.</summary>
    public static JsonObject Line(string scenario, string provider, JsonObject parameters, JsonObject figures) => new()
    {
        ["scenario"] = scenario,
        ["provider"] = provider,
        ["parameters"] = parameters,
        ["figures"] = figures,
        ["machine"] = Machine(),
        ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["commit"] = Commit(),
        ["loadAverage"] = LoadAverage(),
    };

    /// <summary>The machine's 1-minute load average when the line is written: on a shared machine, the context of every figure.</summary>
    public static JsonNode? LoadAverage()
    {
        try
        {
            return Round(double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture), 2);
        }
        catch (Exception exception) when (exception is IOException or FormatException)
        {
            return null;
        }
    }

    public static string Machine() => string.Create(CultureInfo.InvariantCulture,
        $"{Environment.ProcessorCount} cores / {Math.Round(ProcessStats.MachineMemoryGiB() ?? 0)} GiB, {Environment.OSVersion.VersionString}");

    private static string? Commit()
    {
        try
        {
            var start = new ProcessStartInfo("git", ["rev-parse", "--short", "HEAD"])
            {
                WorkingDirectory = AppContext.BaseDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var git = Process.Start(start)!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            if (git.ExitCode != 0)
            {
                return null;
            }
            using var status = Process.Start(new ProcessStartInfo("git", ["status", "--porcelain", "--untracked-files=no"])
            {
                WorkingDirectory = AppContext.BaseDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var dirty = status.StandardOutput.ReadToEnd().Trim().Length > 0;
            status.WaitForExit();
            return dirty ? output + "+changes" : output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}

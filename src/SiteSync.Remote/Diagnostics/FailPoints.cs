using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace SiteSync.Remote.Diagnostics;

/// <summary>Named crash points of the remote engine for the fault suite (reliability plan §2 item 2). Inert unless the environment variable
/// <c>SITESYNC_FAILPOINTS</c> arms them when the process starts, e.g. <c>push.after_commit_before_response=kill@3</c>:
/// the third time that point is reached the process dies through <see cref="Environment.FailFast(string)"/> (no
/// <c>finally</c>, no flush: the closest a process gets to SIGKILL). Unarmed, <see cref="Hit"/> costs one read of a static
/// readonly bool, which the JIT folds away.</summary>
/// <remarks>Syntax: <c>point=action[@n[+]]</c>, several separated by <c>;</c>. Actions: <c>kill</c>, <c>throw</c> (an
/// <see cref="InvalidOperationException"/>, as a failing dependency would), <c>delay:MS</c>, <c>count</c> (only record the
/// hits), <c>value:N</c> (a number the code at the point asks for with <see cref="FailPoints.ValueOf"/>, e.g.
/// <c>sqlite.max_page_count=value:900</c> makes every new SQLite connection's database full at 900 pages). <c>@n</c> fires on the n-th hit (default 1), <c>@n+</c> on every hit from the n-th on. The point <c>*</c> matches
/// every point. When <c>SITESYNC_FAILPOINTS_LOG</c> names a file, every hit of an armed point is appended to it as
/// <c>point n [action]</c>, so a test can tell which points a scenario reaches and where a process died. A value of the form
/// <c>@/path/to/file</c> arms the points with the plan that file holds, re-read whenever the file changes (counts restart
/// with each new plan), so a test can move the crash point without restarting the process.</remarks>
internal static class FailPoints
{
    public const string EnvironmentVariable = "SITESYNC_FAILPOINTS";
    public const string LogVariable = "SITESYNC_FAILPOINTS_LOG";

    private static readonly bool Armed = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvironmentVariable));
    private static readonly string? PlanFile = Armed && Environment.GetEnvironmentVariable(EnvironmentVariable)!.StartsWith('@')
        ? Environment.GetEnvironmentVariable(EnvironmentVariable)![1..]
        : null;
    private static readonly Lock FileLock = new();
    private static FailPointPlan? _plan = Armed && PlanFile is null
        ? FailPointPlan.Parse(Environment.GetEnvironmentVariable(EnvironmentVariable)!, Environment.GetEnvironmentVariable(LogVariable))
        : null;
    private static string? _planText;

    /// <summary>Marks that execution reached <paramref name="point"/>; does what the plan says for this occurrence.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Hit(string point)
    {
        if (Armed)
        {
            (PlanFile is null ? _plan : CurrentFilePlan())?.Hit(point);
        }
    }

    /// <summary>The number a <c>value:N</c> rule gives <paramref name="point"/>, or null (unarmed, or no such rule).</summary>
    public static long? ValueOf(string point) =>
        Armed && (PlanFile is null ? _plan : CurrentFilePlan()) is { } plan
        && plan.Rules.TryGetValue(point, out var rule) && rule.Action == FailPointPlan.Action.Value
            ? rule.Value
            : null;

    private static FailPointPlan? CurrentFilePlan()
    {
        string text;
        try
        {
            text = File.Exists(PlanFile) ? File.ReadAllText(PlanFile!).Trim() : "";
        }
        catch (IOException)
        {
            return _plan;
        }
        lock (FileLock)
        {
            if (!string.Equals(text, _planText, StringComparison.Ordinal))
            {
                _planText = text;
                _plan = text.Length == 0 ? null : FailPointPlan.Parse(text, Environment.GetEnvironmentVariable(LogVariable));
            }
            return _plan;
        }
    }
}

/// <summary>A parsed <c>SITESYNC_FAILPOINTS</c> value: what to do at which occurrence of which point.</summary>
internal sealed class FailPointPlan
{
    private readonly Dictionary<string, Rule> _rules;
    private readonly string? _logFile;
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);
    private readonly Lock _logLock = new();

    private FailPointPlan(Dictionary<string, Rule> rules, string? logFile)
    {
        _rules = rules;
        _logFile = string.IsNullOrWhiteSpace(logFile) ? null : logFile;
    }

    public enum Action
    {
        Count,
        Kill,
        Throw,
        Delay,
        Value,
    }

    public sealed record Rule(Action Action, int Occurrence, bool AndAfter, int DelayMilliseconds)
    {
        public long Value { get; init; }
    }

    public IReadOnlyDictionary<string, Rule> Rules => _rules;

    /// <exception cref="FormatException">The value is not in the syntax of <see cref="FailPoints"/>.</exception>
    public static FailPointPlan Parse(string spec, string? logFile = null)
    {
        var rules = new Dictionary<string, Rule>(StringComparer.Ordinal);
        foreach (var part in spec.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"Fail point '{part}': expected point=action[@n[+]].");
            }
            var point = part[..equals].Trim();
            var rest = part[(equals + 1)..].Trim();
            var occurrence = 1;
            var andAfter = false;
            var at = rest.IndexOf('@', StringComparison.Ordinal);
            if (at >= 0)
            {
                var count = rest[(at + 1)..];
                andAfter = count.EndsWith('+');
                if (!int.TryParse(andAfter ? count[..^1] : count, NumberStyles.None, CultureInfo.InvariantCulture, out occurrence) || occurrence < 1)
                {
                    throw new FormatException($"Fail point '{part}': the occurrence must be a whole number ≥ 1.");
                }
                rest = rest[..at];
            }
            var delay = 0;
            var number = 0L;
            var action = rest switch
            {
                _ when rest.StartsWith("value:", StringComparison.Ordinal)
                    && long.TryParse(rest.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out number) => Action.Value,
                "kill" => Action.Kill,
                "throw" => Action.Throw,
                "count" => Action.Count,
                _ when rest.StartsWith("delay:", StringComparison.Ordinal)
                    && int.TryParse(rest.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out delay) => Action.Delay,
                _ => throw new FormatException($"Fail point '{part}': the action must be kill, throw, count, delay:MS or value:N."),
            };
            rules[point] = new Rule(action, occurrence, andAfter, delay) { Value = number };
        }
        return new FailPointPlan(rules, logFile);
    }

    /// <summary>Counts the hit and applies the rule of the point (or of <c>*</c>) when this occurrence is the one it names.</summary>
    public void Hit(string point)
    {
        if (!_rules.TryGetValue(point, out var rule) && !_rules.TryGetValue("*", out rule))
        {
            return;
        }
        if (rule.Action == Action.Value)
        {
            return;
        }
        var occurrence = _hits.AddOrUpdate(point, 1, (_, n) => n + 1);
        var fires = rule.Action != Action.Count && (occurrence == rule.Occurrence || (rule.AndAfter && occurrence > rule.Occurrence));
        Record(string.Create(CultureInfo.InvariantCulture, $"{point} {occurrence}{(fires ? " " + rule.Action.ToString().ToLowerInvariant() : "")}"));
        if (!fires)
        {
            return;
        }
        var message = string.Create(CultureInfo.InvariantCulture, $"fail point {point} reached (occurrence {occurrence})");
        switch (rule.Action)
        {
            case Action.Kill:
                Environment.FailFast(message);
                break;
            case Action.Throw:
                throw new InvalidOperationException(message);
            case Action.Delay:
                Thread.Sleep(rule.DelayMilliseconds);
                break;
        }
    }

    private void Record(string line)
    {
        if (_logFile is null)
        {
            return;
        }
        lock (_logLock)
        {
            using var stream = new FileStream(_logFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            using var writer = new StreamWriter(stream);
            writer.WriteLine(line);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
    }
}

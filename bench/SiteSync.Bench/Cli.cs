using System.Collections.Concurrent;
using System.Diagnostics;

namespace SiteSync.Bench;

/// <summary>What one <c>sitesync</c> process did: exit code, output (each stdout line with the time it appeared), wall time
/// from start to exit, and its peak resident memory.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error, TimeSpan Elapsed, double? PeakMiB, IReadOnlyList<(TimeSpan At, string Line)> Lines)
{
    /// <summary>When the first stdout line starting with <paramref name="prefix"/> appeared, since the process started.</summary>
    public TimeSpan? LineAt(string prefix) => Lines.Where(l => l.Line.StartsWith(prefix, StringComparison.Ordinal)).Select(l => (TimeSpan?)l.At).FirstOrDefault();
}

/// <summary>Runs the real <c>sitesync</c> command (the built <c>sitesync.dll</c>) as its own process.</summary>
public static class Cli
{
    private static int _traces;
    private static int _wrapped;

    public static async Task<CliRun> RunAsync(string stdin, params string[] args)
    {
        string[] command = ["dotnet", Path.Combine(AppContext.BaseDirectory, "sitesync.dll"), .. args];
        if (Environment.GetEnvironmentVariable("SITESYNC_BENCH_CLI_WRAP") is { Length: > 0 } wrap)
        {
            // A command line each sitesync process runs under, e.g. "strace -f -c -o /tmp/sitesync-{n}.strace"; {n} numbers the runs.
            var run = Interlocked.Increment(ref _wrapped).ToString(System.Globalization.CultureInfo.InvariantCulture);
            command = [.. wrap.Replace("{n}", run, StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries), .. command];
        }
        var start = new ProcessStartInfo(command[0], command[1..])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (Environment.GetEnvironmentVariable("SITESYNC_BENCH_TRACE_CLI") is { Length: > 0 } traceDirectory)
        {
            // A sample-profiler trace of each sitesync process from its first instruction (read with trace-report).
            start.Environment["DOTNET_EnableEventPipe"] = "1";
            start.Environment["DOTNET_EventPipeOutputPath"] = Path.Combine(traceDirectory, $"sitesync-{args[1]}-{Interlocked.Increment(ref _traces)}.nettrace");
            start.Environment["DOTNET_EventPipeConfig"] = "Microsoft-DotNETCore-SampleProfiler:0:5,Microsoft-Windows-DotNETRuntime:4c14fccbd:5";
        }
        var lines = new ConcurrentQueue<(TimeSpan, string)>();
        var errors = new ConcurrentQueue<string>();
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        await using (var sampler = new PeakMemorySampler(process.Id, TimeSpan.FromMilliseconds(20)))
        {
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lines.Enqueue((watch.Elapsed, e.Data));
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    errors.Enqueue(e.Data);
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
            await process.WaitForExitAsync();
            var elapsed = watch.Elapsed;
            // The parameterless wait also drains the redirected output.
            process.WaitForExit();
            await sampler.DisposeAsync();
            var output = lines.ToList();
            if (Environment.GetEnvironmentVariable("SITESYNC_BENCH_VERBOSE") is { Length: > 0 })
            {
                foreach (var (at, line) in output)
                {
                    await Console.Error.WriteLineAsync($"sitesync {args[1]} +{at.TotalSeconds:0.000} s: {line}");
                }
                await Console.Error.WriteLineAsync($"sitesync {args[1]} exited {process.ExitCode} after {elapsed.TotalSeconds:0.000} s {string.Join(' ', errors)}");
            }
            return new CliRun(process.ExitCode, string.Join('\n', output.Select(l => l.Item2)), string.Join('\n', errors), elapsed, sampler.PeakMiB, output);
        }
    }

    /// <summary>Runs a command and ends the run with its error output when it fails.</summary>
    public static async Task<CliRun> RunOkAsync(string stdin, params string[] args)
    {
        var run = await RunAsync(stdin, args);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"sitesync {string.Join(' ', args)} exited {run.ExitCode}: {run.Error}\n{run.Output}");
        }
        return run;
    }
}

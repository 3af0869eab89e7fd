using System.Text.Json.Nodes;
using Microsoft.Diagnostics.Tracing.Etlx;

namespace SiteSync.Bench;

/// <summary><c>trace-report FILE [--top N]</c>: where a process's busy threads were, from a <c>dotnet-trace</c>
/// thread-time trace (<c>fleet --trace FILE</c>). The sampler records every thread ~100 times a second, waiting or not; a
/// sample counts as busy unless its innermost managed frame is an idle wait (a parked thread-pool worker, a monitor, the
/// epoll loop). Busy means on-thread: CPU, or a blocking call into native code such as SQLite's fsync at commit (the
/// sampler cannot tell them apart; <c>/proc</c> CPU time in the fleet line is the CPU figure). Busy samples are attributed
/// to the sync endpoint on the stack, and the frames most often on busy stacks are listed.</summary>
public static class TraceReport
{
    private static readonly string[] Waits =
    [
        "LowLevelLifoSemaphore.WaitForSignal", "LowLevelLifoSemaphore.WaitNative", "Monitor.Wait",
        "WaitHandle.WaitOne", "FileSystemWatcher", "SocketAsyncEngine.EventLoop", "Thread.Sleep", "WaitSubsystem", "Interop+Sys.WaitForSocketEvents",
        "LowLevelSpinWaiter", "ManualResetEventSlim.Wait", "SemaphoreSlim.Wait", "TimerQueue.TimerThread", "Task.SpinThenBlockingWait",
        "Interop+Sys.Poll", "Interop+Sys.Read(", "LowLevelLifoSemaphore.Wait", "PortableThreadPool+GateThread",
        "PortableThreadPool+WorkerThread.WorkerThreadStart", "Thread.StartCallback",
    ];

    public static JsonObject Run(string file, int top)
    {
        var etlx = TraceLog.CreateFromEventPipeDataFile(file, null, new TraceLogOptions { ContinueOnError = true });
        try
        {
            using var log = new TraceLog(etlx);
            var (samples, busy) = (0, 0);
            var endpoints = new Dictionary<string, int>(StringComparer.Ordinal);
            var inclusive = new Dictionary<string, int>(StringComparer.Ordinal);
            var exclusive = new Dictionary<string, int>(StringComparer.Ordinal);
            var operations = new Dictionary<string, int>(StringComparer.Ordinal);
            var names = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var sample in log.Events)
            {
                names[sample.ProviderName + "/" + sample.EventName] = names.GetValueOrDefault(sample.ProviderName + "/" + sample.EventName) + 1;
                if (sample.ProviderName != "Microsoft-DotNETCore-SampleProfiler" || sample.CallStack() is not { } stack)
                {
                    continue;
                }
                samples++;
                List<string> frames = [];
                for (var frame = stack; frame is not null; frame = frame.Caller)
                {
                    frames.Add(frame.CodeAddress.FullMethodName is { Length: > 0 } name ? name : frame.CodeAddress.ModuleName + "!?");
                }
                // The innermost resolved frame: native frames ("?") below it are the wait or the call it made.
                var leaf = frames.FirstOrDefault(f => !f.EndsWith("!?", StringComparison.Ordinal) && f != "?") ?? "?";
                if (Waits.Any(w => leaf.Contains(w, StringComparison.Ordinal)))
                {
                    continue;
                }
                busy++;
                var endpoint = frames.LastOrDefault(f => f.Contains("Endpoints", StringComparison.Ordinal) && f.StartsWith("SiteSync.", StringComparison.Ordinal));
                var area = endpoint is not null ? Method(endpoint)
                    : frames.Any(f => f.Contains("SiteAuthentication", StringComparison.Ordinal)) ? "site authentication (before the endpoint)"
                    : frames.Any(f => f.Contains("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal)) ? "Kestrel (HTTP, outside endpoints)"
                    : "other";
                endpoints[area] = endpoints.GetValueOrDefault(area) + 1;
                exclusive[Short(leaf)] = exclusive.GetValueOrDefault(Short(leaf)) + 1;
                // The innermost frame of our own code: which operation of central the time was spent under.
                var own = frames.FirstOrDefault(f => f.StartsWith("SiteSync.", StringComparison.Ordinal)) is { } ownFrame ? Method(ownFrame) : "(none: framework only)";
                operations[own] = operations.GetValueOrDefault(own) + 1;
                foreach (var name in frames.Select(Short).Distinct(StringComparer.Ordinal))
                {
                    inclusive[name] = inclusive.GetValueOrDefault(name) + 1;
                }
            }
            JsonArray Top(Dictionary<string, int> counts) => new([.. counts.OrderByDescending(c => c.Value).Take(top)
                .Select(c => (JsonNode)new JsonObject { ["frame"] = c.Key, ["busyShare"] = Figures.Round(100.0 * c.Value / Math.Max(1, busy), 1) })]);
            return new JsonObject
            {
                ["scenario"] = "trace-report",
                ["file"] = file,
                ["samples"] = samples,
                ["events"] = new JsonObject([.. names.OrderByDescending(n => n.Value).Take(10).Select(n => new KeyValuePair<string, JsonNode?>(n.Key, n.Value))]),
                ["busySamples"] = busy,
                ["busyByArea"] = new JsonObject([.. endpoints.OrderByDescending(e => e.Value)
                    .Select(e => new KeyValuePair<string, JsonNode?>(e.Key, Figures.Round(100.0 * e.Value / Math.Max(1, busy), 1)))]),
                ["busyByOwnFrame"] = Top(operations),
                ["topInclusive"] = Top(inclusive),
                ["topExclusive"] = Top(exclusive),
            };
        }
        finally
        {
            File.Delete(etlx);
        }
    }

    /// <summary><c>Ns.Type.Method</c> or an async state machine <c>Ns.Type+&lt;Method&gt;d__7.MoveNext</c> as <c>Type.Method</c>.</summary>
    private static string Method(string frame)
    {
        var name = Short(frame);
        var open = name.IndexOf("+<", StringComparison.Ordinal);
        if (open >= 0 && name.IndexOf('>', open) is var close and > 0)
        {
            name = name[..open] + "." + name[(open + 2)..close];
        }
        var parts = name.Split('.');
        return parts.Length >= 2 ? $"{parts[^2]}.{parts[^1]}" : name;
    }

    /// <summary>Method without its parameter list and module prefix, so the report stays readable.</summary>
    private static string Short(string frame)
    {
        var name = frame.Contains('(', StringComparison.Ordinal) ? frame[..frame.IndexOf('(', StringComparison.Ordinal)] : frame;
        return name.Contains('!', StringComparison.Ordinal) ? name[(name.IndexOf('!', StringComparison.Ordinal) + 1)..] : name;
    }
}

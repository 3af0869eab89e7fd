using System.Globalization;

namespace SiteSync.Bench;

/// <summary>Linux <c>/proc</c> figures of a process. Every reader returns null, never NaN and never an exception, when the
/// process has gone (a sample may land while it exits).</summary>
public static class ProcessStats
{
    private const double ClockTicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>Peak resident memory so far (VmHWM), in MiB.</summary>
    public static double? PeakRssMiB(int processId) => StatusKiB(processId, "VmHWM:") / 1024;

    /// <summary>Starts the peak (VmHWM) again from the resident memory now (Linux <c>clear_refs</c> 5), so a later
    /// <see cref="PeakRssMiB"/> is the peak of what the process did since; false if the kernel refused.</summary>
    public static bool ResetPeakRss(int processId)
    {
        try
        {
            File.WriteAllText($"/proc/{processId}/clear_refs", "5");
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Resident memory now (VmRSS), in MiB.</summary>
    public static double? RssMiB(int processId) => StatusKiB(processId, "VmRSS:") / 1024;

    /// <summary>User + system CPU time consumed so far, in seconds.</summary>
    public static double? CpuSeconds(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return ticks / ClockTicksPerSecond;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Total memory of the machine, in GiB (for the machine description).</summary>
    public static double? MachineMemoryGiB() => MemInfoKiB("MemTotal:") / 1024 / 1024;

    private static double? StatusKiB(int processId, string key) => ReadKiB($"/proc/{processId}/status", key);

    private static double? MemInfoKiB(string key) => ReadKiB("/proc/meminfo", key);

    private static double? ReadKiB(string path, string key)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    return double.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}

/// <summary>Samples a process's peak resident memory until stopped; keeps the highest valid sample (VmHWM only grows, so
/// the last sample before exit is within one period of the true peak).</summary>
public sealed class PeakMemorySampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private double? _peak;
    private bool _disposed;

    public PeakMemorySampler(int processId, TimeSpan period)
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                if (ProcessStats.PeakRssMiB(processId) is { } sample)
                {
                    _peak = Math.Max(_peak ?? 0, sample);
                }
                try
                {
                    await Task.Delay(period, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
    }

    public double? PeakMiB => _peak;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}

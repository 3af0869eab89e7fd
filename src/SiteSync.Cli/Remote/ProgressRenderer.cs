using System.Globalization;
using SiteSync.Remote.Sync;

namespace SiteSync.Cli.Remote;

/// <summary>Shows cycle progress for people: on a terminal one line redrawn in place
/// (<c>pulling central records 12,000/150,000 · 2,300/s · ETA 0:56</c>), otherwise one plain line per finished phase, so logs
/// stay readable. Phases without a count (asking for the site, waiting for central) show what is being waited for, never
/// a bare 0.</summary>
internal sealed class ProgressRenderer(CliContext context) : IProgress<SyncProgress>
{
    private readonly Lock _lock = new();
    private SyncProgress? _current;
    private long _phaseStarted;

    public void Report(SyncProgress value)
    {
        lock (_lock)
        {
            if (_current is not null && _current.Phase != value.Phase)
            {
                Finish();
            }

            if (_current?.Phase != value.Phase)
            {
                _phaseStarted = context.Time.GetTimestamp();
            }

            _current = value;
            if (context.IsTerminal)
            {
                context.Out.Write($"\r{Describe(value, finished: false)}\u001b[K");
            }
        }
    }

    /// <summary>Ends the current line (terminal) or prints the last phase (plain).</summary>
    public void Complete()
    {
        lock (_lock)
        {
            if (_current is not null)
            {
                Finish();
            }

            _current = null;
        }
    }

    private void Finish()
    {
        var current = _current!;
        if (context.IsTerminal)
        {
            context.Out.Write($"\r{Describe(current, finished: true)}\u001b[K");
            context.Out.WriteLine();
        }
        else if (IsCounted(current.Phase) || context.Time.GetElapsedTime(_phaseStarted) >= TimeSpan.FromSeconds(1))
        {
            context.Out.WriteLine(Describe(current, finished: true));
        }
    }

    internal static string Label(string phase) => phase switch
    {
        SyncPhases.SiteInfo => "asking central for the site's details",
        SyncPhases.Initialise => "waiting for central to prepare the site's data",
        SyncPhases.Push => "pushing local changes",
        SyncPhases.WaitIntegration => "waiting for central to integrate the push",
        SyncPhases.PullCentral => "pulling central records",
        SyncPhases.PullQueue => "pulling the site's records",
        SyncPhases.Integrate => "integrating records",
        _ => phase,
    };

    private static bool IsCounted(string phase) =>
        phase is SyncPhases.Push or SyncPhases.PullCentral or SyncPhases.PullQueue or SyncPhases.Integrate;

    private string Describe(SyncProgress progress, bool finished)
    {
        var elapsed = context.Time.GetElapsedTime(_phaseStarted);
        var text = Label(progress.Phase);
        if (!IsCounted(progress.Phase))
        {
            return elapsed >= TimeSpan.FromSeconds(1) ? $"{text} · {Clock(elapsed)}" : text;
        }

        var line = string.Create(CultureInfo.InvariantCulture, $"{text} {progress.Done:N0}");
        if (progress.Total is { } total)
        {
            line += string.Create(CultureInfo.InvariantCulture, $"/{total:N0}");
        }

        if (elapsed.TotalSeconds >= 0.5 && progress.Done > 0)
        {
            var rate = progress.Done / elapsed.TotalSeconds;
            line += string.Create(CultureInfo.InvariantCulture, $" · {rate:N0}/s");
            if (!finished && progress.Total is { } all && all > progress.Done)
            {
                line += $" · ETA {Clock(TimeSpan.FromSeconds(Math.Ceiling((all - progress.Done) / rate)))}";
            }
        }

        return line;
    }

    /// <summary><c>0:56</c>, <c>12:05</c>, <c>1:02:03</c>.</summary>
    internal static string Clock(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}:{span.Seconds:00}");
}

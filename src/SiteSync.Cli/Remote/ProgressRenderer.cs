using System.Globalization;
using SiteSync.Remote.Sync;

namespace SiteSync.Cli.Remote;

/// <summary>Shows cycle progress: on a terminal one line redrawn in place (records done/total and rate), otherwise one plain
/// line per finished phase, so logs stay readable.</summary>
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
                context.Out.Write($"\r{Describe(value)}\u001b[K");
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
            context.Out.WriteLine();
        }
        else if (current.Done > 0 || current.Phase is SyncPhases.PullCentral or SyncPhases.PullQueue or SyncPhases.Push or SyncPhases.Integrate)
        {
            context.Out.WriteLine(Describe(current));
        }
    }

    private string Describe(SyncProgress progress)
    {
        var seconds = context.Time.GetElapsedTime(_phaseStarted).TotalSeconds;
        var rate = seconds > 0.05 ? string.Create(CultureInfo.InvariantCulture, $", {progress.Done / seconds:0} records/s") : "";
        var total = progress.Total is { } t ? string.Create(CultureInfo.InvariantCulture, $"/{t}") : "";
        return string.Create(CultureInfo.InvariantCulture, $"{progress.Phase}: {progress.Done}{total}{rate}");
    }
}

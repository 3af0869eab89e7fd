using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace SiteSync.Testing;

/// <summary>A fake clock that tells the test when the code under test starts waiting: every timer it creates (a
/// <c>Task.Delay</c> or a timed cancellation on this clock) is reported with its due time, so a test moves time forward exactly
/// when, and as far as, the code waits — no wall-clock sleep, whatever the machine's load.</summary>
public sealed class SteppedClock : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public SteppedClock()
        : base(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _timers.Writer.TryWrite(dueTime);
        }
        return timer;
    }

    /// <summary>Waits until a timer of <paramref name="dueTime"/> is started, then moves the clock by it (the timer fires).</summary>
    public async Task AdvanceWhenWaitingAsync(TimeSpan dueTime, CancellationToken cancellationToken)
    {
        while (await _timers.Reader.ReadAsync(cancellationToken) != dueTime)
        {
        }
        Advance(dueTime);
    }

    /// <summary>Until <paramref name="work"/> ends, moves the clock by <paramref name="step"/> each time the code starts a timer of
    /// that length (a poll's wait); answers the work's task.</summary>
    public async Task<T> DriveAsync<T>(Task<T> work, TimeSpan step, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var driver = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    await AdvanceWhenWaitingAsync(step, stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }, CancellationToken.None);
        try
        {
            return await work;
        }
        finally
        {
            await stop.CancelAsync();
            await driver;
        }
    }
}

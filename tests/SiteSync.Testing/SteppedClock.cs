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
    public async Task AdvanceWhenWaitingAsync(TimeSpan dueTime, CancellationToken cancellationToken) =>
        await AdvanceWhenWaitingAsync(due => due == dueTime, cancellationToken);

    /// <summary>Waits until a timer whose due time matches <paramref name="which"/> is started, then moves the clock by it (the
    /// timer fires); answers that due time.</summary>
    public async Task<TimeSpan> AdvanceWhenWaitingAsync(Func<TimeSpan, bool> which, CancellationToken cancellationToken)
    {
        while (true)
        {
            var dueTime = await _timers.Reader.ReadAsync(cancellationToken);
            if (which(dueTime))
            {
                Advance(dueTime);
                return dueTime;
            }
        }
    }

    /// <summary>Until <paramref name="work"/> ends, moves the clock by each timer the code starts that is no longer than
    /// <paramref name="longest"/> (a poll's wait; a longer timer, such as a request's timeout, is left alone); answers the work's
    /// task. <paramref name="waited"/>, when given, receives each wait in order.</summary>
    public async Task<T> DriveAsync<T>(Task<T> work, TimeSpan longest, CancellationToken cancellationToken, List<TimeSpan>? waited = null)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var driver = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var dueTime = await AdvanceWhenWaitingAsync(due => due <= longest, stop.Token);
                    waited?.Add(dueTime);
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

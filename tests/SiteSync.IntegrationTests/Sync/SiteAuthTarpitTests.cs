using Microsoft.Extensions.Time.Testing;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Sync;

/// <summary>Issue 8: a refused sync credential is answered only after <c>SiteSync:Sync:RefusalDelay</c> on the server's clock,
/// so a guesser's workers, each waiting for its answer, cannot make central refuse more than a few requests a second; a
/// request with the right credentials never waits.</summary>
public sealed class SiteAuthTarpitTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(250);

    [Theory, ClassData(typeof(BothEngines))]
    public async Task AWrongPasswordIsAnsweredOnlyAfterTheRefusalDelayAndTheRightOneAtOnce(Engine engine)
    {
        var clock = new TimerWatchingClock(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
        await using var central = await TestCentral.StartAsync(engine,
            new Dictionary<string, string?> { ["SiteSync:Sync:RefusalDelay"] = Delay.ToString() }, clock);
        await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var right = SyncScenario.Client(central, "clinic");
        using var wrong = SyncScenario.Client(central, "clinic");
        wrong.PasswordSha256 = OmsTestClient.Sha256Hex("not-the-password");
        using var unknown = SyncScenario.Client(central, "clinic");
        unknown.SiteName = "no-such-site";

        Assert.Equal(200, (await right.GetAsync("/sync/v5/site")).Status);
        foreach (var (client, code) in new[] { (wrong, "site_incorrect_password"), (unknown, "site_name_not_found") })
        {
            var answer = client.GetAsync("/sync/v5/site");
            await clock.WaitForTimerAsync(Delay);
            Assert.False(answer.IsCompleted, $"the {code} refusal was answered before the clock moved");
            clock.Advance(Delay);
            var refused = await answer;
            Assert.Equal((401, code), (refused.Status, refused.ErrorCode));
        }
        Assert.Equal(200, (await right.GetAsync("/sync/v5/site")).Status);
    }

    /// <summary>A fake clock that reports when a timer of a given due time has been started on it.</summary>
    private sealed class TimerWatchingClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private readonly Lock _gate = new();
        private readonly List<(TimeSpan Due, TaskCompletionSource Started)> _waiters = [];
        private readonly List<TimeSpan> _started = [];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            lock (_gate)
            {
                var waiter = _waiters.FindIndex(w => w.Due == dueTime);
                if (waiter >= 0)
                {
                    _waiters[waiter].Started.TrySetResult();
                    _waiters.RemoveAt(waiter);
                }
                else
                {
                    _started.Add(dueTime);
                }
            }
            return timer;
        }

        public Task WaitForTimerAsync(TimeSpan due)
        {
            lock (_gate)
            {
                if (_started.Remove(due))
                {
                    return Task.CompletedTask;
                }
                var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((due, started));
                return started.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            }
        }
    }
}

using System.Diagnostics;
using SiteSync.Central.Diagnostics;
using SiteSync.FaultTests.Support;
using SiteSync.Testing;

namespace SiteSync.FaultTests;

/// <summary>The fail-point plan parses the documented syntax and fires exactly at the occurrence it names.</summary>
public sealed class FailPointTests
{
    [Fact]
    public void APlanFiresOnTheNamedOccurrenceOnlyAndLogsEveryHit()
    {
        using var scratch = new Scratch();
        var log = scratch.PathOf("hits.log");
        var plan = FailPointPlan.Parse("push.before_tx=throw@2; ack.before_commit=count", log);

        plan.Hit("push.before_tx");
        var second = Record.Exception(() => plan.Hit("push.before_tx"));
        plan.Hit("push.before_tx");
        plan.Hit("ack.before_commit");
        plan.Hit("not.armed");

        Assert.Equal("fail point push.before_tx reached (occurrence 2)", Assert.IsType<InvalidOperationException>(second).Message);
        Assert.Equal(["push.before_tx 1", "push.before_tx 2 throw", "push.before_tx 3", "ack.before_commit 1"], File.ReadAllLines(log));
    }

    [Fact]
    public void APlusFiresOnEveryOccurrenceFromTheNamedOneAndAStarMatchesEveryPoint()
    {
        var plan = FailPointPlan.Parse("*=throw@2+");

        plan.Hit("a");
        var outcomes = Enumerable.Range(0, 3).Select(_ => Record.Exception(() => plan.Hit("a")) is not null).ToList();

        Assert.Equal([true, true, true], outcomes);
        Assert.Null(Record.Exception(() => plan.Hit("b")));
    }

    [Theory]
    [InlineData("push.before_tx")]
    [InlineData("push.before_tx=explode")]
    [InlineData("push.before_tx=kill@0")]
    [InlineData("push.before_tx=kill@x")]
    [InlineData("=kill")]
    public void AMalformedPlanIsRefusedAtStart(string spec)
    {
        Assert.Throws<FormatException>(() => FailPointPlan.Parse(spec));
    }

    /// <summary>The in-process centrals obey the plan file the test process armed at start: a delay armed at a point slows the
    /// request that passes it, and disarming removes it.</summary>
    [Fact]
    public async Task AnInProcessCentralFollowsThePlanFileOfTheTestProcess()
    {
        await using var central = await TestCentral.StartAsync(Engine.Sqlite);
        await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var client = SyncScenario.Client(central, "clinic");
        await client.GetAsync("/sync/v5/central_records?cursor=0&limit=5");

        TimeSpan armed;
        using (InProcessFailPoints.Arm("changelog.page_before_max=delay:400@1+"))
        {
            var watch = Stopwatch.StartNew();
            await client.GetAsync("/sync/v5/central_records?cursor=0&limit=5");
            armed = watch.Elapsed;
        }
        var disarmed = Stopwatch.StartNew();
        await client.GetAsync("/sync/v5/central_records?cursor=0&limit=5");

        Assert.True(armed >= TimeSpan.FromMilliseconds(400), $"armed request took {armed}");
        Assert.True(disarmed.Elapsed < TimeSpan.FromMilliseconds(400), $"disarmed request took {disarmed.Elapsed}");
    }

    [Fact]
    public void ADelayAndAKillParseWithTheirArguments()
    {
        var plan = FailPointPlan.Parse("a=delay:250@3;b=kill");

        Assert.Equal(new FailPointPlan.Rule(FailPointPlan.Action.Delay, 3, false, 250), plan.Rules["a"]);
        Assert.Equal(new FailPointPlan.Rule(FailPointPlan.Action.Kill, 1, false, 0), plan.Rules["b"]);
    }
}

namespace SiteSync.FaultTests.Support;

/// <summary>Which occurrences of a fail point a sweep kills at. The long tier kills at every occurrence 1..5 the scenario
/// reaches (SQLite's "fail the Nth I/O for every N"); the fast tier at one of the first three, picked by a seed that changes
/// daily (so CI covers them all over time) and is printed (set <c>SITESYNC_FAULTS_SEED</c> to replay a run).</summary>
public static class Sweep
{
    public static int DailySeed => Tier.Seed(DateTime.UtcNow.DayOfYear + (1000 * DateTime.UtcNow.Year));

    public static IReadOnlyList<int> Occurrences(string point, int hits, int seed)
    {
        if (hits <= 0)
        {
            return [];
        }
        if (Tier.IsLong)
        {
            return [.. Enumerable.Range(1, Math.Min(5, hits))];
        }
        var random = new Random(HashCode.Combine(seed, StableHash(point)));
        return [1 + random.Next(Math.Min(3, hits))];
    }

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }
        return hash;
    }
}

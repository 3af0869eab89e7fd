using SiteSync.Testing;

namespace SiteSync.FaultTests.Support;

/// <summary>The fast tier runs in <c>./test.sh</c>; the long tier (trait <c>Tier=Long</c>) only under <c>./test.sh --long</c>, which
/// filters it in and sets <c>SITESYNC_FAULTS_LONG=1</c> so its tests run at full size. Run by hand without the variable, a long
/// test runs at a small size (so a plain <c>dotnet test</c> stays short and still proves the same properties).</summary>
public static class Tier
{
    public const string Trait = "Tier";
    public const string LongTier = "Long";
    public const string EnvironmentVariable = "SITESYNC_FAULTS_LONG";

    public static bool IsLong => Environment.GetEnvironmentVariable(EnvironmentVariable) is "1" or "true";

    /// <summary>Theory data for a test whose fault does not depend on central's engine (the network, the remote's clock): SQLite
    /// in the fast tier, both engines in the long tier.</summary>
    public static TheoryData<Engine> SqliteFastBothLong() =>
        IsLong ? new TheoryData<Engine> { Engine.Sqlite, Engine.Postgres } : new TheoryData<Engine> { Engine.Sqlite };

    /// <summary>The seed of a random run: <c>SITESYNC_FAULTS_SEED</c> when set (to replay a failure), else <paramref name="fallback"/>.</summary>
    public static int Seed(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("SITESYNC_FAULTS_SEED"), out var seed) ? seed : fallback;
}

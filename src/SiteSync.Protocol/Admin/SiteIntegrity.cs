using SiteSync.Protocol.Sync;

namespace SiteSync.Protocol.Admin;

/// <summary>The last integrity audit of a site (<c>GET /api/sites/{id}/integrity</c>): whether the records the site holds
/// match central's copy, and which differ.</summary>
/// <param name="Status">One of <see cref="IntegrityStatuses"/>.</param>
/// <param name="CheckedAt">When the site last ran <c>sitesync remote verify</c>, or null if never.</param>
/// <param name="GroupsCompared">Groups (table, or table and store) non-empty on either side.</param>
/// <param name="SiteRecords">Records the site holds in those groups.</param>
/// <param name="CentralRecords">Records central holds in those groups.</param>
/// <param name="PendingPush">Local changes the site had not pushed yet when it was checked.</param>
/// <param name="DifferingGroups">The groups that differ.</param>
/// <param name="DifferenceCount">How many records differ, once the site has reported them; null until then.</param>
/// <param name="Differences">Up to <see cref="IntegrityLimits.MaxReportedDifferences"/> of them.</param>
public sealed record SiteIntegrity(
    string Status,
    DateTimeOffset? CheckedAt,
    long GroupsCompared,
    long SiteRecords,
    long CentralRecords,
    long PendingPush,
    IReadOnlyList<IntegrityGroupResult> DifferingGroups,
    long? DifferenceCount,
    IReadOnlyList<IntegrityDifference> Differences);

/// <summary>The <see cref="SiteIntegrity.Status"/> values.</summary>
public static class IntegrityStatuses
{
    /// <summary>The site has never been audited.</summary>
    public const string Never = "never";

    /// <summary>Every group matched at the last audit.</summary>
    public const string Matches = "matches";

    /// <summary>At least one group differed at the last audit.</summary>
    public const string Differs = "differs";
}

namespace SiteSync.Central.Integrity;

/// <summary>The last integrity audit of one site: one row per site, replaced by every audit, so support sees the latest
/// state without the table growing.</summary>
public sealed class IntegrityAuditEntity
{
    public int SiteId { get; set; }

    /// <summary>Names the audit in the site's follow-up report; a report for an older audit is refused.</summary>
    public string AuditId { get; set; } = "";
    public DateTimeOffset CheckedAt { get; set; }
    public bool Matches { get; set; }
    public long PendingPush { get; set; }
    public long GroupsCompared { get; set; }
    public long SiteRecords { get; set; }
    public long CentralRecords { get; set; }

    /// <summary>The differing groups as a JSON array of <c>IntegrityGroupResult</c>.</summary>
    public string DifferingGroups { get; set; } = "[]";

    /// <summary>How many records differ, from the site's report; null until it arrives.</summary>
    public long? DifferenceCount { get; set; }

    /// <summary>Up to 100 differing records as a JSON array of <c>IntegrityDifference</c>.</summary>
    public string Differences { get; set; } = "[]";
}

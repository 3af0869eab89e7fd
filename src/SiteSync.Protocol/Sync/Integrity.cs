namespace SiteSync.Protocol.Sync;

/// <summary>The body of <c>POST /sync/v5/integrity</c>: the site's digest of every group of records it holds, for central to
/// compare with its own copy (see <see cref="IntegrityDigest"/> for how a digest is made).</summary>
/// <param name="PendingPush">Local changes not yet accepted by central (they make a group differ until pushed).</param>
/// <param name="CentralCursor">The last change-log id the site has stored.</param>
/// <param name="Groups">One entry per group the site holds records of; a group it does not send counts as empty.</param>
public sealed record IntegrityRequest(long PendingPush, long CentralCursor, IReadOnlyList<IntegrityGroup>? Groups);

/// <summary>The digest of one group of records: central data by table, or store data by table and store.</summary>
/// <param name="TableName">The legacy table.</param>
/// <param name="StoreId">The owning store for store and central-store data; null for central data.</param>
/// <param name="Count">How many records the group holds.</param>
/// <param name="Digest">The group digest: 16 lowercase hex digits (<see cref="IntegrityDigest.Format"/>).</param>
public sealed record IntegrityGroup(string TableName, string? StoreId, long Count, string Digest);

/// <summary>Central's answer to <c>POST /sync/v5/integrity</c>: every group either side holds, compared.</summary>
/// <param name="AuditId">Names this audit in the site's follow-up report (<see cref="IntegrityReport"/>).</param>
/// <param name="CheckedAt">When central compared (UTC).</param>
/// <param name="Matches">Whether every group matches.</param>
/// <param name="ChangeLogMaxCursor">Central's highest change-log id: a site whose cursor is below it has not pulled everything yet.</param>
/// <param name="Groups">Every group that is non-empty on either side, ordered by table then store.</param>
public sealed record IntegrityResponse(
    string AuditId, DateTimeOffset CheckedAt, bool Matches, long ChangeLogMaxCursor, IReadOnlyList<IntegrityGroupResult> Groups);

/// <summary>One group as central compared it.</summary>
/// <param name="TableName">The legacy table.</param>
/// <param name="StoreId">The store, or null for central data.</param>
/// <param name="Matches">Whether count and digest are the same on both sides.</param>
/// <param name="SiteCount">Records the site holds.</param>
/// <param name="CentralCount">Records central holds.</param>
public sealed record IntegrityGroupResult(string TableName, string? StoreId, bool Matches, long SiteCount, long CentralCount);

/// <summary>The body of <c>POST /sync/v5/integrity/records</c>: one page of central's records of a group, by id.</summary>
/// <param name="TableName">The legacy table.</param>
/// <param name="StoreId">The store, or null for central data.</param>
/// <param name="After">The <see cref="IntegrityRecordsResponse.Next"/> of the previous page; null for the first page.</param>
/// <param name="Limit">The most records to return (central caps it at <see cref="IntegrityLimits.MaxRecordsPage"/>).</param>
public sealed record IntegrityRecordsRequest(string TableName, string? StoreId, string? After, int Limit);

/// <summary>One page of central's records of a group, in central's id order.</summary>
/// <param name="Records">Each record's id and hash.</param>
/// <param name="Next">Pass as <see cref="IntegrityRecordsRequest.After"/> for the next page; null after the last page.</param>
public sealed record IntegrityRecordsResponse(IReadOnlyList<IntegrityRecordHash> Records, string? Next);

/// <summary>A record's id and its hash (<see cref="IntegrityDigest.HashRecord"/>, formatted).</summary>
/// <param name="Id">The record id.</param>
/// <param name="Hash">16 lowercase hex digits.</param>
public sealed record IntegrityRecordHash(string Id, string Hash);

/// <summary>The body of <c>POST /sync/v5/integrity/report</c>: the records the site found different, for central to keep with
/// the audit so support can see them.</summary>
/// <param name="AuditId">The <see cref="IntegrityResponse.AuditId"/> of the audit this completes.</param>
/// <param name="DifferenceCount">How many records differ in all (may exceed the records listed).</param>
/// <param name="Differences">At most <see cref="IntegrityLimits.MaxReportedDifferences"/> of them.</param>
public sealed record IntegrityReport(string AuditId, long DifferenceCount, IReadOnlyList<IntegrityDifference>? Differences);

/// <summary>One record that differs between the site and central.</summary>
/// <param name="TableName">The legacy table.</param>
/// <param name="StoreId">The store, or null for central data.</param>
/// <param name="RecordId">The record id.</param>
/// <param name="Kind">One of <see cref="IntegrityDifferenceKinds"/>.</param>
public sealed record IntegrityDifference(string TableName, string? StoreId, string RecordId, string Kind);

/// <summary>How a record differs.</summary>
public static class IntegrityDifferenceKinds
{
    /// <summary>Central holds the record; the site does not.</summary>
    public const string MissingAtSite = "missingAtSite";

    /// <summary>The site holds the record; central does not.</summary>
    public const string MissingAtCentral = "missingAtCentral";

    /// <summary>Both hold it, with different data.</summary>
    public const string DifferentContent = "differentContent";

    /// <summary>Whether <paramref name="kind"/> is one of the kinds.</summary>
    /// <param name="kind">The value to check.</param>
    /// <returns>True for a known kind.</returns>
    public static bool IsKnown(string? kind) => kind is MissingAtSite or MissingAtCentral or DifferentContent;
}

/// <summary>The bounds of the integrity endpoints, shared so the remote never sends what central refuses.</summary>
public static class IntegrityLimits
{
    /// <summary>The most groups one request may carry.</summary>
    public const int MaxGroups = 10_000;

    /// <summary>The most records one page of <c>integrity/records</c> returns.</summary>
    public const int MaxRecordsPage = 5_000;

    /// <summary>The most differing records a report may list (and central keeps).</summary>
    public const int MaxReportedDifferences = 100;

    /// <summary>The longest record id a report may name, and the longest <see cref="IntegrityRecordsRequest.After"/>.</summary>
    public const int MaxRecordIdLength = 200;

    /// <summary>Whether a record id can travel in a report: 1 to <see cref="MaxRecordIdLength"/> characters, valid UTF-16, no
    /// control characters (central stores the report as text on every engine).</summary>
    /// <param name="id">The id.</param>
    /// <returns>True when it can be reported.</returns>
    public static bool IsReportableId(string? id)
    {
        if (id is not { Length: > 0 and <= MaxRecordIdLength })
        {
            return false;
        }

        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            if (char.IsControl(c))
            {
                return false;
            }

            if (char.IsHighSurrogate(c) && i + 1 < id.Length && char.IsLowSurrogate(id[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}

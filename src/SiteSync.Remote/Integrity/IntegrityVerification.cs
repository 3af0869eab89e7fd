using SiteSync.Protocol.Sync;

namespace SiteSync.Remote.Integrity;

/// <summary>The outcome of <see cref="RemoteSite.VerifyAsync"/>: whether the records this site holds match central's copy, and
/// which records differ.</summary>
/// <param name="Matches">Whether every group matched.</param>
/// <param name="CheckedAt">When central compared (central's clock).</param>
/// <param name="AuditId">The audit id central keeps the result under.</param>
/// <param name="Groups">Every group non-empty on either side, as central compared it.</param>
/// <param name="DifferenceCount">How many records differ in all.</param>
/// <param name="Differences">The differing records, up to <see cref="MaxListed"/>, by group then record id.</param>
/// <param name="RecordsChecked">Records of this site that were audited.</param>
/// <param name="OtherStoreRecords">Records this site holds of stores not active on it (incoming transfers): not audited.</param>
/// <param name="UnknownTableRecords">Records of tables the catalog does not know: not audited.</param>
/// <param name="PendingPush">Local changes not yet accepted by central: they differ until the next sync pushes them.</param>
/// <param name="Buffered">Pulled records not yet integrated.</param>
/// <param name="CentralCursor">The last change-log id this site stored.</param>
/// <param name="CentralMaxCursor">Central's highest change-log id: above <paramref name="CentralCursor"/>, the site has not pulled
/// every central change yet.</param>
public sealed record IntegrityVerification(
    bool Matches,
    DateTimeOffset CheckedAt,
    string AuditId,
    IReadOnlyList<IntegrityGroupResult> Groups,
    long DifferenceCount,
    IReadOnlyList<IntegrityDifference> Differences,
    long RecordsChecked,
    long OtherStoreRecords,
    long UnknownTableRecords,
    long PendingPush,
    int Buffered,
    long CentralCursor,
    long CentralMaxCursor)
{
    /// <summary>The most differing records a verification lists (all are counted).</summary>
    public const int MaxListed = 1000;

    /// <summary>Whether the site had nothing in flight (no unpushed change, nothing buffered, every central change pulled), so a
    /// difference is drift rather than a sync not yet run.</summary>
    public bool IsSettled => PendingPush == 0 && Buffered == 0 && CentralCursor >= CentralMaxCursor;
}

namespace SiteSync.Central.Records;

/// <summary>Central's copy of one legacy record, of any data class. Deleted records stay as tombstones so that
/// change-log and queue readers can tell "deleted" from "never existed".</summary>
public sealed class RecordEntity
{
    public string TableName { get; set; } = "";
    public string RecordId { get; set; } = "";

    /// <summary>The record as JSON text, exactly as received; null for a tombstone.</summary>
    public string? Data { get; set; }

    /// <summary>The owning store for store and central-store data; null for central data.</summary>
    public string? StoreId { get; set; }

    /// <summary>Lines: the header's id, so a header's lines can be found (and follow it) without reading JSON.</summary>
    public string? ParentId { get; set; }

    /// <summary>The other store the record is delivered to: a transfer's counterparty (its lines copy the header's), a
    /// message's recipient. Initialise and store moves deliver a store's incoming records by it.</summary>
    public string? ToStoreId { get; set; }

    /// <summary>The patient or prescriber the record is about; for a visibility join, the subject it makes visible (null
    /// while the join is inactive). Visibility and patient bundles are found by it.</summary>
    public string? SubjectId { get; set; }

    /// <summary>Global change sequence, assigned in commit order (see <c>Storage.Counters</c>); snapshots page by it.</summary>
    public long Seq { get; set; }

    public bool IsDeleted { get; set; }

    /// <summary>The site that pushed the current version, or null when central wrote it.</summary>
    public int? SourceSiteId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

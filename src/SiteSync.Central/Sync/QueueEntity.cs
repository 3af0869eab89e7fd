namespace SiteSync.Central.Sync;

/// <summary>One entry of a site's outgoing queue (<c>sync_out</c>): a pointer to a record, served with its current data.
/// At most one entry per (site, record): re-queueing replaces the entry with a new id, so an acknowledgement of
/// the old id cannot swallow a newer change.</summary>
public sealed class QueueEntity
{
    public long Id { get; set; }
    public int SiteId { get; set; }
    public string TableName { get; set; } = "";
    public string RecordId { get; set; } = "";
    /// <summary>Null: the record as it stands when pulled. <c>Delete</c>: a delete whatever its state (a transfer withdrawn
    /// from a site because its counterparty changed).</summary>
    public string? Action { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

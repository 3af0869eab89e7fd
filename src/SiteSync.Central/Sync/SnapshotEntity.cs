namespace SiteSync.Central.Sync;

/// <summary>A pending delivery of one store's data to a site (initialise or store move), served from the record table by
/// sequence instead of copying every record into the queue first: creating one costs the same for 10 or 10 million records.</summary>
public sealed class SnapshotEntity
{
    public long Id { get; set; }
    public int SiteId { get; set; }
    public string StoreId { get; set; } = "";

    /// <summary>Records of the store with <c>Seq</c> in (<see cref="CursorSeq"/>, <see cref="UpperSeq"/>] are still to deliver.</summary>
    public long UpperSeq { get; set; }
    public long CursorSeq { get; set; }

    /// <summary>Records still to deliver: counted once when the snapshot is made, lowered as acknowledgements move the
    /// cursor. Records changed after the snapshot leave its range, so this may overstate, never understate, what is left;
    /// it is only progress for <c>queueLength</c>.</summary>
    public long Remaining { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

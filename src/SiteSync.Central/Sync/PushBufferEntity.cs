namespace SiteSync.Central.Sync;

/// <summary>A pushed record waiting for the final empty batch; keyed by record so a repeated batch overwrites, never doubles.</summary>
public sealed class PushBufferEntity
{
    public int SiteId { get; set; }
    public string TableName { get; set; } = "";
    public string RecordId { get; set; } = "";
    public string Action { get; set; } = "";
    public string? Data { get; set; }

    /// <summary>Arrival order, so the later of two versions of one record wins.</summary>
    public long ReceivedSeq { get; set; }

    /// <summary>The pushing site's change-log position of this version (its numeric <c>syncOutId</c>), when it sent one: an
    /// older version that arrives late (a delayed attempt overtaken by its retry) never replaces a newer one.</summary>
    public long? SourceSeq { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}

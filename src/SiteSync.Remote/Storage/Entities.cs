namespace SiteSync.Remote.Storage;

/// <summary>The site's copy of one record (central data, central-store data and its own stores' data).</summary>
internal sealed class RecordEntity
{
    public required string TableName { get; set; }
    public required string RecordId { get; set; }
    public required string Data { get; set; }

    /// <summary>The owning store (from the store field or the parent record), null for central data.</summary>
    public string? StoreId { get; set; }
}

/// <summary>One local edit, pushed in id order; the id is the push cursor's unit.</summary>
internal sealed class ChangeLogEntity
{
    public long Id { get; set; }
    public required string TableName { get; set; }
    public required string RecordId { get; set; }
    public required string Action { get; set; }
    public string? StoreId { get; set; }
    public DateTimeOffset ChangedAt { get; set; }

    /// <summary>A later edit of the same record, or central's copy of it, replaced this row before it was pushed.</summary>
    public bool IsSuperseded { get; set; }
}

/// <summary>A named cursor: <c>central_pull</c> (last change-log id stored) and <c>push</c> (last change-log row accepted).</summary>
internal sealed class CursorEntity
{
    public required string Name { get; set; }
    public long Value { get; set; }
}

/// <summary>A pulled record waiting for integration, keyed by table and record id so a re-delivery overwrites it.</summary>
internal sealed class IncomingRecordEntity
{
    public required string TableName { get; set; }
    public required string RecordId { get; set; }
    public required string Action { get; set; }
    public string? Data { get; set; }

    /// <summary><c>central</c> (change log) or <c>queue</c> (the site's queue).</summary>
    public required string Source { get; set; }
}

/// <summary>One setting of the site.</summary>
internal sealed class SettingEntity
{
    public required string Key { get; set; }
    public required string Value { get; set; }
}

/// <summary>One sync cycle: when, what moved, how it ended.</summary>
internal sealed class SyncLogEntity
{
    public long Id { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public required string Outcome { get; set; }
    public string? ErrorCode { get; set; }
    public string? Message { get; set; }
    public int Pushed { get; set; }
    public int PulledCentral { get; set; }
    public int PulledQueue { get; set; }
    public int Integrated { get; set; }
    public int UnknownTables { get; set; }
    public int RequestSize { get; set; }
}

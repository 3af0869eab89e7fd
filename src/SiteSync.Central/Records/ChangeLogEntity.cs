namespace SiteSync.Central.Records;

/// <summary>One row of the central change log: a pointer to a central-data record; the data is read at pull time.</summary>
public sealed class ChangeLogEntity
{
    /// <summary>Assigned from the <c>change_log_id</c> counter inside the writing transaction, so ids appear in commit order.</summary>
    public int Id { get; set; }
    public string TableName { get; set; } = "";
    public string RecordId { get; set; } = "";
    public string Action { get; set; } = "";

    /// <summary>Only for merges: <c>{"mergeIdToKeep","mergeIdToDelete"}</c>, which is the row's data itself, not a pointer.</summary>
    public string? Data { get; set; }
}

namespace SiteSync.Central.Storage;

/// <summary>A named counter. Reserving values takes the row's write lock until commit, which is what makes
/// record sequences and change-log ids appear in commit order on PostgreSQL (no reader skips a late commit).</summary>
public sealed class CounterEntity
{
    public string Name { get; set; } = "";
    public long Value { get; set; }
}

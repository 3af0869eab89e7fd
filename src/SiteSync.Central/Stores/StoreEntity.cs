namespace SiteSync.Central.Stores;

/// <summary>A store and the site it is active on. Its <c>store</c> and <c>name</c> records live in the record table.</summary>
public sealed class StoreEntity
{
    /// <summary>The legacy <c>store.ID</c>.</summary>
    public string Id { get; set; } = "";
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string NameId { get; set; } = "";
    public int SiteId { get; set; }
    public Sites.SiteEntity? Site { get; set; }
}

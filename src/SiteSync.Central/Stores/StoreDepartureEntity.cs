namespace SiteSync.Central.Stores;

/// <summary>A store that has just left a remote site (routing.md §6 Q4). Until that site has finished a sync cycle that
/// began after the move — and so has pulled the store's new <c>store</c> record — its pushes of the store's data (edits
/// made before it knew) are accepted and forwarded to the store's new site instead of rejected.</summary>
public sealed class StoreDepartureEntity
{
    public int SiteId { get; set; }
    public string StoreId { get; set; } = "";
    public DateTimeOffset DepartedAt { get; set; }
}

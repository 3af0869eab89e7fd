using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SiteSync.Remote.Sync;

/// <summary>The data class of a legacy table (DESIGN §2).</summary>
public enum DataClass
{
    /// <summary>Not in the catalog: kept and reported, integrated after every known table.</summary>
    Unknown,

    /// <summary>Edited on central, read-only on the site.</summary>
    Central,

    /// <summary>Edited on central for one store, read-only on the site.</summary>
    CentralStore,

    /// <summary>Edited on the site where its store is active.</summary>
    Store,
}

/// <summary>One table of the catalog.</summary>
/// <param name="Name">The legacy table name.</param>
/// <param name="Class">Its data class.</param>
/// <param name="StoreField">The field holding the owning store id, if the record names it itself.</param>
/// <param name="ParentTable">For lines: the table of the parent record that names the store.</param>
/// <param name="ParentField">For lines: the field holding the parent's id.</param>
/// <param name="MergeLinks">For tables central merges: the fields of other records that point at this table.</param>
/// <param name="Order">Integration order: parents before children; unknown tables last.</param>
public sealed record TableInfo(
    string Name, DataClass Class, string? StoreField, string? ParentTable, string? ParentField, IReadOnlyList<string> MergeLinks, int Order);

/// <summary>The table catalog, shipped as data (<c>Sync/table-catalog.json</c>, embedded), a copy of central's with the
/// merge links the remote needs.</summary>
public sealed class TableCatalog
{
    private readonly FrozenDictionary<string, TableInfo> _tables;

    private TableCatalog(IEnumerable<TableInfo> tables) => _tables = tables.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>The catalog shipped with this version.</summary>
    public static TableCatalog Default { get; } = Load();

    /// <summary>The table, or an <see cref="DataClass.Unknown"/> entry that sorts after every known table.</summary>
    /// <param name="tableName">The legacy table name.</param>
    public TableInfo this[string tableName] =>
        _tables.TryGetValue(tableName, out var info) ? info : new TableInfo(tableName, DataClass.Unknown, null, null, null, [], int.MaxValue);

    /// <summary>Every known table in integration order.</summary>
    public IEnumerable<TableInfo> Tables => _tables.Values.OrderBy(t => t.Order);

    private static TableCatalog Load()
    {
        using var stream = typeof(TableCatalog).Assembly.GetManifestResourceStream("SiteSync.Remote.table-catalog.json")
            ?? throw new InvalidOperationException("The table catalog resource is missing from the build.");
        var file = JsonSerializer.Deserialize(stream, CatalogJsonContext.Default.CatalogFile)
            ?? throw new InvalidOperationException("The table catalog is empty.");
        return new TableCatalog(file.Tables.Select((t, index) => new TableInfo(
            t.Name,
            t.Class switch
            {
                "central" => DataClass.Central,
                "centralStore" => DataClass.CentralStore,
                "store" => DataClass.Store,
                _ => throw new InvalidOperationException($"Table catalog: unknown class '{t.Class}' for '{t.Name}'."),
            },
            t.StoreField,
            t.ParentTable,
            t.ParentField,
            t.MergeLinks ?? [],
            index)));
    }

    internal sealed record CatalogFile(IReadOnlyList<CatalogTable> Tables);

    internal sealed record CatalogTable(
        string Name, string Class, string? StoreField, string? ParentTable, string? ParentField, IReadOnlyList<string>? MergeLinks);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TableCatalog.CatalogFile))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;

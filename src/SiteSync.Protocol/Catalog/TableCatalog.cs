using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SiteSync.Protocol.Catalog;

/// <summary>The data class of a legacy table (DESIGN §2): who edits its records and how they travel.</summary>
public enum DataClass
{
    /// <summary>Not in the catalog: kept and reported, never routed, integrated after every known table.</summary>
    Unknown,

    /// <summary>Edited on central only; sent to every site through the change log.</summary>
    Central,

    /// <summary>Edited on central for one store; sent to the site where that store is active, through its queue.</summary>
    CentralStore,

    /// <summary>Edited on the site where its store is active; pushed to central.</summary>
    Store,
}

/// <summary>One table of the catalog.</summary>
/// <param name="Name">The legacy table name.</param>
/// <param name="Class">Its data class.</param>
/// <param name="StoreField">The field holding the owning store id, when the record names it itself.</param>
/// <param name="ParentTable">For lines: the table of the parent record that names the store.</param>
/// <param name="ParentField">For lines: the field holding the parent's id.</param>
/// <param name="IsMergeable">Whether central may merge two records of the table (<c>item</c>, <c>name</c>, <c>clinician</c>).</param>
/// <param name="MergeLinks">The fields of other records that point at this table, re-pointed on a merge.</param>
/// <param name="Order">Integration order: parents before children; unknown tables last.</param>
public sealed record TableInfo(
    string Name, DataClass Class, string? StoreField, string? ParentTable, string? ParentField, bool IsMergeable,
    IReadOnlyList<string> MergeLinks, int Order);

/// <summary>The table catalog, shipped as data (<c>Catalog/table-catalog.json</c>, embedded) and shared by central and
/// every remote, so both sides agree on what a table is.</summary>
public sealed class TableCatalog
{
    private readonly FrozenDictionary<string, TableInfo> _tables;

    private TableCatalog(IEnumerable<TableInfo> tables) => _tables = tables.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>The catalog shipped with this version.</summary>
    public static TableCatalog Default { get; } = Load();

    /// <summary>The table, or an <see cref="DataClass.Unknown"/> entry that sorts after every known table.</summary>
    /// <param name="tableName">The legacy table name (case-sensitive, as on the wire).</param>
    public TableInfo this[string tableName] =>
        _tables.TryGetValue(tableName, out var info)
            ? info
            : new TableInfo(tableName, DataClass.Unknown, null, null, null, false, [], int.MaxValue);

    /// <summary>Every known table in integration order.</summary>
    public IEnumerable<TableInfo> Tables => _tables.Values.OrderBy(t => t.Order);

    private static TableCatalog Load()
    {
        using var stream = typeof(TableCatalog).Assembly.GetManifestResourceStream("SiteSync.Protocol.table-catalog.json")
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
            t.Merge,
            t.MergeLinks ?? [],
            index)));
    }

    internal sealed record CatalogFile(IReadOnlyList<CatalogTable> Tables);

    internal sealed record CatalogTable(
        string Name, string Class, string? StoreField, string? ParentTable, string? ParentField, bool Merge, IReadOnlyList<string>? MergeLinks);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TableCatalog.CatalogFile))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;

using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SiteSync.Central.Sync;

/// <summary>The data class of a legacy table (DESIGN §2).</summary>
public enum DataClass
{
    /// <summary>Not in the catalog: kept and reported, never routed.</summary>
    Unknown,

    /// <summary>Edited on central, sent to every site through the change log.</summary>
    Central,

    /// <summary>Edited on central, sent to the site of its store through that site's queue.</summary>
    CentralStore,

    /// <summary>Edited on the site where its store is active, pushed to central.</summary>
    Store,
}

/// <summary>One table of the catalog.</summary>
public sealed record TableInfo(string Name, DataClass Class, string? StoreField, string? ParentTable, string? ParentField, bool Merge, int Order);

/// <summary>The table catalog, shipped as data (<c>Sync/table-catalog.json</c>, embedded) rather than code.</summary>
public sealed class TableCatalog
{
    private readonly FrozenDictionary<string, TableInfo> _tables;

    private TableCatalog(IEnumerable<TableInfo> tables) => _tables = tables.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    public static TableCatalog Default { get; } = Load();

    /// <summary>The table, or an <see cref="DataClass.Unknown"/> entry that sorts after every known table.</summary>
    public TableInfo this[string tableName] =>
        _tables.TryGetValue(tableName, out var info) ? info : new TableInfo(tableName, DataClass.Unknown, null, null, null, false, int.MaxValue);

    public IEnumerable<TableInfo> Tables => _tables.Values.OrderBy(t => t.Order);

    private static TableCatalog Load()
    {
        using var stream = typeof(TableCatalog).Assembly.GetManifestResourceStream("SiteSync.Central.table-catalog.json")
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
            index)));
    }

    internal sealed record CatalogFile(IReadOnlyList<CatalogTable> Tables);

    internal sealed record CatalogTable(string Name, string Class, string? StoreField, string? ParentTable, string? ParentField, bool Merge);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TableCatalog.CatalogFile))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;

using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SiteSync.Protocol.Catalog;

/// <summary>The data class of a legacy table (DESIGN §2, routing.md §1): who edits its records and where they travel.</summary>
public enum DataClass
{
    /// <summary>Not in the catalog: kept and reported, never routed, integrated after every known table.</summary>
    Unknown,

    /// <summary>Edited on central only; sent to every site through the change log.</summary>
    Central,

    /// <summary>Edited on central for one store; sent to the site where that store is active, through its queue.</summary>
    CentralStore,

    /// <summary>A central-store join that makes its subject (a patient, a prescriber) visible to the store's site; remotes
    /// may push it too. A new one brings its subject's records to the site.</summary>
    Visibility,

    /// <summary>Own-store data: edited on the site where its store is active, pushed to central, kept there.</summary>
    Store,

    /// <summary>Store data that is also forwarded to the site of the counterparty store; lines follow their header.</summary>
    Transfer,

    /// <summary>Patient data: pushed by any site, delivered to every site where the patient is visible.</summary>
    Patient,

    /// <summary>Prescribers: delivered to every site where a visibility join names them, and to the site of their home store.</summary>
    Prescriber,

    /// <summary>Pushed by any site and sent to every site through the change log (<c>barcode</c>).</summary>
    SharedRemote,

    /// <summary>Sent to the site of the store it is addressed to (<c>message</c>).</summary>
    Message,
}

/// <summary>One table of the catalog (or a variant of one, such as a patient <c>name</c>).</summary>
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
    IReadOnlyList<string> MergeLinks, int Order)
{
    /// <summary>Transfer headers: the field naming the other party; its store (the store whose <c>name_ID</c> it is) is the counterparty.</summary>
    public string? CounterpartyField { get; init; }

    /// <summary>Patient and prescriber data, visibility joins: the field naming the patient or prescriber the record is about.</summary>
    public string? SubjectField { get; init; }

    /// <summary>Visibility joins: the class of the records the join makes visible.</summary>
    public DataClass? VisibilityOf { get; init; }

    /// <summary>Visibility joins: a boolean field that, when true, ends the visibility (the join stays stored).</summary>
    public string? InactiveField { get; init; }

    /// <summary>Messages: the field naming the store the record is addressed to.</summary>
    public string? RecipientField { get; init; }

    /// <summary>A table whose record with the same id replaces this one on a site (routing.md §4.5): not delivered then.</summary>
    public string? SupersededBy { get; init; }

    /// <summary>A variant of the table that a record belongs to when its <see cref="VariantField"/> equals <see cref="VariantValue"/>.</summary>
    public TableInfo? Variant { get; init; }

    /// <summary>The field that selects the <see cref="Variant"/>.</summary>
    public string? VariantField { get; init; }

    /// <summary>The value of <see cref="VariantField"/> that selects the <see cref="Variant"/>.</summary>
    public string? VariantValue { get; init; }

    /// <summary>Whether the record lives through its parent (lines).</summary>
    public bool IsLine => ParentTable is not null && ParentField is not null;

    /// <summary>The table's description for one record: its variant when the record matches it (a patient <c>name</c>).</summary>
    public TableInfo For(JsonElement record) =>
        Variant is { } variant && record.ValueKind == JsonValueKind.Object && record.TryGetProperty(VariantField!, out var value)
        && value.ValueKind == JsonValueKind.String && value.ValueEquals(VariantValue)
            ? variant
            : this;
}

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

    /// <summary>The tables (and variants) of a class.</summary>
    public IEnumerable<TableInfo> OfClass(DataClass dataClass) =>
        Tables.SelectMany(t => t.Variant is { } v ? new[] { t, v } : [t]).Where(t => t.Class == dataClass);

    private static TableCatalog Load()
    {
        using var stream = typeof(TableCatalog).Assembly.GetManifestResourceStream("SiteSync.Protocol.table-catalog.json")
            ?? throw new InvalidOperationException("The table catalog resource is missing from the build.");
        var file = JsonSerializer.Deserialize(stream, CatalogJsonContext.Default.CatalogFile)
            ?? throw new InvalidOperationException("The table catalog is empty.");
        return new TableCatalog(file.Tables.Select((t, index) => Info(t, t.Class, t.StoreField, t.SubjectField, index) with
        {
            Variant = t.Variant is { } v ? Info(t, v.Class, v.StoreField, v.SubjectField, index) : null,
            VariantField = t.Variant?.WhenField,
            VariantValue = t.Variant?.EqualsValue,
        }));
    }

    private static TableInfo Info(CatalogTable t, string dataClass, string? storeField, string? subjectField, int order) =>
        new(t.Name, ClassOf(t.Name, dataClass), storeField, t.ParentTable, t.ParentField, t.Merge, t.MergeLinks ?? [], order)
        {
            CounterpartyField = t.CounterpartyField,
            SubjectField = subjectField,
            VisibilityOf = t.VisibilityOf is { } of ? ClassOf(t.Name, of) : null,
            InactiveField = t.InactiveField,
            RecipientField = t.RecipientField,
            SupersededBy = t.SupersededBy,
        };

    private static DataClass ClassOf(string table, string name) => name switch
    {
        "central" => DataClass.Central,
        "centralStore" => DataClass.CentralStore,
        "visibility" => DataClass.Visibility,
        "store" => DataClass.Store,
        "transfer" => DataClass.Transfer,
        "patient" => DataClass.Patient,
        "prescriber" => DataClass.Prescriber,
        "sharedRemote" => DataClass.SharedRemote,
        "message" => DataClass.Message,
        _ => throw new InvalidOperationException($"Table catalog: unknown class '{name}' for '{table}'."),
    };

    internal sealed record CatalogFile(IReadOnlyList<CatalogTable> Tables);

    internal sealed record CatalogTable(
        string Name, string Class, string? StoreField, string? ParentTable, string? ParentField, bool Merge, IReadOnlyList<string>? MergeLinks,
        string? CounterpartyField, string? SubjectField, string? VisibilityOf, string? InactiveField, string? RecipientField, string? SupersededBy,
        CatalogVariant? Variant);

    internal sealed record CatalogVariant(
        string WhenField, [property: JsonPropertyName("equals")] string EqualsValue, string Class, string? StoreField, string? SubjectField);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TableCatalog.CatalogFile))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;

using System.Text.Json;
using SiteSync.Protocol.Catalog;

namespace SiteSync.Central.Records;

/// <summary>Finds the store that owns a record (DESIGN §2): its store field, or its parent's store for lines.</summary>
public static class RecordOwnership
{
    public const int MaxIdLength = 200;

    /// <summary>The record's <c>ID</c>, if it is a usable id: a non-empty string of at most 200 characters without control characters.</summary>
    public static string? IdOf(JsonElement record) =>
        record.ValueKind == JsonValueKind.Object
        && record.TryGetProperty("ID", out var id)
        && id.ValueKind == JsonValueKind.String
        && id.GetString() is { Length: > 0 and <= MaxIdLength } text
        && !text.Any(char.IsControl)
        && !string.IsNullOrWhiteSpace(text)
            ? text
            : null;

    /// <summary>The owning store id of a record of <paramref name="table"/>, or null when it has none (or cannot be found).</summary>
    /// <param name="table">The record's table.</param>
    /// <param name="record">The record data.</param>
    /// <param name="parentStore">Looks up the owning store of a parent record (table, id).</param>
    public static string? StoreIdOf(TableInfo table, JsonElement record, Func<string, string, string?> parentStore)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        if (table.StoreField is { } field)
        {
            return record.TryGetProperty(field, out var store) && store.ValueKind == JsonValueKind.String && store.GetString() is { Length: > 0 } id
                ? id
                : null;
        }
        if (table is { ParentTable: { } parentTable, ParentField: { } parentField }
            && record.TryGetProperty(parentField, out var parent) && parent.ValueKind == JsonValueKind.String
            && parent.GetString() is { Length: > 0 } parentId)
        {
            return parentStore(parentTable, parentId);
        }
        return null;
    }
}

using System.Text.Json;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Catalog;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Records;

/// <summary>Finds the store that owns a record (DESIGN §2): its store field, or its parent's store for lines.</summary>
public static class RecordOwnership
{
    public const int MaxIdLength = 200;

    /// <summary>The record's <c>ID</c>, if it is a usable id: a non-empty string of at most 200 characters without control characters.</summary>
    public static string? IdOf(JsonElement record) =>
        record.ValueKind == JsonValueKind.Object
        && record.TryGetProperty(LegacyFields.Id, out var id)
        && id.ValueKind == JsonValueKind.String
        && id.GetString() is { Length: > 0 and <= MaxIdLength } text
        && StorableText.IsPrintable(text)
        && !string.IsNullOrWhiteSpace(text)
            ? text
            : null;

    /// <summary>Where a record of <paramref name="table"/> names its owning store: the store itself, or (for lines) the
    /// parent record whose store it is — the caller looks that up, in its batch or in the database. Neither when unknown.</summary>
    public static RecordOwner OwnerOf(TableInfo table, JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            return default;
        }
        if (table.StoreField is { } field)
        {
            return record.TryGetProperty(field, out var store) && store.ValueKind == JsonValueKind.String && store.GetString() is { Length: > 0 } id
                ? new RecordOwner(id, null, null)
                : default;
        }
        if (table is { ParentTable: { } parentTable, ParentField: { } parentField }
            && record.TryGetProperty(parentField, out var parent) && parent.ValueKind == JsonValueKind.String
            && parent.GetString() is { Length: > 0 } parentId)
        {
            return new RecordOwner(null, parentTable, parentId);
        }
        return default;
    }
}

/// <summary>A record's owning store, or the parent record (table, id) that has it.</summary>
public readonly record struct RecordOwner(string? StoreId, string? ParentTable, string? ParentId)
{
    public bool IsParent => ParentTable is not null && ParentId is not null;
}

using System.Text.Json;
using SiteSync.Protocol.Catalog;
using SiteSync.Protocol.Sync;
using SiteSync.Remote.Storage;

namespace SiteSync.Remote.Records;

/// <summary>Rule 24: a site edits store data only of the stores active on it, and never central data; patient data,
/// prescribers, barcodes and messages are editable on any site.</summary>
internal static class LocalEdits
{
    public static async Task<List<LocalRecord>> ValidateAsync(
        TableInfo table,
        string json,
        IReadOnlyList<string> activeStoreIds,
        Func<string, string, CancellationToken, Task<string?>> storedStoreOf,
        CancellationToken cancellationToken)
    {
        if (table.Class == DataClass.Unknown)
        {
            throw new RemoteRefusedException(RefusalCodes.UnknownTable, $"'{table.Name}' is not a table this site knows.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException exception)
        {
            throw new RemoteRefusedException(RefusalCodes.InvalidRecord, $"The input is not valid JSON: {exception.Message}");
        }

        using (document)
        {
            var elements = document.RootElement.ValueKind == JsonValueKind.Array
                ? document.RootElement.EnumerateArray().ToList()
                : [document.RootElement];
            var records = new List<LocalRecord>(elements.Count);
            var inThisPut = new Dictionary<(string Table, string Id), string>();
            foreach (var element in elements)
            {
                if (JsonFields.StringField(element, LegacyFields.Id) is not { Length: > 0 } id)
                {
                    throw new RemoteRefusedException(RefusalCodes.InvalidRecord, $"Every {table.Name} record must be a JSON object with a string \"ID\".");
                }

                var info = table.For(element);
                if (info.Class is DataClass.Central or DataClass.CentralStore)
                {
                    throw new RemoteRefusedException(
                        RefusalCodes.CentralData, $"'{table.Name}' {id} is central data: it is edited on central only and read-only on a remote site.");
                }
                if (info.Class is DataClass.Patient or DataClass.Prescriber or DataClass.SharedRemote or DataClass.Message)
                {
                    // Editable on any site (routing.md G8): central delivers them to every site that needs them.
                    records.Add(new LocalRecord(table.Name, id, element.GetRawText(), info.StoreField is { } field ? JsonFields.StringField(element, field) : null));
                    continue;
                }

                var storeId = await OwningStoreAsync(info, element, id, inThisPut, storedStoreOf, cancellationToken);
                if (!activeStoreIds.Contains(storeId, StringComparer.Ordinal))
                {
                    throw new RemoteRefusedException(
                        RefusalCodes.StoreNotActive,
                        activeStoreIds.Count == 0
                            ? $"{table.Name} {id} belongs to store {storeId}, but no store is active on this site (has it synced?)."
                            : $"{table.Name} {id} belongs to store {storeId}, which is not active on this site (active: {string.Join(", ", activeStoreIds)}).");
                }

                inThisPut[(table.Name, id)] = storeId;
                records.Add(new LocalRecord(table.Name, id, element.GetRawText(), storeId));
            }

            return records;
        }
    }

    private static async Task<string> OwningStoreAsync(
        TableInfo table,
        JsonElement element,
        string id,
        Dictionary<(string Table, string Id), string> inThisPut,
        Func<string, string, CancellationToken, Task<string?>> storedStoreOf,
        CancellationToken cancellationToken)
    {
        if (table.StoreField is { } storeField)
        {
            return JsonFields.StringField(element, storeField) is { Length: > 0 } storeId
                ? storeId
                : throw new RemoteRefusedException(RefusalCodes.InvalidRecord, $"{table.Name} {id} has no \"{storeField}\".");
        }

        if (JsonFields.StringField(element, table.ParentField!) is not { Length: > 0 } parentId)
        {
            throw new RemoteRefusedException(RefusalCodes.InvalidRecord, $"{table.Name} {id} has no \"{table.ParentField}\".");
        }

        return inThisPut.GetValueOrDefault((table.ParentTable!, parentId))
            ?? await storedStoreOf(table.ParentTable!, parentId, cancellationToken)
            ?? throw new RemoteRefusedException(
                RefusalCodes.InvalidRecord, $"{table.Name} {id}: its {table.ParentTable} {parentId} is not on this site; put the {table.ParentTable} first.");
    }
}

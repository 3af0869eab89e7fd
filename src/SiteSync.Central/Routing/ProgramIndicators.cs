using System.Data.Common;
using System.Text.Json;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Catalog;

namespace SiteSync.Central.Routing;

/// <summary>Program indicator values travel with program requests (routing.md §4.6, the reading of §6 Q3): the supplier's
/// site copies the customer's <c>indicator_value</c> rows when it creates the response, so they must be there already.
/// When an open program request (a <c>requisition</c> of type <c>request</c> with a <c>periodID</c>, not Finalised) goes
/// to its supplier's site, so do the requesting store's own values for that period (<c>store_ID</c> = <c>facility_ID</c> =
/// the store, same <c>period_ID</c>); and later changes to those values follow while the request stays open.</summary>
/// <remarks>The one place of this rule: what makes a record part of it (<see cref="PeriodOf"/>) and the set reads it needs.
/// Neither table has a column for it, so the few candidate rows are read and their JSON checked here.</remarks>
public static class ProgramIndicators
{
    public const string RequestTable = "requisition";
    public const string ValueTable = "indicator_value";

    /// <summary>The (store, period) a record ties: an open program request's requesting store and period, or a store's own
    /// indicator value's store and period; null for every other record.</summary>
    public static string? PeriodOf(TableInfo table, JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        return table.Name switch
        {
            RequestTable when Text(record, "type") == "request" && Text(record, "status") != "fn" => Text(record, "periodID"),
            ValueTable when Text(record, "store_ID") is { } store && Text(record, "facility_ID") == store => Text(record, "period_ID"),
            _ => null,
        };
    }

    /// <summary>For each (store, period): the ids of the store's own indicator values of that period central holds.</summary>
    public static async Task<Dictionary<(string Store, string Period), HashSet<string>>> ValuesAsync(
        SiteSyncDbContext db, IReadOnlyCollection<(string Store, string Period)> keys, CancellationToken cancellationToken)
    {
        var result = keys.Distinct().ToDictionary(k => k, _ => new HashSet<string>(StringComparer.Ordinal));
        var table = TableCatalog.Default[ValueTable];
        await ReadAsync(db, ValueTable, "store_id", [.. keys.Select(k => k.Store).Distinct(StringComparer.Ordinal)], (id, _, _, json) =>
        {
            if (RecordFacts.Read(table, id, json) is { StoreId: { } store, ProgramPeriod: { } period } && result.TryGetValue((store, period), out var ids))
            {
                ids.Add(id);
            }
        }, cancellationToken);
        return result;
    }

    /// <summary>Open program requests whose <paramref name="column"/> (<c>store_id</c>: the requesting store;
    /// <c>to_store_id</c>: the supplier) is one of <paramref name="stores"/>: (request id, requesting store, period, supplier store).</summary>
    public static async Task<List<(string Id, string Store, string Period, string Supplier)>> OpenRequestsAsync(
        SiteSyncDbContext db, string column, IReadOnlyCollection<string> stores, CancellationToken cancellationToken)
    {
        List<(string, string, string, string)> result = [];
        var table = TableCatalog.Default[RequestTable];
        await ReadAsync(db, RequestTable, column, stores, (id, store, supplier, json) =>
        {
            if (store is not null && supplier is not null && RecordFacts.Read(table, id, json).ProgramPeriod is { } period)
            {
                result.Add((id, store, period, supplier));
            }
        }, cancellationToken);
        return result;
    }

    private static async Task ReadAsync(SiteSyncDbContext db, string tableName, string column, IReadOnlyCollection<string> values,
        Action<string, string?, string?, string> row, CancellationToken cancellationToken)
    {
        await SqlCommands.EnsureOpenAsync(db, cancellationToken);
        foreach (var chunk in values.Chunk(500))
        {
            await using var command = SqlCommands.Create(db, string.Empty);
            var names = command.AddList(chunk, "@v");
            // column is one of two names written in code (store_id, to_store_id), never input.
            command.CommandText = $"""
                SELECT record_id, store_id, to_store_id, data FROM record
                WHERE table_name = @table AND {column} IN ({names}) AND is_deleted = @false AND data IS NOT NULL
                """;
            command.Add("@table", tableName);
            command.Add("@false", false);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                row(reader.GetString(0), Text(reader, 1), Text(reader, 2), reader.GetString(3));
            }
        }
    }

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static string? Text(JsonElement record, string field) =>
        record.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}

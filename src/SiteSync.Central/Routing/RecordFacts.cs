using System.Text.Json;
using SiteSync.Protocol.Catalog;

namespace SiteSync.Central.Routing;

/// <summary>What routing needs to know of one version of a record, read from its JSON by the table catalog.</summary>
/// <param name="Table">The table, or its variant for this record (a patient <c>name</c>).</param>
/// <param name="Id">The record id.</param>
/// <param name="StoreId">The owning store named by the record itself (<see cref="TableInfo.StoreField"/>); null for lines.</param>
/// <param name="ParentId">Lines: the parent record's id.</param>
/// <param name="CounterpartyNameId">Transfer headers: the name of the other party (its store, if any, is the counterparty).</param>
/// <param name="SubjectId">The patient or prescriber the record is about; for a visibility join, the subject it makes visible,
/// or null when the join is inactive.</param>
/// <param name="RecipientStoreId">Messages: the store the message is addressed to.</param>
public sealed record RecordFacts(
    TableInfo Table, string Id, string? StoreId, string? ParentId, string? CounterpartyNameId, string? SubjectId, string? RecipientStoreId)
{
    /// <summary>Open program requests and a store's own indicator values: the period that ties them (<see cref="ProgramIndicators"/>).</summary>
    public string? ProgramPeriod { get; init; }

    /// <summary>Reads the facts of <paramref name="record"/>, a record of <paramref name="table"/>.</summary>
    /// <remarks>Only string fields count: a missing, null or non-string field is "not named". The record's text was checked
    /// when it arrived (<c>StorableText</c>), so reading its strings cannot fail.</remarks>
    public static RecordFacts Read(TableInfo table, string id, JsonElement record)
    {
        var info = table.For(record);
        var subject = Text(record, info.SubjectField);
        if (info.InactiveField is { } inactive && record.TryGetProperty(inactive, out var flag) && flag.ValueKind == JsonValueKind.True)
        {
            subject = null;
        }
        return new RecordFacts(
            info,
            id,
            Text(record, info.StoreField),
            info.IsLine ? Text(record, info.ParentField) : null,
            Text(record, info.CounterpartyField),
            subject,
            Text(record, info.RecipientField))
        {
            ProgramPeriod = ProgramIndicators.PeriodOf(info, record),
        };
    }

    /// <summary>Reads facts from stored JSON text.</summary>
    public static RecordFacts Read(TableInfo table, string id, string json)
    {
        using var document = JsonDocument.Parse(json);
        return Read(table, id, document.RootElement);
    }

    private static string? Text(JsonElement record, string? field) =>
        field is not null && record.ValueKind == JsonValueKind.Object && record.TryGetProperty(field, out var value)
        && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;
}

using System.Text.Json.Serialization;
using SiteSync.Protocol.Json;

namespace SiteSync.Protocol.Sync;

/// <summary>A queue batch: pulled by <c>GET queued_records</c>, pushed by <c>POST queued_records</c>,
/// and (without data) the answer to <c>POST initialise</c> (reference §2.3, §2.4, §2.6).</summary>
/// <param name="QueueLength">Records remaining including this batch; 0 only on the final, empty push.</param>
/// <param name="Data">The records of this batch.</param>
public sealed record RemoteSyncBatch(long QueueLength, IReadOnlyList<RemoteSyncRecord>? Data = null);

/// <summary>One record of a queue batch.</summary>
/// <param name="SyncOutId">On pull the queue entry id to acknowledge; on push the client's change-log cursor (may repeat).</param>
/// <param name="TableName">The legacy table name.</param>
/// <param name="RecordId">The record id.</param>
/// <param name="Action">One of <see cref="SyncActions"/> (any case on pull).</param>
/// <param name="RecordData">The record; null or absent for deletes.</param>
/// <remarks>Its names are read with <see cref="WireTextConverter"/>, so a record whose id spells an unpaired surrogate is
/// refused alone by the receiver rather than failing the batch's deserialisation.</remarks>
public sealed record RemoteSyncRecord(
    [property: JsonConverter(typeof(WireTextConverter))] string SyncOutId,
    [property: JsonConverter(typeof(WireTextConverter))] string TableName,
    [property: JsonConverter(typeof(WireTextConverter))] string RecordId,
    [property: JsonConverter(typeof(WireTextConverter))] string Action,
    RawJson? RecordData);

/// <summary>A page of the central change log (reference §2.5).</summary>
/// <param name="MaxCursor">The highest change-log id; never below the requested cursor.</param>
/// <param name="Data">Rows with <c>ID</c> above the requested cursor, ascending.</param>
public sealed record CentralSyncBatch(long MaxCursor, IReadOnlyList<CentralSyncRecord> Data);

/// <summary>One central change-log row with the record's current data.</summary>
/// <param name="Id">The change-log id (fits in int32).</param>
/// <param name="TableName">The legacy table name.</param>
/// <param name="RecordId">The record id.</param>
/// <param name="Action">One of <see cref="SyncActions"/>.</param>
/// <param name="RecordData">The record's current data; absent for deletes.</param>
public sealed record CentralSyncRecord(
    [property: JsonPropertyName("ID")] long Id,
    string TableName,
    string RecordId,
    string Action,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RawJson? RecordData);

/// <summary>The answer to a push batch.</summary>
/// <param name="IntegrationStarted">False until the final <c>{"queueLength":0,"data":[]}</c>, then true.</param>
public sealed record PushResponse(bool IntegrationStarted);

/// <summary>The body of <c>POST acknowledged_records</c>.</summary>
/// <param name="SyncIds">The <c>syncOutId</c> of every stored record.</param>
public sealed record AcknowledgedRecords([property: JsonPropertyName("syncIDs")] IReadOnlyList<string> SyncIds);

/// <summary>Record actions on the wire; the client sends them capitalised and accepts either case.</summary>
public static class SyncActions
{
    /// <summary>Insert (the client treats it as an upsert).</summary>
    public const string Insert = "Insert";

    /// <summary>Upsert.</summary>
    public const string Update = "Update";

    /// <summary>Hard delete by record id.</summary>
    public const string Delete = "Delete";

    /// <summary>Merge of two records (<c>item</c>, <c>name</c>, <c>clinician</c>).</summary>
    public const string Merge = "Merge";

    /// <summary>Maps any accepted spelling to the capitalised form, or null if it is not an action.</summary>
    /// <param name="action">The action as received.</param>
    /// <returns>The canonical action, or null.</returns>
    public static string? Normalise(string? action) => action switch
    {
        "Insert" or "insert" => Insert,
        "Update" or "update" => Update,
        "Delete" or "delete" => Delete,
        "Merge" or "merge" => Merge,
        _ => null,
    };
}

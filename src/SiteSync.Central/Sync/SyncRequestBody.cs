using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SiteSync.Central.Records;
using SiteSync.Central.Routing;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Catalog;
using SiteSync.Protocol.Json;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Sync;

/// <summary>Reads sync POST bodies whatever their Content-Type (the Open mSupply client sends none, reference §1.4) and
/// checks a pushed batch as a whole before anything of it is written.</summary>
public static class SyncRequestBody
{
    public const int MaxTableNameLength = 100;

    /// <summary>The body buffer's first size when the request does not say (the client sends Content-Length): it grows as needed.</summary>
    private const int InitialBodyCapacity = 1 << 20;

    /// <summary>Deserialises the body, or returns the reason it cannot be read. Oversized bodies throw (413) from Kestrel.</summary>
    /// <remarks>The body is read whole first (Kestrel bounds its size), so each record's data is read as the slice of the body
    /// it spans (<see cref="JsonInputSlices"/>) rather than parsed into a document of its own.</remarks>
    public static async Task<(T? Value, string? Error)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        var (body, length) = await ReadWholeAsync(request, cancellationToken);
        try
        {
            var value = JsonInputSlices.Deserialize(body, length, type);
            return value is null ? (null, "The body is empty or null; a JSON object is expected.") : (value, null);
        }
        catch (JsonException json)
        {
            return (null, $"The body is not valid JSON of the expected shape{(json.Path is { } path ? $" at {path}" : "")}.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
    }

    /// <summary>The whole body in a pooled buffer the caller returns, and its length. The buffer grows with what arrives, not
    /// with what the request claims: a claimed length only sizes the first buffer, up to <see cref="InitialBodyCapacity"/>.</summary>
    private static async Task<(byte[] Buffer, int Length)> ReadWholeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is > 0 and var claimed ? (int)Math.Min(claimed + 1, InitialBodyCapacity) : 16 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(checked(buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    return (buffer, length);
                }
                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>The problem of a pushed batch as a whole (it is then refused and nothing of it is written), or null.</summary>
    /// <remarks>Problems of single records are not the batch's: <see cref="CheckRecord"/> refuses those one by one, so one bad
    /// record never holds back the others (the client would resend the same batch forever).</remarks>
    public static string? Validate(RemoteSyncBatch batch, int maxRecords)
    {
        if (batch.QueueLength < 0)
        {
            return "queueLength cannot be negative.";
        }
        var count = batch.Data?.Count ?? 0;
        return count > maxRecords ? $"A batch holds at most {maxRecords} records; this one has {count}." : null;
    }

    /// <summary>Why central cannot buffer this pushed record, or null when it can: the envelope's names must be printable,
    /// the action known, and the data an object whose every string can be stored (<see cref="StorableText"/>).</summary>
    public static string? CheckRecord(RemoteSyncRecord? record) => CheckRecordReadingFacts(record).Reason;

    /// <summary><see cref="CheckRecord"/>, and the routing facts of an accepted insert or update, read from the same parse (null
    /// for deletes and merges, and when they cannot be read: integration then reads them, or rejects the record, itself).</summary>
    public static (string? Reason, RecordFacts? Facts) CheckRecordReadingFacts(RemoteSyncRecord? record)
    {
        if (record is null)
        {
            return ("the entry is null", null);
        }
        if (string.IsNullOrWhiteSpace(record.TableName) || record.TableName.Length > MaxTableNameLength || !StorableText.IsPrintable(record.TableName))
        {
            return ($"tableName must be 1 to {MaxTableNameLength} printable characters", null);
        }
        if (string.IsNullOrWhiteSpace(record.RecordId) || record.RecordId.Length > RecordOwnership.MaxIdLength || !StorableText.IsPrintable(record.RecordId))
        {
            return ($"recordId must be 1 to {RecordOwnership.MaxIdLength} printable characters", null);
        }
        var action = SyncActions.Normalise(record.Action);
        if (action is null)
        {
            return ("action must be Insert, Update, Delete or Merge", null);
        }
        if (action == SyncActions.Delete)
        {
            return (null, null);
        }
        if (record.RecordData is not { IsObject: true } data)
        {
            return ($"recordData must be an object for {action}", null);
        }
        return CheckData(record.TableName, record.RecordId, data.Text, readFacts: action != SyncActions.Merge);
    }

    private static readonly JsonDocumentOptions UnambiguousRecord = new() { AllowDuplicateProperties = false };

    /// <summary>The record's data must be storable, name each property once (which of two values would be meant?), and its
    /// <c>ID</c>, when it has one, must be the envelope's <c>recordId</c> (central keys the record by the envelope).</summary>
    private static (string? Reason, RecordFacts? Facts) CheckData(string tableName, string recordId, string json, bool readFacts)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, UnambiguousRecord);
        }
        catch (JsonException)
        {
            return ("recordData names the same property more than once", null);
        }
        using (document)
        {
            if (StorableText.Check(document.RootElement) is { } reason)
            {
                return ($"recordData cannot be stored: {reason}", null);
            }
            if (document.RootElement.TryGetProperty("ID", out var id) && id.ValueKind == JsonValueKind.String && !id.ValueEquals(recordId))
            {
                return ("recordData.ID differs from recordId", null);
            }
            return (null, readFacts ? ReadFacts(tableName, recordId, document.RootElement) : null);
        }
    }

    /// <summary>The record's routing facts (<see cref="RecordFacts.Read(TableInfo, string, JsonElement)"/>, as integration reads
    /// them), or null when they cannot be read.</summary>
    private static RecordFacts? ReadFacts(string tableName, string recordId, JsonElement record)
    {
        try
        {
            return RecordFacts.Read(TableCatalog.Default[tableName], recordId, record);
        }
        catch (Exception exception) when (exception is InvalidOperationException or JsonException or FormatException)
        {
            return null;
        }
    }
}

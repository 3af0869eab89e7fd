using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SiteSync.Central.Records;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Sync;

/// <summary>Reads sync POST bodies whatever their Content-Type (the Open mSupply client sends none, reference §1.4) and
/// checks a pushed batch as a whole before anything of it is written.</summary>
public static class SyncRequestBody
{
    public const int MaxTableNameLength = 100;

    /// <summary>Deserialises the body, or returns the reason it cannot be read. Oversized bodies throw (413) from Kestrel.</summary>
    public static async Task<(T? Value, string? Error)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync(request.Body, type, cancellationToken);
            return value is null ? (null, "The body is empty or null; a JSON object is expected.") : (value, null);
        }
        catch (JsonException json)
        {
            return (null, $"The body is not valid JSON of the expected shape{(json.Path is { } path ? $" at {path}" : "")}.");
        }
    }

    /// <summary>The first problem of a pushed batch, or null when every record can be buffered.</summary>
    public static string? Validate(RemoteSyncBatch batch, int maxRecords)
    {
        if (batch.QueueLength < 0)
        {
            return "queueLength cannot be negative.";
        }
        var data = batch.Data ?? [];
        if (data.Count > maxRecords)
        {
            return $"A batch holds at most {maxRecords} records; this one has {data.Count}.";
        }
        for (var i = 0; i < data.Count; i++)
        {
            var record = data[i];
            if (record is null)
            {
                return $"data[{i}] is null.";
            }
            if (string.IsNullOrWhiteSpace(record.TableName) || record.TableName.Length > MaxTableNameLength || record.TableName.Any(char.IsControl))
            {
                return $"data[{i}].tableName must be 1 to {MaxTableNameLength} printable characters.";
            }
            if (string.IsNullOrWhiteSpace(record.RecordId) || record.RecordId.Length > RecordOwnership.MaxIdLength || record.RecordId.Any(char.IsControl))
            {
                return $"data[{i}].recordId must be 1 to {RecordOwnership.MaxIdLength} printable characters.";
            }
            var action = SyncActions.Normalise(record.Action);
            if (action is null)
            {
                return $"data[{i}].action must be Insert, Update, Delete or Merge.";
            }
            if (action != SyncActions.Delete && record.RecordData is not { IsObject: true })
            {
                return $"data[{i}].recordData must be an object for {action}.";
            }
        }
        return null;
    }
}

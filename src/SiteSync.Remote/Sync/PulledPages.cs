using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using SiteSync.Protocol.Json;
using SiteSync.Protocol.Sync;

namespace SiteSync.Remote.Sync;

/// <summary>A record's JSON as the UTF-8 bytes central sent, a slice of the page's answer: the pull stores these bytes as the
/// record's text without making a .NET string of each record (issue 10: reading each record into a string was 15–20 % of a
/// fresh site's CPU, and binding it converted it back to UTF-8).</summary>
/// <remarks>Byte-identical to the text <see cref="RawJson"/> kept (<c>JsonElement.GetRawText</c> is the same slice, decoded),
/// and validated the same way: well-formed JSON (the reader), within the depth limit, and valid UTF-8.</remarks>
[JsonConverter(typeof(RecordBytesConverter))]
internal readonly struct RecordBytes
{
    private readonly byte[] _buffer;
    private readonly int _start;

    public RecordBytes(byte[] buffer, int start, int length)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, buffer.Length - start);
        _buffer = buffer;
        _start = start;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(_start, Length);

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(_start, Length);

    /// <summary>The JSON text's UTF-8 bytes (tests and callers that hold text).</summary>
    public static implicit operator RecordBytes(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return new RecordBytes(bytes, 0, bytes.Length);
    }

    public override string ToString() => Encoding.UTF8.GetString(Span);
}

/// <summary>Reads a JSON value into <see cref="RecordBytes"/>: the slice of the answer the value spans, found from the reader's
/// positions in the answer being read (<see cref="JsonInputSlices"/>, named by <see cref="PulledPages"/>).</summary>
internal sealed class RecordBytesConverter : JsonConverter<RecordBytes>
{
    public override RecordBytes Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonInputSlices.TrySkip(ref reader, out var answer, out var start, out var length)
            ? new RecordBytes(answer, start, length)
            : throw new InvalidOperationException("Record bytes are read only from a whole answer by PulledPages.");

    public override void Write(Utf8JsonWriter writer, RecordBytes value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteRawValue(value.Span, skipInputValidation: true);
    }
}

/// <summary>A change-log page as the remote reads it: <see cref="CentralSyncBatch"/> with each record's data as bytes.</summary>
internal sealed record PulledCentralPage(long MaxCursor, IReadOnlyList<PulledCentralRecord>? Data);

/// <summary><see cref="CentralSyncRecord"/> with its data as bytes.</summary>
internal sealed record PulledCentralRecord(
    [property: JsonPropertyName("ID")] long Id,
    string TableName,
    string RecordId,
    string Action,
    RecordBytes? RecordData);

/// <summary>A queue page as the remote reads it: <see cref="RemoteSyncBatch"/> with each record's data as bytes.</summary>
internal sealed record PulledQueuePage(long QueueLength, IReadOnlyList<PulledQueueRecord>? Data = null);

/// <summary><see cref="RemoteSyncRecord"/> with its data as bytes.</summary>
internal sealed record PulledQueueRecord(
    [property: JsonConverter(typeof(WireTextConverter))] string SyncOutId,
    [property: JsonConverter(typeof(WireTextConverter))] string TableName,
    [property: JsonConverter(typeof(WireTextConverter))] string RecordId,
    [property: JsonConverter(typeof(WireTextConverter))] string Action,
    RecordBytes? RecordData);

/// <summary>Reads the two pull answers with the wire context's options (<see cref="SiteSyncJsonContext"/>) and checks the fields
/// the real client requires, as <c>SyncApiClient</c> does for the Protocol types.</summary>
internal static class PulledPages
{
    public static PulledCentralPage? ReadCentral(byte[] answer) => Read(answer, PulledJsonContext.Default.PulledCentralPage);

    public static PulledQueuePage? ReadQueue(byte[] answer) => Read(answer, PulledJsonContext.Default.PulledQueuePage);

    public static string? Problem(PulledCentralPage page) =>
        page.Data?.FirstOrDefault(r => r is null || r.TableName is null || r.RecordId is null || r.Action is null) is { } bad
            ? $"change-log record without tableName, recordId or action (ID {bad?.Id})"
            : null;

    public static string? Problem(PulledQueuePage page) =>
        page.Data?.FirstOrDefault(r => r is null || r.SyncOutId is null || r.TableName is null || r.RecordId is null || r.Action is null) is { } bad
            ? $"queue record without syncOutId, tableName, recordId or action ({bad?.RecordId})"
            : null;

    private static T? Read<T>(byte[] answer, JsonTypeInfo<T> typeInfo) => JsonInputSlices.Deserialize(answer, answer.Length, typeInfo);
}

/// <summary>The wire context's options (<see cref="SiteSyncJsonContext"/>) for the remote's own page types.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, AllowDuplicateProperties = false, MaxDepth = 64)]
[JsonSerializable(typeof(PulledCentralPage))]
[JsonSerializable(typeof(PulledQueuePage))]
internal sealed partial class PulledJsonContext : JsonSerializerContext;

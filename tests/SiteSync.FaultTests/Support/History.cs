using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SiteSync.FaultTests.Support;

/// <summary>How an operation ended (Jepsen): <c>ok</c> it took place, <c>fail</c> it did not, <c>info</c> nobody knows (a
/// timed-out or killed write). A checker must accept an <c>info</c> write as present or absent, never twice.</summary>
public enum OpType
{
    Invoke,
    Ok,
    Fail,
    Info,
}

/// <summary>One write of one version of one record, by its origin (central's admin API, or a remote's local edit), and the
/// places it must reach.</summary>
public sealed record WriteOp(long Id, string Origin, string Table, string RecordId, string Version, IReadOnlyList<string> Destinations)
{
    public OpType Type { get; set; } = OpType.Invoke;
}

/// <summary>The client-side history of a fault run: every write invoked and how it completed. Each written version is a
/// unique token stored in the record's data as <c>_v</c>, so the checker can tell versions apart wherever the record lands.
/// Saved as JSON lines next to the run's other files so a failing run can be replayed and read.</summary>
public sealed class History(string prefix)
{
    public const string VersionField = "_v";

    private readonly ConcurrentDictionary<long, WriteOp> _ops = new();
    private long _next;

    /// <summary>Every record id of the run starts with it, so the checker ignores everything else in the databases.</summary>
    public string Prefix { get; } = prefix;

    public IReadOnlyCollection<WriteOp> Ops => [.. _ops.Values.OrderBy(o => o.Id)];

    /// <summary>Registers the write of a new version of a record; its data gets the version token.</summary>
    public WriteOp Invoke(string origin, string table, string recordId, JsonObject data, IReadOnlyList<string> destinations)
    {
        var id = Interlocked.Increment(ref _next);
        var version = $"{origin}#{id}";
        data[VersionField] = version;
        var op = new WriteOp(id, origin, table, recordId, version, destinations);
        _ops[id] = op;
        return op;
    }

    public static void Complete(IEnumerable<WriteOp> ops, OpType type)
    {
        foreach (var op in ops)
        {
            op.Type = type;
        }
    }

    public static void Complete(WriteOp op, OpType type) => op.Type = type;

    public async Task SaveAsync(string path)
    {
        await using var writer = new StreamWriter(path);
        foreach (var op in Ops)
        {
            await writer.WriteLineAsync(JsonSerializer.Serialize(new
            {
                op = "write", id = op.Id, origin = op.Origin, table = op.Table, record = op.RecordId, version = op.Version,
                type = op.Type.ToString().ToLowerInvariant(), destinations = op.Destinations,
            }));
        }
    }

    /// <summary>The <c>_v</c> token of a record's data, or null (no data, not JSON, no token).</summary>
    public static string? VersionOf(string? data)
    {
        if (string.IsNullOrEmpty(data))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(data);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(VersionField, out var version) && version.ValueKind == JsonValueKind.String
                ? version.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

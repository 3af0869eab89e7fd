using System.Text.Json;
using System.Text.Json.Serialization;
using SiteSync.Remote;
using SiteSync.Remote.Integrity;
using SiteSync.Remote.Sync;

namespace SiteSync.Cli.Remote;

/// <summary>The JSON shapes of <c>--json</c> output.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = false)]
[JsonSerializable(typeof(RemoteStatus))]
[JsonSerializable(typeof(CheckResult))]
[JsonSerializable(typeof(SyncReport))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(RemoteRecord))]
[JsonSerializable(typeof(IReadOnlyList<RemoteRecord>))]
[JsonSerializable(typeof(PutResult))]
[JsonSerializable(typeof(IntegrityVerification))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

/// <summary>The answer of <c>records put --json</c>.</summary>
internal sealed record PutResult(string TableName, int Stored);

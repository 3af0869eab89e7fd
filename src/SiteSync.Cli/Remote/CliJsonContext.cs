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
[JsonSerializable(typeof(SyncFailure))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

/// <summary>The answer of <c>records put --json</c>.</summary>
internal sealed record PutResult(string TableName, int Stored);

/// <summary>The answer of <c>sync --json</c> when the cycle could not run or complete: the same <c>outcome</c> field as a
/// report, the failure's code and message, central's HTTP status if it answered, and the exit code.</summary>
internal sealed record SyncFailure(string Outcome, string Code, string Message, int? HttpStatus, int ExitCode);

using System.Text.Json.Serialization;

namespace SiteSync.Remote;

/// <summary>Source-generated JSON for the engine's own values (the settings it stores as JSON).</summary>
[JsonSerializable(typeof(List<string>))]
internal sealed partial class RemoteJsonContext : JsonSerializerContext;

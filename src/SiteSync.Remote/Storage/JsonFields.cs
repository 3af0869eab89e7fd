using System.Text.Json;

namespace SiteSync.Remote.Storage;

/// <summary>Reads fields of a legacy record's JSON.</summary>
internal static class JsonFields
{
    /// <summary>The field's value when the element is an object and the field a string; otherwise null.</summary>
    public static string? StringField(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}

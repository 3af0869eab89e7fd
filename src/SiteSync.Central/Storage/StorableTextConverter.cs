using System.Text.Json;
using System.Text.Json.Serialization;

namespace SiteSync.Central.Storage;

/// <summary>Reads every string of an admin request body through <see cref="StorableText"/>: text that holds U+0000 or an
/// unpaired surrogate refuses the request (400 with the property's path) before any service sees it.</summary>
/// <remarks>Registered for the HTTP JSON options, so one rule covers every field of every admin body, present and future.
/// Sync bodies are read with their own type information and check their records one by one (<c>SyncRequestBody</c>).</remarks>
public sealed class StorableTextConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a string, found {reader.TokenType}.");
        }
        string? text;
        try
        {
            text = reader.GetString();
        }
        catch (InvalidOperationException invalid)
        {
            throw new UnstorableTextException(invalid);
        }
        return StorableText.IsStorable(text) ? text : throw new UnstorableTextException(null);
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>A string of a request body that central cannot store; its message never quotes the value.</summary>
public sealed class UnstorableTextException(Exception? inner)
    : JsonException("The text holds U+0000 or an unpaired UTF-16 surrogate, which cannot be stored.", inner);

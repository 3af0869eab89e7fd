using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SiteSync.Protocol.Json;

/// <summary>A JSON value kept as its text, so record payloads pass through central without being re-modelled.</summary>
/// <remarks>Reading validates the value (it comes from the wire); writing emits the text as is, so only ever
/// construct one from text that was validated JSON (read from the wire or produced by a serializer).</remarks>
[JsonConverter(typeof(RawJsonConverter))]
public readonly record struct RawJson
{
    /// <summary>Wraps JSON text.</summary>
    /// <param name="text">Valid JSON text.</param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public RawJson(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Text = text;
    }

    /// <summary>The JSON text.</summary>
    public string Text { get; }

    /// <summary>Whether the value is a JSON object.</summary>
    public bool IsObject => Text.Length > 0 && Text.TrimStart()[0] == '{';

    /// <summary>Parses the value into a document the caller disposes.</summary>
    /// <returns>The parsed document.</returns>
    public JsonDocument Parse() => JsonDocument.Parse(Text);

    /// <summary>Serialises a value into raw JSON.</summary>
    /// <param name="element">The value.</param>
    /// <returns>The raw JSON.</returns>
    public static RawJson From(JsonElement element) => new(element.GetRawText());

    /// <inheritdoc/>
    public override string ToString() => Text;
}

/// <summary>Reads any JSON value into <see cref="RawJson"/> and writes it back verbatim.</summary>
/// <remarks>A value is read as the slice of the input it spans when the whole input is known
/// (<see cref="JsonInputSlices.Deserialize{T}"/>); else (a stream read in pieces) it is parsed into a document first. Both give
/// the same text, checked the same way. The slice saves building a document per value: a pushed batch of 5,000 records spent
/// 13–16 % of central's busy time in that (issue 10).</remarks>
public sealed class RawJsonConverter : JsonConverter<RawJson>
{
    /// <inheritdoc/>
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (JsonInputSlices.TrySkip(ref reader, out var input, out var start, out var length))
        {
            return new RawJson(Encoding.UTF8.GetString(input, start, length));
        }
        using var document = JsonDocument.ParseValue(ref reader);
        try
        {
            return new RawJson(document.RootElement.GetRawText());
        }
        catch (InvalidOperationException invalid)
        {
            // Raw bytes that are not UTF-8 parse, but cannot become text: the body is not JSON (RFC 8259 §8.1).
            throw new JsonException("The value holds bytes that are not valid UTF-8.", invalid);
        }
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteRawValue(value.Text ?? "null", skipInputValidation: true);
    }
}

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;

namespace SiteSync.Protocol.Json;

/// <summary>Deserialising a whole UTF-8 input so that converters can take a value as the slice of the input it spans, instead
/// of building a document of it or a string of each value (issue 10: a record's data passes through a sync untouched, and
/// parsing it only to take its text back was a large share of both central's push and the remote's pull).</summary>
/// <remarks>A slice is what <c>JsonElement.GetRawText</c> returns, before decoding: the reader has checked the value is
/// well-formed as it skipped it, and its bytes are checked to be UTF-8 (RFC 8259 §8.1). The input is named for one synchronous
/// <see cref="JsonSerializer"/> call on this thread; a converter asked to read from anything else (a stream read in pieces)
/// is told so and reads the value its own way.</remarks>
public static class JsonInputSlices
{
    [ThreadStatic]
    private static byte[]? _input;

    /// <summary>Deserialises the first <paramref name="length"/> bytes of <paramref name="utf8"/>, with <see cref="TrySkip"/>
    /// able to slice every value in it.</summary>
    /// <exception cref="JsonException">The input is not JSON of the type's shape.</exception>
    public static T? Deserialize<T>(byte[] utf8, int length, JsonTypeInfo<T> type)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        var previous = _input;
        _input = utf8;
        try
        {
            return JsonSerializer.Deserialize(utf8.AsSpan(0, length), type);
        }
        finally
        {
            _input = previous;
        }
    }

    /// <summary>When <paramref name="reader"/> reads the input <see cref="Deserialize{T}"/> named: skips the value it is on and
    /// gives the input and the value's place in it; else false, and the reader has not moved.</summary>
    /// <exception cref="JsonException">The value is not well-formed, or its bytes are not UTF-8.</exception>
    public static bool TrySkip(ref Utf8JsonReader reader, out byte[] input, out int start, out int length)
    {
        (input, start, length) = (_input!, 0, 0);
        if (_input is null || reader.HasValueSequence || reader.TokenStartIndex >= _input.Length
            || _input[reader.TokenStartIndex] != FirstByte(reader.TokenType, _input[reader.TokenStartIndex]))
        {
            return false;
        }
        start = checked((int)reader.TokenStartIndex);
        reader.Skip();
        length = checked((int)reader.BytesConsumed) - start;
        return Utf8.IsValid(input.AsSpan(start, length))
            ? true
            : throw new JsonException("The value holds bytes that are not valid UTF-8.");
    }

    /// <summary>The byte a value of this token type starts with (any byte for numbers and literals): a check that the reader
    /// reads the named input, not another one deserialised inside it.</summary>
    private static byte FirstByte(JsonTokenType type, byte actual) => type switch
    {
        JsonTokenType.StartObject => (byte)'{',
        JsonTokenType.StartArray => (byte)'[',
        JsonTokenType.String => (byte)'"',
        _ => actual,
    };
}

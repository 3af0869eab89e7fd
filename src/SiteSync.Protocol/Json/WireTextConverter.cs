using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SiteSync.Protocol.Json;

/// <summary>Reads a JSON string even when its escapes spell an unpaired UTF-16 surrogate (<c>"\ud800x"</c>), keeping that
/// surrogate in the .NET string; writes strings as usual.</summary>
/// <remarks>The serializer refuses such a string, which would make one bad record of a pushed batch refuse the whole batch,
/// and the client would resend the same batch forever. Read leniently, the value reaches the receiver's per-record checks,
/// which refuse that record alone, with a reason. Raw bytes that are not UTF-8 are still refused: that body is not JSON.</remarks>
public sealed class WireTextConverter : JsonConverter<string>
{
    /// <inheritdoc/>
    public override bool HandleNull => false;

    /// <inheritdoc/>
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a string, found {reader.TokenType}.");
        }
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException) when (reader.ValueIsEscaped)
        {
            var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray();
            return Unescape(raw);
        }
        catch (InvalidOperationException invalid)
        {
            throw new JsonException("The value holds bytes that are not valid UTF-8.", invalid);
        }
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }

    /// <summary>JSON string escapes (RFC 8259 §7) undone one by one, so <c>\uXXXX</c> may yield a lone surrogate.</summary>
    private static string Unescape(byte[] raw)
    {
        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        var text = new StringBuilder(raw.Length);
        var start = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\')
            {
                continue;
            }
            try
            {
                text.Append(strict.GetString(raw, start, i - start));
            }
            catch (DecoderFallbackException invalid)
            {
                throw new JsonException("The value holds bytes that are not valid UTF-8.", invalid);
            }
            var escape = i + 1 < raw.Length ? raw[i + 1] : (byte)0;
            if (escape == (byte)'u' && i + 5 < raw.Length)
            {
                text.Append((char)int.Parse(Encoding.ASCII.GetString(raw, i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 5;
            }
            else
            {
                text.Append(escape switch
                {
                    (byte)'"' => '"',
                    (byte)'\\' => '\\',
                    (byte)'/' => '/',
                    (byte)'b' => '\b',
                    (byte)'f' => '\f',
                    (byte)'n' => '\n',
                    (byte)'r' => '\r',
                    (byte)'t' => '\t',
                    _ => throw new JsonException("The value holds an invalid escape."),
                });
                i += 1;
            }
            start = i + 1;
        }
        try
        {
            text.Append(strict.GetString(raw, start, raw.Length - start));
        }
        catch (DecoderFallbackException invalid)
        {
            throw new JsonException("The value holds bytes that are not valid UTF-8.", invalid);
        }
        return text.ToString();
    }
}

using System.Text.Json;

namespace SiteSync.Central.Storage;

/// <summary>The one rule for text central accepts from outside: what both engines store and give back unchanged.</summary>
/// <remarks>PostgreSQL refuses U+0000 in <c>text</c> (SQLSTATE 22021) and cannot encode an unpaired UTF-16 surrogate;
/// SQLite would store the surrogate as U+FFFD, silently changing the record. Both are therefore refused where text enters
/// (a pushed record, an admin request, a credential), never discovered by the database halfway through a transaction.</remarks>
public static class StorableText
{
    /// <summary>Whether <paramref name="text"/> has no U+0000 and no unpaired surrogate.</summary>
    public static bool IsStorable(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return false;
            }
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }
                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Storable and free of control characters: names, ids and credentials.</summary>
    public static bool IsPrintable(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return false;
            }
        }
        return IsStorable(text);
    }

    /// <summary>Text made storable for display (log lines, reported names): U+0000 and unpaired surrogates become U+FFFD, and
    /// it is cut to at most <paramref name="maxLength"/> characters without splitting a surrogate pair.</summary>
    public static string ForDisplay(string text, int maxLength)
    {
        var cut = text.Length <= maxLength ? text.Length : char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength;
        var span = text.AsSpan(0, cut);
        if (IsStorable(span))
        {
            return cut == text.Length ? text : span.ToString();
        }
        var chars = span.ToArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (chars[i] == '\0' || char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }
        return new string(chars);
    }

    /// <summary>The reason a JSON value cannot be stored as it is, or null when every property name and string in it can.</summary>
    /// <remarks>A parsed document may still hold text that cannot be read back: escaped lone surrogates (<c>"\ud800"</c>) and,
    /// from a raw UTF-8 body, invalid byte sequences. Reading each string once finds both.</remarks>
    public static string? Check(JsonElement value)
    {
        try
        {
            return CheckValue(value);
        }
        catch (InvalidOperationException)
        {
            return "it holds text that is not valid UTF-8 or UTF-16 (e.g. an unpaired surrogate)";
        }
    }

    /// <summary><see cref="Check(JsonElement)"/> for JSON text.</summary>
    public static string? Check(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Check(document.RootElement);
        }
        catch (JsonException)
        {
            return "it is not valid JSON";
        }
    }

    private static string? CheckValue(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return IsStorable(value.GetString()) ? null : Refusal;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    if (!IsStorable(property.Name))
                    {
                        return Refusal;
                    }
                    if (CheckValue(property.Value) is { } reason)
                    {
                        return reason;
                    }
                }
                return null;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (CheckValue(item) is { } reason)
                    {
                        return reason;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private const string Refusal = "it holds U+0000 or an unpaired UTF-16 surrogate, which cannot be stored";
}

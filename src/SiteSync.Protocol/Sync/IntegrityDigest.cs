using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SiteSync.Protocol.Sync;

/// <summary>How central and a site digest the records they hold, so both compute the same value from the same records
/// (docs/decisions.md "Integrity audit").</summary>
/// <remarks>
/// A record's hash is the first 8 bytes (big-endian) of SHA-256 over its table name, id and exact JSON text, each as UTF-8
/// preceded by its byte length (4 bytes, big-endian), so no choice of separator can make two records collide. A group's digest
/// is the number of records and the sum of their hashes modulo 2^64: independent of order, so each side reads in whatever order
/// its engine likes, in one pass, with constant memory. Unlike XOR, a sum does not cancel a record counted twice.
/// </remarks>
public static class IntegrityDigest
{
    private const int StackLimit = 1024;

    /// <summary>The hash of one record.</summary>
    /// <param name="tableName">The legacy table.</param>
    /// <param name="recordId">The record id.</param>
    /// <param name="data">The record's JSON text, exactly as stored.</param>
    /// <returns>The record hash.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ulong HashRecord(string tableName, string recordId, string data)
    {
        ArgumentNullException.ThrowIfNull(tableName);
        ArgumentNullException.ThrowIfNull(recordId);
        ArgumentNullException.ThrowIfNull(data);
        var length = 12 + Encoding.UTF8.GetByteCount(tableName) + Encoding.UTF8.GetByteCount(recordId) + Encoding.UTF8.GetByteCount(data);
        byte[]? rented = null;
        Span<byte> buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Write(buffer, tableName);
            written += Write(buffer[written..], recordId);
            written += Write(buffer[written..], data);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer[..written], hash);
            return BinaryPrimitives.ReadUInt64BigEndian(hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>How the audit groups a record of this class (the table's variant for the record, e.g. a patient name):
    /// per table for what every site holds in full, per table and owning store for a store's own data, or not at all for
    /// records a site holds because they were routed to it (transfers of other stores, patients, prescribers, messages).</summary>
    public static AuditGrouping GroupingOf(Catalog.DataClass dataClass) => dataClass switch
    {
        Catalog.DataClass.Central or Catalog.DataClass.SharedRemote => AuditGrouping.ByTable,
        Catalog.DataClass.Store or Catalog.DataClass.CentralStore or Catalog.DataClass.Transfer or Catalog.DataClass.Visibility => AuditGrouping.ByStore,
        _ => AuditGrouping.None,
    };

    /// <summary>A hash or digest as text: 16 lowercase hex digits.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string Format(ulong value) => value.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>Reads a hash or digest written by <see cref="Format"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The value, when the text is exactly 16 lowercase hex digits.</param>
    /// <returns>Whether the text was valid.</returns>
    public static bool TryParse(string? text, out ulong value)
    {
        value = 0;
        return text is { Length: 16 }
            && text.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'))
            && ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    private static int Write(Span<byte> buffer, string text)
    {
        var written = Encoding.UTF8.GetBytes(text, buffer[4..]);
        BinaryPrimitives.WriteInt32BigEndian(buffer, written);
        return 4 + written;
    }
}

/// <summary>A group digest being built: the count and the sum (mod 2^64) of the record hashes.</summary>
public struct IntegrityAccumulator : IEquatable<IntegrityAccumulator>
{
    /// <summary>How many records were added.</summary>
    public long Count { get; private set; }

    /// <summary>The sum of their hashes, modulo 2^64.</summary>
    public ulong Sum { get; private set; }

    /// <summary>The digest as text (<see cref="IntegrityDigest.Format"/>).</summary>
    public readonly string Digest => IntegrityDigest.Format(Sum);

    /// <summary>Adds one record's hash.</summary>
    /// <param name="hash">The record hash.</param>
    public void Add(ulong hash)
    {
        Count++;
        Sum = unchecked(Sum + hash);
    }

    /// <summary>An accumulator with the given totals, e.g. read from the wire.</summary>
    /// <param name="count">The count.</param>
    /// <param name="sum">The sum.</param>
    /// <returns>The accumulator.</returns>
    public static IntegrityAccumulator Of(long count, ulong sum) => new() { Count = count, Sum = sum };

    /// <inheritdoc/>
    public readonly bool Equals(IntegrityAccumulator other) => Count == other.Count && Sum == other.Sum;

    /// <inheritdoc/>
    public override readonly bool Equals(object? obj) => obj is IntegrityAccumulator other && Equals(other);

    /// <inheritdoc/>
    public override readonly int GetHashCode() => HashCode.Combine(Count, Sum);

    /// <summary>Whether two digests are the same.</summary>
    /// <param name="left">One.</param>
    /// <param name="right">The other.</param>
    /// <returns>True when count and sum are equal.</returns>
    public static bool operator ==(IntegrityAccumulator left, IntegrityAccumulator right) => left.Equals(right);

    /// <summary>Whether two digests differ.</summary>
    /// <param name="left">One.</param>
    /// <param name="right">The other.</param>
    /// <returns>True when count or sum differ.</returns>
    public static bool operator !=(IntegrityAccumulator left, IntegrityAccumulator right) => !left.Equals(right);
}

/// <summary>How the integrity audit groups the records of a class.</summary>
public enum AuditGrouping
{
    /// <summary>Not audited: the site holds them because they were routed to it.</summary>
    None,

    /// <summary>One group per table: every site holds all of them.</summary>
    ByTable,

    /// <summary>One group per table and owning store, for the stores active on the site.</summary>
    ByStore,
}

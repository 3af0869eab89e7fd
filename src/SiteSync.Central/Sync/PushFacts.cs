using System.Collections.Concurrent;
using SiteSync.Central.Routing;

namespace SiteSync.Central.Sync;

/// <summary>The routing facts of pushed records, read when their batch arrived (the check parses each record anyway), kept in
/// this process until the site's integration takes them, so integration need not parse the buffer again.</summary>
/// <remarks>
/// <para>Facts are a pure function of (table, id, JSON text): an entry is used only when the buffered text is exactly the text it
/// was read from (ordinal comparison), so a stale entry (a batch rolled back, a record overwritten by a later version) or a
/// buffer written by another node or before a restart simply is not found, and integration parses that record as before.
/// Nothing here decides anything; it only saves a parse.</para>
/// <para>Memory is bounded: at most <see cref="MaxHeld"/> records over all sites (beyond that, records are not kept and are
/// parsed at integration); integration takes its site's entries whether it succeeds or not.</para>
/// </remarks>
public sealed class PushFacts
{
    /// <summary>Records held over all sites: about 0.5 KB each with their text (a few 50,000-record pushes in flight).</summary>
    public const int MaxHeld = 200_000;

    private readonly ConcurrentDictionary<int, Held> _sites = new();
    private int _held;

    /// <summary>Records currently held, over all sites.</summary>
    public int Count => Volatile.Read(ref _held);

    /// <summary>Keeps the facts of a record as buffered for <paramref name="siteId"/> (its last version wins).</summary>
    public void Keep(int siteId, string tableName, string recordId, string data, RecordFacts facts)
    {
        while (true)
        {
            var held = _sites.GetOrAdd(siteId, _ => new Held());
            lock (held)
            {
                if (held.Taken)
                {
                    continue; // taken by an integration between the two lines above: a new one is added
                }
                if (!held.Entries.ContainsKey((tableName, recordId)))
                {
                    if (Interlocked.Increment(ref _held) > MaxHeld)
                    {
                        Interlocked.Decrement(ref _held);
                        return;
                    }
                }
                held.Entries[(tableName, recordId)] = (data, facts);
                return;
            }
        }
    }

    /// <summary>Takes (and forgets) everything held for the site; lookups on the result need no lock.</summary>
    public Held Take(int siteId)
    {
        if (!_sites.TryRemove(siteId, out var held))
        {
            return Held.Empty;
        }
        lock (held)
        {
            held.Taken = true;
            Interlocked.Add(ref _held, -held.Entries.Count);
            return held;
        }
    }

    /// <summary>One site's facts, by (table, record id).</summary>
    public sealed class Held
    {
        public static readonly Held Empty = new();

        internal Dictionary<(string, string), (string Data, RecordFacts Facts)> Entries { get; } = [];

        internal bool Taken { get; set; }

        /// <summary>The facts read from exactly <paramref name="data"/>, or null.</summary>
        public RecordFacts? Find(string tableName, string recordId, string? data) =>
            data is not null && Entries.TryGetValue((tableName, recordId), out var entry) && string.Equals(entry.Data, data, StringComparison.Ordinal)
                ? entry.Facts
                : null;
    }
}

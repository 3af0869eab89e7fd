using System.Collections.Concurrent;
using SiteSync.Central.Routing;

namespace SiteSync.Central.Sync;

/// <summary>The routing facts of pushed records, read when their batch arrived (the check parses each record anyway), kept in
/// this process until the site's integration takes them, so integration need not parse the buffer again.</summary>
/// <remarks>
/// <para>Facts are a pure function of (table, id, JSON text): an entry is used only when the buffered text is exactly the text it
/// was read from (ordinal comparison), so a stale entry (a batch rolled back, a record overwritten by a later version) or a buffer
/// written by another node or before a restart simply is not found, and integration parses that record as before. Nothing
/// here decides anything; it only saves a parse.</para>
/// <para>Memory is bounded in size and in time: at most <see cref="MaxHeld"/> entries over all sites, each holding the record's
/// text (about 1 KB with its key and facts; beyond the cap, records are not kept and are parsed at integration).
/// Integration takes its site's entries whether it succeeds or not; a site that stops pushing mid-push (a dropped link) has
/// its entries forgotten once it has kept nothing for <see cref="MaxIdle"/>, so abandoned pushes do not fill the cache. The text
/// is kept rather than a digest of it: a SHA-256 of 50,000 records costs 40-90 ms of CPU at each end, several per cent of a
/// 50,000-record push, where comparing the texts costs 2 ms.</para>
/// </remarks>
public sealed class PushFacts(TimeProvider time)
{
    /// <summary>Records held over all sites: two 50,000-record pushes in flight, about 100 MB at most.</summary>
    public const int MaxHeld = 100_000;

    /// <summary>How long a site's entries are kept after its last batch: far longer than a client's pause between two
    /// batches of one push, and an entry forgotten too early only costs its integration a parse.</summary>
    public static readonly TimeSpan MaxIdle = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<int, Held> _sites = new();
    private int _held;

    /// <summary>Records currently held, over all sites.</summary>
    public int Count => Volatile.Read(ref _held);

    /// <summary>Keeps the facts of a batch's records as buffered for <paramref name="siteId"/> (a record's last version wins),
    /// and forgets the entries of sites idle for longer than <see cref="MaxIdle"/>.</summary>
    public void Keep(int siteId, IReadOnlyList<Kept> records)
    {
        var now = time.GetTimestamp();
        ForgetIdleSites(now);
        if (records.Count == 0)
        {
            return;
        }
        while (true)
        {
            var held = _sites.GetOrAdd(siteId, static (_, now) => new Held { LastKept = now }, now);
            lock (held)
            {
                if (held.Taken)
                {
                    continue; // taken by an integration (or forgotten) between the two lines above: a new one is added
                }
                held.LastKept = now;
                foreach (var record in records)
                {
                    var key = (record.TableName, record.RecordId);
                    if (!held.Entries.ContainsKey(key))
                    {
                        if (Interlocked.Increment(ref _held) > MaxHeld)
                        {
                            Interlocked.Decrement(ref _held);
                            continue;
                        }
                    }
                    held.Entries[key] = (record.Data, record.Facts);
                }
                return;
            }
        }
    }

    /// <summary>Takes (and forgets) everything held for the site; lookups on the result need no lock.</summary>
    public Held Take(int siteId) => _sites.TryRemove(siteId, out var held) ? Release(held) : Held.Empty;

    private void ForgetIdleSites(long now)
    {
        foreach (var (siteId, held) in _sites)
        {
            if (time.GetElapsedTime(Volatile.Read(ref held.LastKept), now) > MaxIdle
                && _sites.TryRemove(new KeyValuePair<int, Held>(siteId, held)))
            {
                Release(held);
            }
        }
    }

    private Held Release(Held held)
    {
        lock (held)
        {
            held.Taken = true;
            Interlocked.Add(ref _held, -held.Entries.Count);
            return held;
        }
    }

    /// <summary>A record to keep: its key, its text as buffered and the facts read from that text.</summary>
    public readonly record struct Kept(string TableName, string RecordId, string Data, RecordFacts Facts);

    /// <summary>One site's facts, by (table, record id).</summary>
    public sealed class Held
    {
        public static readonly Held Empty = new();

        internal long LastKept;

        internal Dictionary<(string, string), (string Data, RecordFacts Facts)> Entries { get; } = [];

        internal bool Taken { get; set; }

        /// <summary>The facts read from exactly <paramref name="data"/>, or null.</summary>
        public RecordFacts? Find(string tableName, string recordId, string? data) =>
            data is not null && Entries.TryGetValue((tableName, recordId), out var entry) && string.Equals(entry.Data, data, StringComparison.Ordinal)
                ? entry.Facts
                : null;
    }
}

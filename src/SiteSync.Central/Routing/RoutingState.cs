using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Catalog;

namespace SiteSync.Central.Routing;

/// <summary>The routing view of one batch of changes, loaded from the database in a few set queries before any of them is
/// routed: every store, the stored copies of the batch's records and of the headers its lines name, and where the batch's
/// patients and prescribers are visible. As the batch is routed, its own headers are remembered (G3: a line's header may
/// come earlier in the same push).</summary>
public sealed class RoutingState : IRoutingView
{
    private const int Chunk = 500;

    /// <summary>Ids per array parameter on PostgreSQL (<see cref="SqlCommands.AddIn"/>).</summary>
    private const int ArrayChunk = 10_000;

    private readonly Dictionary<string, int> _siteOfStore;
    private readonly Dictionary<string, string> _storeOfName;
    private readonly Dictionary<(string Table, string Id), StoredCopy> _stored;
    private readonly Dictionary<(string Table, string Id), StoredCopy> _routed = [];
    private readonly Dictionary<(DataClass Class, string Subject), HashSet<int>> _visibility;
    private readonly HashSet<string> _departed;
    private readonly Dictionary<string, string> _nameOfStore;
    private readonly HashSet<(string Store, string Name)> _joins;
    private ProgramState _program = ProgramState.Empty;

    private RoutingState(int pusherSiteId, Dictionary<string, int> siteOfStore, Dictionary<string, string> storeOfName,
        Dictionary<(string, string), StoredCopy> stored, Dictionary<(DataClass, string), HashSet<int>> visibility, HashSet<string> departed,
        Dictionary<string, string> nameOfStore, HashSet<(string, string)> joins)
    {
        _nameOfStore = nameOfStore;
        _joins = joins;
        _departed = departed;
        PusherSiteId = pusherSiteId;
        _siteOfStore = siteOfStore;
        _storeOfName = storeOfName;
        _stored = stored;
        _visibility = visibility;
    }

    public int PusherSiteId { get; }

    public int? SiteOfStore(string storeId) => _siteOfStore.TryGetValue(storeId, out var site) ? site : null;

    public string? StoreOfName(string nameId) => _storeOfName.GetValueOrDefault(nameId);

    public StoredCopy? Parent(string table, string id) =>
        _routed.TryGetValue((table, id), out var routed) ? routed : _stored.GetValueOrDefault((table, id));

    public IReadOnlySet<int> SitesSeeing(DataClass subjectClass, string subjectId) =>
        _visibility.TryGetValue((subjectClass, subjectId), out var sites) ? sites : EmptySites;

    private static readonly HashSet<int> EmptySites = [];

    public bool HasJustLeftPusher(string storeId) => _departed.Contains(storeId);

    public string? NameOfStore(string storeId) => _nameOfStore.GetValueOrDefault(storeId);

    public bool SeesName(string storeId, string nameId) => _joins.Contains((storeId, nameId));

    public IReadOnlyCollection<string> IndicatorValuesOf(string storeId, string periodId) =>
        _program.Values.TryGetValue((storeId, periodId), out var ids) ? ids : [];

    public IReadOnlySet<int> SitesAwaitingIndicators(string storeId, string periodId) =>
        _program.Suppliers.TryGetValue((storeId, periodId), out var suppliers)
            ? suppliers.Select(SiteOfStore).OfType<int>().ToHashSet()
            : EmptySites;

    /// <summary>Q3's part of the view: each (store, period) the batch touches, with the store's own indicator values and the
    /// suppliers of its open program requests, stored and as the batch leaves them.</summary>
    private sealed record ProgramState(
        Dictionary<(string, string), HashSet<string>> Values, Dictionary<(string, string), HashSet<string>> Suppliers)
    {
        public static readonly ProgramState Empty = new([], []);
    }

    /// <summary>Central's stored copy of a record of the batch.</summary>
    public StoredCopy? Stored(string table, string id) => _stored.GetValueOrDefault((table, id));

    /// <summary>Routes one change of the batch and remembers the outcome, so later lines of this batch see their header as it
    /// will be stored.</summary>
    public RouteDecision Decide(Change change)
    {
        var stored = Stored(change.Table.Name, change.Id);
        var route = Router.Decide(change, stored, this);
        if (route.IsStored)
        {
            _routed[(change.Table.Name, change.Id)] = new StoredCopy(change.Facts?.Table ?? stored!.Table, change.Id, route.StoreId, route.ParentId,
                route.ToStoreId, route.SubjectId, change.IsDelete);
        }
        return route;
    }

    /// <summary>Loads the view for <paramref name="changes"/>, pushed by <paramref name="pusherSiteId"/> (or authored on central).</summary>
    public static async Task<RoutingState> LoadAsync(SiteSyncDbContext db, int pusherSiteId, IReadOnlyList<Change> changes,
        CancellationToken cancellationToken)
    {
        await SqlCommands.EnsureOpenAsync(db, cancellationToken);
        var stores = await db.Stores.AsNoTracking().Select(s => new { s.Id, s.SiteId, s.NameId }).ToListAsync(cancellationToken);
        var siteOfStore = stores.ToDictionary(s => s.Id, s => s.SiteId, StringComparer.Ordinal);
        var storeOfName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var store in stores)
        {
            storeOfName.TryAdd(store.NameId, store.Id);
        }

        var stored = await StoredAsync(db, changes.Select(c => (c.Table, c.Id)), cancellationToken);
        // Headers of lines that are not themselves in the batch.
        var parents = changes.Where(c => c.Facts is { Table.IsLine: true, ParentId: not null })
            .Select(c => (Table: TableCatalog.Default[c.Table.ParentTable!], Id: c.Facts!.ParentId!))
            .Where(p => !stored.ContainsKey((p.Table.Name, p.Id)))
            .Distinct();
        foreach (var (key, copy) in await StoredAsync(db, parents, cancellationToken))
        {
            stored[key] = copy;
        }

        var subjects = changes
            .Select(c => (Class: c.Facts?.Table.Class ?? stored.GetValueOrDefault((c.Table.Name, c.Id))?.Table.Class,
                Subject: c.Facts?.SubjectId ?? stored.GetValueOrDefault((c.Table.Name, c.Id))?.SubjectId))
            .Where(s => s.Class is DataClass.Patient or DataClass.Prescriber && s.Subject is not null)
            .Select(s => (Class: s.Class!.Value, Subject: s.Subject!))
            .Distinct()
            .ToList();
        var visibility = await VisibilityAsync(db, subjects, siteOfStore, cancellationToken);
        var departed = (await db.StoreDepartures.AsNoTracking().Where(d => d.SiteId == pusherSiteId).Select(d => d.StoreId).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var nameOfStore = stores.ToDictionary(s => s.Id, s => s.NameId, StringComparer.Ordinal);
        var joins = await JoinsAsync(db, TransferPairs(changes, storeOfName, nameOfStore), cancellationToken);
        return new RoutingState(pusherSiteId, siteOfStore, storeOfName, stored, visibility, departed, nameOfStore, joins)
        {
            _program = await ProgramAsync(db, changes, stored, storeOfName, cancellationToken),
        };
    }

    /// <summary>Loads Q3's view for the (store, period) pairs of the batch's program requests and indicator values.</summary>
    private static async Task<ProgramState> ProgramAsync(SiteSyncDbContext db, IReadOnlyList<Change> changes,
        Dictionary<(string, string), StoredCopy> stored, Dictionary<string, string> storeOfName, CancellationToken cancellationToken)
    {
        var keys = changes
            .Select(c => c.Facts is { StoreId: { } store, ProgramPeriod: { } period } ? (store, period)
                : stored.GetValueOrDefault((c.Table.Name, c.Id)) is { StoreId: { } storedStore, ProgramPeriod: { } storedPeriod } ? (storedStore, storedPeriod)
                : ((string, string)?)null)
            .OfType<(string Store, string Period)>()
            .ToHashSet();
        if (keys.Count == 0)
        {
            return ProgramState.Empty;
        }
        var values = await ProgramIndicators.ValuesAsync(db, keys, cancellationToken);
        var requests = await ProgramIndicators.OpenRequestsAsync(db, "store_id", [.. keys.Select(k => k.Store).Distinct(StringComparer.Ordinal)], cancellationToken);
        var requestsById = requests.ToDictionary(r => r.Id, r => ((r.Store, r.Period), r.Supplier), StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (change.Table.Name == ProgramIndicators.ValueTable)
            {
                foreach (var ids in values.Values)
                {
                    ids.Remove(change.Id);
                }
                if (change.Facts is { StoreId: { } store, ProgramPeriod: { } period } && values.TryGetValue((store, period), out var kept))
                {
                    kept.Add(change.Id);
                }
            }
            else if (change.Table.Name == ProgramIndicators.RequestTable)
            {
                requestsById.Remove(change.Id);
                if (change.Facts is { StoreId: { } store, ProgramPeriod: { } period, CounterpartyNameId: { } nameId }
                    && storeOfName.TryGetValue(nameId, out var supplier) && supplier != store)
                {
                    requestsById[change.Id] = ((store, period), supplier);
                }
            }
        }
        var suppliers = new Dictionary<(string, string), HashSet<string>>();
        foreach (var (key, supplier) in requestsById.Values)
        {
            if (!suppliers.TryGetValue(key, out var set))
            {
                suppliers[key] = set = new HashSet<string>(StringComparer.Ordinal);
            }
            set.Add(supplier);
        }
        return new ProgramState(values, suppliers);
    }

    /// <summary>The (store, name) joins Q2 asks about: for each transfer header of the batch, each store with the other's name.</summary>
    private static List<(string Store, string Name)> TransferPairs(
        IReadOnlyList<Change> changes, Dictionary<string, string> storeOfName, Dictionary<string, string> nameOfStore)
    {
        List<(string, string)> pairs = [];
        foreach (var facts in changes.Select(c => c.Facts))
        {
            if (facts is { Table: { Class: DataClass.Transfer, IsLine: false }, StoreId: { } owner, CounterpartyNameId: { } counterpartyName }
                && storeOfName.TryGetValue(counterpartyName, out var counterparty) && nameOfStore.TryGetValue(owner, out var ownerName))
            {
                pairs.Add((owner, counterpartyName));
                pairs.Add((counterparty, ownerName));
            }
        }
        return pairs;
    }

    /// <summary>Which of the given (store, name) pairs an active <c>name_store_join</c> joins.</summary>
    private static async Task<HashSet<(string, string)>> JoinsAsync(
        SiteSyncDbContext db, List<(string Store, string Name)> pairs, CancellationToken cancellationToken)
    {
        var result = new HashSet<(string, string)>();
        if (pairs.Count == 0)
        {
            return result;
        }
        var wanted = pairs.ToHashSet();
        foreach (var chunk in pairs.Select(p => p.Store).Distinct(StringComparer.Ordinal).Chunk(Chunk))
        {
            await using var command = SqlCommands.Create(db, string.Empty);
            command.CommandText = $"""
                SELECT store_id, subject_id FROM record
                WHERE table_name = @join AND is_deleted = @false AND store_id IN ({command.AddList(chunk, "@s")})
                """;
            command.Add("@join", "name_store_join");
            command.Add("@false", false);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (Text(reader, 0) is { } store && Text(reader, 1) is { } name && wanted.Contains((store, name)))
                {
                    result.Add((store, name));
                }
            }
        }
        return result;
    }

    /// <summary>The stored copies of the given records, by table, in chunks of parameters.</summary>
    private static async Task<Dictionary<(string, string), StoredCopy>> StoredAsync(
        SiteSyncDbContext db, IEnumerable<(TableInfo Table, string Id)> keys, CancellationToken cancellationToken)
    {
        var result = new Dictionary<(string, string), StoredCopy>();
        foreach (var group in keys.Distinct().GroupBy(k => k.Table.Name, StringComparer.Ordinal))
        {
            var table = TableCatalog.Default[group.Key];
            // A push of 50,000 records asks for 50,000 ids: on PostgreSQL as arrays of 10,000 (one parameter each), not 100 lists of 500.
            foreach (var chunk in group.Select(k => k.Id).Chunk(db.Provider == StorageProvider.Postgres ? ArrayChunk : Chunk))
            {
                await using var command = SqlCommands.Create(db, string.Empty);
                // Indicator values: their data too, for the period a delete must follow (Q3).
                var withData = group.Key == ProgramIndicators.ValueTable;
                command.CommandText = $"""
                    SELECT record_id, store_id, parent_id, to_store_id, subject_id, is_deleted{(withData ? ", data" : "")} FROM record
                    WHERE table_name = @table AND {command.AddIn(db, "record_id", chunk, "@id")}
                    """;
                command.Add("@table", group.Key);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var subject = Text(reader, 4);
                    // A stored record belongs to its table's variant when the variant's subject column is set (a patient name).
                    var info = table.Variant is { SubjectField: not null } variant && subject is not null ? variant : table;
                    var id = reader.GetString(0);
                    result[(group.Key, id)] = new StoredCopy(info, id, Text(reader, 1), Text(reader, 2), Text(reader, 3), subject, reader.GetBoolean(5))
                    {
                        ProgramPeriod = withData && Text(reader, 6) is { } json ? RecordFacts.Read(info, id, json).ProgramPeriod : null,
                    };
                }
            }
        }
        return result;
    }

    /// <summary>For each subject, the sites where an active visibility join names it with a store active there.</summary>
    private static async Task<Dictionary<(DataClass, string), HashSet<int>>> VisibilityAsync(
        SiteSyncDbContext db, List<(DataClass Class, string Subject)> subjects, Dictionary<string, int> siteOfStore, CancellationToken cancellationToken)
    {
        var result = new Dictionary<(DataClass, string), HashSet<int>>();
        foreach (var group in subjects.GroupBy(s => s.Class))
        {
            var joins = TableCatalog.Default.OfClass(DataClass.Visibility).Where(t => t.VisibilityOf == group.Key).Select(t => t.Name).ToList();
            if (joins.Count == 0)
            {
                continue;
            }
            foreach (var chunk in group.Select(s => s.Subject).Chunk(Chunk))
            {
                await using var command = SqlCommands.Create(db, string.Empty);
                command.CommandText = $"""
                    SELECT subject_id, store_id FROM record
                    WHERE subject_id IN ({command.AddList(chunk, "@s")}) AND table_name IN ({command.AddList(joins, "@j")}) AND is_deleted = @false
                    """;
                command.Add("@false", false);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    if (Text(reader, 1) is { } store && siteOfStore.TryGetValue(store, out var site))
                    {
                        var key = (group.Key, reader.GetString(0));
                        if (!result.TryGetValue(key, out var sites))
                        {
                            result[key] = sites = [];
                        }
                        sites.Add(site);
                    }
                }
            }
        }
        return result;
    }

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}

using SiteSync.Central.Routing;
using SiteSync.Protocol.Catalog;

namespace SiteSync.Central.Tests.Routing;

/// <summary>An in-memory view for the pure routing function: stores on sites, their names, stored headers, and visibility.</summary>
public sealed class FakeRoutingView(int pusherSiteId) : IRoutingView
{
    public const int Central = 1;

    private readonly Dictionary<string, int> _sites = [];
    private readonly Dictionary<string, string> _storesByName = [];
    private readonly Dictionary<(string, string), StoredCopy> _parents = [];
    private readonly Dictionary<(DataClass, string), HashSet<int>> _seeing = [];
    private readonly HashSet<string> _departed = [];
    private readonly Dictionary<(string, string), List<string>> _indicatorValues = [];
    private readonly Dictionary<(string, string), HashSet<int>> _awaiting = [];

    /// <summary>Q3: the store's own indicator values for the period, and the sites of the suppliers of its open program requests.</summary>
    public FakeRoutingView Program(string store, string period, string[] values, params int[] supplierSites)
    {
        _indicatorValues[(store, period)] = [.. values];
        _awaiting[(store, period)] = [.. supplierSites];
        return this;
    }

    public IReadOnlyCollection<string> IndicatorValuesOf(string storeId, string periodId) =>
        _indicatorValues.TryGetValue((storeId, periodId), out var ids) ? ids : [];

    public IReadOnlySet<int> SitesAwaitingIndicators(string storeId, string periodId) =>
        _awaiting.TryGetValue((storeId, periodId), out var sites) ? sites : new HashSet<int>();

    public int PusherSiteId { get; } = pusherSiteId;

    /// <summary>A store with id <c>S{n}</c> and name <c>N{n}</c> active on the site.</summary>
    public FakeRoutingView Store(string store, string name, int site)
    {
        _sites[store] = site;
        _storesByName[name] = store;
        return this;
    }

    public FakeRoutingView Header(StoredCopy header)
    {
        _parents[(header.Table.Name, header.Id)] = header;
        return this;
    }

    public FakeRoutingView Seen(DataClass subjectClass, string subject, params int[] sites)
    {
        _seeing[(subjectClass, subject)] = [.. sites];
        return this;
    }

    /// <summary>The store has just moved away from the pusher's site, which has not synced since.</summary>
    public FakeRoutingView Departed(string store)
    {
        _departed.Add(store);
        return this;
    }

    public bool HasJustLeftPusher(string storeId) => _departed.Contains(storeId);

    public FakeRoutingView As(int pusher)
    {
        var view = new FakeRoutingView(pusher);
        foreach (var (store, site) in _sites)
        {
            view._sites[store] = site;
        }
        foreach (var (name, store) in _storesByName)
        {
            view._storesByName[name] = store;
        }
        foreach (var (key, parent) in _parents)
        {
            view._parents[key] = parent;
        }
        foreach (var (key, sites) in _seeing)
        {
            view._seeing[key] = sites;
        }
        view._unjoined.UnionWith(_unjoined);
        foreach (var (key, ids) in _indicatorValues)
        {
            view._indicatorValues[key] = ids;
        }
        foreach (var (key, sites) in _awaiting)
        {
            view._awaiting[key] = sites;
        }
        return view;
    }

    public int? SiteOfStore(string storeId) => _sites.TryGetValue(storeId, out var site) ? site : null;

    public string? StoreOfName(string nameId) => _storesByName.GetValueOrDefault(nameId);

    public StoredCopy? Parent(string table, string id) => _parents.GetValueOrDefault((table, id));

    public IReadOnlySet<int> SitesSeeing(DataClass subjectClass, string subjectId) =>
        _seeing.TryGetValue((subjectClass, subjectId), out var sites) ? sites : new HashSet<int>();

    public string? NameOfStore(string storeId) => _storesByName.FirstOrDefault(n => n.Value == storeId).Key;

    /// <summary>Every store sees every store's name unless <see cref="Unjoined"/> says otherwise.</summary>
    public bool SeesName(string storeId, string nameId) => !_unjoined.Contains((storeId, nameId));

    private readonly HashSet<(string, string)> _unjoined = [];

    /// <summary>The store has no active name_store_join for the name.</summary>
    public FakeRoutingView Unjoined(string store, string name)
    {
        _unjoined.Add((store, name));
        return this;
    }
}

using SiteSync.Protocol.Catalog;

namespace SiteSync.Central.Routing;

/// <summary>A change to route: an upsert (with the record's facts) or a delete, pushed by a site or authored on central.</summary>
public sealed record Change(TableInfo Table, string Id, bool IsDelete, RecordFacts? Facts)
{
    public static Change Upsert(RecordFacts facts) => new(facts.Table, facts.Id, false, facts);

    public static Change Delete(TableInfo table, string id) => new(table, id, true, null);
}

/// <summary>Central's stored copy of a record, as its routing columns hold it.</summary>
/// <param name="Table">The table (its variant when the stored record belongs to one).</param>
/// <param name="Id">The record id.</param>
/// <param name="StoreId">The owning store (for lines, the header's).</param>
/// <param name="ParentId">Lines: the header's id.</param>
/// <param name="ToStoreId">The other store it is delivered to: a transfer's counterparty, a message's recipient.</param>
/// <param name="SubjectId">The patient or prescriber it is about (visibility joins: the subject they make visible, null when inactive).</param>
/// <param name="IsDeleted">Whether the stored copy is a tombstone.</param>
public sealed record StoredCopy(TableInfo Table, string Id, string? StoreId, string? ParentId, string? ToStoreId, string? SubjectId, bool IsDeleted)
{
    /// <summary>Indicator values: the period of a store's own value (<see cref="ProgramIndicators"/>), so its delete goes where it went.</summary>
    public string? ProgramPeriod { get; init; }
}

/// <summary>What routing reads of central's state: stores, names, visibility, and the parents of lines. Read-only.</summary>
public interface IRoutingView
{
    /// <summary>The site that pushed the change; <see cref="Router.CentralSiteId"/> when central authored it.</summary>
    int PusherSiteId { get; }

    /// <summary>The site where the store is active, or null for a store central does not know.</summary>
    int? SiteOfStore(string storeId);

    /// <summary>The store whose name is <paramref name="nameId"/> (routing.md §0 storeOfName), or null when the name is no store's.</summary>
    string? StoreOfName(string nameId);

    /// <summary>The header of a line as it stands after the changes routed so far in this push, or as stored; null when unknown.</summary>
    StoredCopy? Parent(string table, string id);

    /// <summary>The sites where a patient or prescriber is visible: an active visibility join names it with a store active there.</summary>
    IReadOnlySet<int> SitesSeeing(DataClass subjectClass, string subjectId);

    /// <summary>Whether the store has just left the pusher's site, which has not yet synced since (routing.md §6 Q4).</summary>
    bool HasJustLeftPusher(string storeId);

    /// <summary>The name record of the store (its <c>name_ID</c> in the store table), or null for an unknown store.</summary>
    string? NameOfStore(string storeId);

    /// <summary>Whether an active <c>name_store_join</c> makes the name visible in the store.</summary>
    bool SeesName(string storeId, string nameId);

    /// <summary>Q3: the ids of the store's own indicator values for the period, as stored and as this batch leaves them.</summary>
    IReadOnlyCollection<string> IndicatorValuesOf(string storeId, string periodId);

    /// <summary>Q3: the sites of the suppliers of the store's open program requests for the period.</summary>
    IReadOnlySet<int> SitesAwaitingIndicators(string storeId, string periodId);
}

/// <summary>What to send where. <see cref="Table"/> and <see cref="Id"/> name a record; for lines, their header; for a
/// bundle, the subject's class and id.</summary>
public readonly record struct Delivery(int SiteId, DeliveryKind Kind, string Table, string Id);

public enum DeliveryKind
{
    /// <summary>The record, as it stands when the site pulls it (an upsert, or a delete for a tombstone).</summary>
    Record,

    /// <summary>A delete of the record, whatever its state (a transfer whose counterparty changed away from the site).</summary>
    RecordAsDelete,

    /// <summary>Every line of the header.</summary>
    LinesOf,

    /// <summary>A delete of every line of the header.</summary>
    LinesOfAsDelete,

    /// <summary>Every record about the subject (a patient's name, insurance joins and documents; a prescriber).</summary>
    Bundle,
}

/// <summary>The routing of one change: whether central stores it, the routing columns it is stored with, and what goes to
/// which site. <see cref="Rejection"/> set: refused and logged; <see cref="Ignored"/>: nothing to do (a delete of a record
/// central never had).</summary>
public sealed record RouteDecision(
    string? Rejection, bool Ignored, string? StoreId, string? ParentId, string? ToStoreId, string? SubjectId, bool ToChangeLog,
    IReadOnlyList<Delivery> Deliveries, bool RetargetLines)
{
    public bool IsStored => Rejection is null && !Ignored;

    /// <summary>Refused because of where it comes from (another site's store, central data from a remote).</summary>
    public static RouteDecision Reject(string reason) => new(reason, false, null, null, null, null, false, [], false);

    /// <summary>Refused because the record itself is incomplete (no store, an unknown store or header).</summary>
    public static RouteDecision Invalid(string reason) => Reject(reason) with { IsInvalid = true };

    /// <summary>Whether the refusal is about the record's content rather than where it comes from.</summary>
    public bool IsInvalid { get; init; }

    /// <summary>Something worth a line in the pusher's site log although the record is routed (routing.md §6 Q2).</summary>
    public string? Note { get; init; }

    public static readonly RouteDecision Ignore = new(null, true, null, null, null, null, false, [], false);

    /// <summary>Stored, with no owner, and sent to every site through the change log (central data, barcodes).</summary>
    public static readonly RouteDecision ChangeLog = new(null, false, null, null, null, null, true, [], false);

    /// <summary>Stored, and sent nowhere.</summary>
    public static readonly RouteDecision Kept = new(null, false, null, null, null, null, false, [], false);
}

/// <summary>Routing as one pure function (routing.md G1–G9, T1–T8, P1–P5, C1–C2, M1, B1): given a change, central's stored
/// copy and a read-only view of stores, names, sites and visibility, it answers "store it? which sites receive what?".</summary>
/// <remarks>No database here: the caller loads the view and applies the answer (<c>Records.RecordStore</c>). Deliveries never
/// go to the pusher (G2) nor to the central site, which has no queue.</remarks>
public static class Router
{
    public const int CentralSiteId = 1;

    public static RouteDecision Decide(Change change, StoredCopy? stored, IRoutingView view)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(view);
        if (change.IsDelete)
        {
            // G4: a delete goes where the record went, found from central's stored copy.
            return stored is null || stored.IsDeleted ? RouteDecision.Ignore : RouteDelete(stored, view);
        }
        var facts = change.Facts ?? throw new ArgumentException("An upsert carries its facts.", nameof(change));
        return facts.Table.Class switch
        {
            DataClass.Unknown => RouteDecision.Kept,
            DataClass.Central => view.PusherSiteId == CentralSiteId ? RouteDecision.ChangeLog : RouteDecision.Reject("central data is edited on central only"),
            DataClass.SharedRemote => RouteDecision.ChangeLog,
            DataClass.CentralStore => CentralStore(facts, view),
            DataClass.Visibility => Visibility(facts, stored, view),
            DataClass.Store => Store(facts, view),
            DataClass.Transfer => Transfer(facts, stored, view),
            DataClass.Patient or DataClass.Prescriber => Subject(facts, view),
            DataClass.Message => Message(facts, view),
            _ => RouteDecision.Reject($"tables of class {facts.Table.Class} are not routed"),
        };
    }

    private static RouteDecision CentralStore(RecordFacts facts, IRoutingView view)
    {
        if (view.PusherSiteId != CentralSiteId)
        {
            return RouteDecision.Reject("central-store data is edited on central only");
        }
        if (facts.StoreId is not { } store || view.SiteOfStore(store) is not { } site)
        {
            return RouteDecision.Invalid("it does not name a known store");
        }
        return new RouteDecision(null, false, store, null, null, null, false, To(view, [site], DeliveryKind.Record, facts.Table.Name, facts.Id), false);
    }

    /// <summary>P2/P3/C2: a join is stored and goes to its store's site; a join that newly makes its subject visible brings the
    /// subject's records with it (the join alone fails on the client).</summary>
    private static RouteDecision Visibility(RecordFacts facts, StoredCopy? stored, IRoutingView view)
    {
        if (facts.StoreId is not { } store || view.SiteOfStore(store) is not { } site)
        {
            return RouteDecision.Invalid("it does not name a known store");
        }
        List<Delivery> deliveries = [.. To(view, [site], DeliveryKind.Record, facts.Table.Name, facts.Id)];
        var newlyVisible = facts.SubjectId is { } subject
            && (stored is null || stored.IsDeleted || stored.SubjectId != subject || stored.StoreId != store);
        if (newlyVisible && facts.Table.VisibilityOf is { } subjectClass)
        {
            deliveries.AddRange(To(view, [site], DeliveryKind.Bundle, subjectClass.ToString(), facts.SubjectId!));
        }
        return new RouteDecision(null, false, store, null, null, facts.SubjectId, false, deliveries, false);
    }

    /// <summary>Own-store data; a store's own indicator value also goes to the suppliers of its open program requests (Q3).</summary>
    private static RouteDecision Store(RecordFacts facts, IRoutingView view)
    {
        var own = OwnData(facts, view, out _);
        return own.IsStored && facts.Table.Name == ProgramIndicators.ValueTable && facts.ProgramPeriod is { } period
            ? own with { Deliveries = [.. own.Deliveries, .. To(view, view.SitesAwaitingIndicators(own.StoreId!, period), DeliveryKind.Record, facts.Table.Name, facts.Id)] }
            : own;
    }

    /// <summary>Own-store data (and the ownership half of transfers): accepted only from the site where its store is active
    /// (central authors the data of the stores it holds itself), G8.</summary>
    private static RouteDecision OwnData(RecordFacts facts, IRoutingView view, out StoredCopy? parent)
    {
        parent = null;
        var owner = facts.StoreId;
        if (facts.Table.IsLine)
        {
            parent = facts.ParentId is { } parentId ? view.Parent(facts.Table.ParentTable!, parentId) : null;
            if (parent is null || parent.IsDeleted)
            {
                return RouteDecision.Invalid($"its {facts.Table.ParentTable} '{facts.ParentId}' is not known to central");
            }
            owner = parent.StoreId;
        }
        if (owner is null)
        {
            return RouteDecision.Invalid($"it names no store ({facts.Table.StoreField})");
        }
        if (view.SiteOfStore(owner) is { } newSite && newSite != view.PusherSiteId && view.HasJustLeftPusher(owner))
        {
            // Q4: an edit the old site made before it learned of the move is kept and goes to the store's new site.
            return new RouteDecision(null, false, owner, facts.ParentId, null, null, false,
                To(view, [newSite], DeliveryKind.Record, facts.Table.Name, facts.Id), false);
        }
        if (view.SiteOfStore(owner) != view.PusherSiteId)
        {
            return view.SiteOfStore(owner) is null
                ? RouteDecision.Invalid($"store '{owner}' is not known to central")
                : RouteDecision.Reject($"store '{owner}' is not active on {(view.PusherSiteId == CentralSiteId ? "the central server" : "this site")}");
        }
        return new RouteDecision(null, false, owner, facts.ParentId, null, null, false, [], false);
    }

    /// <summary>T1–T8: a transfer is own data of its store, forwarded to the site of its counterparty at every status; lines go
    /// where their header goes, with the header; a header whose counterparty changed is withdrawn from the old site.</summary>
    private static RouteDecision Transfer(RecordFacts facts, StoredCopy? stored, IRoutingView view)
    {
        var own = OwnData(facts, view, out var parent);
        if (own.Rejection is not null)
        {
            return own;
        }
        if (facts.Table.IsLine)
        {
            var lineTarget = parent!.ToStoreId is { } to ? view.SiteOfStore(to) : null;
            List<Delivery> lineDeliveries = lineTarget is { } site
                ? [.. To(view, [site], DeliveryKind.Record, facts.Table.ParentTable!, parent.Id), .. To(view, [site], DeliveryKind.Record, facts.Table.Name, facts.Id)]
                : [];
            return own with { ToStoreId = parent.ToStoreId, Deliveries = [.. own.Deliveries, .. lineDeliveries] };
        }

        var counterparty = CounterpartyOf(facts, own.StoreId!, view);
        var target = counterparty is null ? null : view.SiteOfStore(counterparty);
        List<Delivery> deliveries = [.. own.Deliveries, .. target is { } targetSite ? To(view, [targetSite], DeliveryKind.Record, facts.Table.Name, facts.Id) : []];
        if (target is { } supplierSite && facts.Table.Name == ProgramIndicators.RequestTable && facts.ProgramPeriod is { } period)
        {
            // Q3: an open program request brings its store's indicator values for the period (the response copies them).
            foreach (var value in view.IndicatorValuesOf(own.StoreId!, period))
            {
                deliveries.AddRange(To(view, [supplierSite], DeliveryKind.Record, ProgramIndicators.ValueTable, value));
            }
        }
        var retarget = false;
        if (stored is { IsDeleted: false } && stored.ToStoreId != counterparty)
        {
            // T7: the header now goes elsewhere. Its lines follow it (the new site may have none of them), and the site it
            // went to before gets deletes, so no store keeps a transfer that is no longer addressed to it.
            retarget = true;
            if (target is { } newSite)
            {
                deliveries.AddRange(To(view, [newSite], DeliveryKind.LinesOf, facts.Table.Name, facts.Id));
            }
            if (stored.ToStoreId is { } oldCounterparty && view.SiteOfStore(oldCounterparty) is { } oldSite && oldSite != target)
            {
                deliveries.AddRange(To(view, [oldSite], DeliveryKind.RecordAsDelete, facts.Table.Name, facts.Id));
                deliveries.AddRange(To(view, [oldSite], DeliveryKind.LinesOfAsDelete, facts.Table.Name, facts.Id));
            }
        }
        // Q2: forwarded whether or not the two stores see each other (the client never checks), but said in the site log.
        var note = target is not null && !SeeEachOther(own.StoreId!, counterparty!, view)
            ? $"forwarded to store '{counterparty}' although the two stores do not see each other's names (no name_store_join both ways)"
            : null;
        return own with { ToStoreId = counterparty, Deliveries = deliveries, RetargetLines = retarget, Note = note };
    }

    private static bool SeeEachOther(string store, string otherStore, IRoutingView view) =>
        view.NameOfStore(store) is { } name && view.NameOfStore(otherStore) is { } otherName
        && view.SeesName(store, otherName) && view.SeesName(otherStore, name);

    /// <summary>routing.md §2.1: the store whose name the header names, unless that is the record's own store.</summary>
    private static string? CounterpartyOf(RecordFacts facts, string owner, IRoutingView view) =>
        facts.CounterpartyNameId is { } nameId && view.StoreOfName(nameId) is { } store && store != owner ? store : null;

    /// <summary>P1/P5/C1: patient data and prescribers go to every site where their subject is visible (prescribers also to
    /// their home store's site), from whichever site pushed them (G8: no ownership check).</summary>
    private static RouteDecision Subject(RecordFacts facts, IRoutingView view)
    {
        if (facts.SubjectId is not { } subject)
        {
            return new RouteDecision(null, false, facts.StoreId, null, null, null, false, [], false); // Q10: stays on central.
        }
        var sites = new HashSet<int>(view.SitesSeeing(facts.Table.Class, subject));
        if (facts.Table.Class == DataClass.Prescriber && facts.StoreId is { } home && view.SiteOfStore(home) is { } homeSite)
        {
            sites.Add(homeSite);
        }
        return new RouteDecision(null, false, facts.StoreId, null, null, subject, false, To(view, sites, DeliveryKind.Record, facts.Table.Name, facts.Id), false);
    }

    /// <summary>M1: a message goes to the site of the store it is addressed to.</summary>
    private static RouteDecision Message(RecordFacts facts, IRoutingView view)
    {
        var site = facts.RecipientStoreId is { } to ? view.SiteOfStore(to) : null;
        return new RouteDecision(null, false, null, null, facts.RecipientStoreId, null, false,
            site is { } s ? To(view, [s], DeliveryKind.Record, facts.Table.Name, facts.Id) : [], false);
    }

    private static RouteDecision RouteDelete(StoredCopy stored, IRoutingView view)
    {
        var table = stored.Table;
        var keep = new RouteDecision(null, false, stored.StoreId, stored.ParentId, stored.ToStoreId, stored.SubjectId, false, [], false);
        switch (table.Class)
        {
            case DataClass.Unknown:
                return keep;
            case DataClass.Central or DataClass.SharedRemote:
                return table.Class == DataClass.Central && view.PusherSiteId != CentralSiteId
                    ? RouteDecision.Reject("central data is edited on central only")
                    : keep with { ToChangeLog = true };
            case DataClass.CentralStore or DataClass.Visibility:
                if (table.Class == DataClass.CentralStore && view.PusherSiteId != CentralSiteId)
                {
                    return RouteDecision.Reject("central-store data is edited on central only");
                }
                // P4: the site loses the join; the subject's records stay where they are.
                return keep with { Deliveries = Sites(view, stored.StoreId, DeliveryKind.Record, stored) };
            case DataClass.Store or DataClass.Transfer:
                var departed = stored.StoreId is { } left && view.SiteOfStore(left) != view.PusherSiteId && view.HasJustLeftPusher(left);
                if (stored.StoreId is not { } owner || (view.SiteOfStore(owner) != view.PusherSiteId && !departed))
                {
                    return RouteDecision.Reject($"store '{stored.StoreId}' is not active on {(view.PusherSiteId == CentralSiteId ? "the central server" : "this site")}");
                }
                // T3: the delete follows the record to its counterparty's site (and, Q4, to the store's new site).
                return keep with
                {
                    Deliveries = [.. Sites(view, stored.ToStoreId, DeliveryKind.Record, stored), .. departed ? Sites(view, owner, DeliveryKind.Record, stored) : [],
                        .. stored.ProgramPeriod is { } period && table.Name == ProgramIndicators.ValueTable
                            ? To(view, view.SitesAwaitingIndicators(owner, period), DeliveryKind.Record, table.Name, stored.Id) : []],
                };
            case DataClass.Patient or DataClass.Prescriber:
                if (stored.SubjectId is not { } subject)
                {
                    return keep;
                }
                var sites = new HashSet<int>(view.SitesSeeing(table.Class, subject));
                if (table.Class == DataClass.Prescriber && stored.StoreId is { } home && view.SiteOfStore(home) is { } homeSite)
                {
                    sites.Add(homeSite);
                }
                return keep with { Deliveries = To(view, sites, DeliveryKind.Record, table.Name, stored.Id) };
            case DataClass.Message:
                return keep with { Deliveries = Sites(view, stored.ToStoreId, DeliveryKind.Record, stored) };
            default:
                return RouteDecision.Reject($"tables of class {table.Class} are not routed");
        }
    }

    private static List<Delivery> Sites(IRoutingView view, string? storeId, DeliveryKind kind, StoredCopy stored) =>
        storeId is not null && view.SiteOfStore(storeId) is { } site ? To(view, [site], kind, stored.Table.Name, stored.Id) : [];

    /// <summary>The deliveries to those sites, leaving out the pusher (G2: never echo) and the central site (no queue).</summary>
    private static List<Delivery> To(IRoutingView view, IEnumerable<int> sites, DeliveryKind kind, string table, string id) =>
        [.. sites.Where(s => s != view.PusherSiteId && s != CentralSiteId).Order().Select(s => new Delivery(s, kind, table, id))];
}

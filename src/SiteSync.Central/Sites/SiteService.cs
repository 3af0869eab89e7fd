using Microsoft.EntityFrameworkCore;
using SiteSync.Central.Admin;
using SiteSync.Central.Auth;
using SiteSync.Central.Logs;
using SiteSync.Central.Records;
using SiteSync.Central.Storage;
using SiteSync.Central.Stores;
using SiteSync.Central.Sync;
using SiteSync.Protocol.Admin;

namespace SiteSync.Central.Sites;

/// <summary>The site registry: every rule of DESIGN §3 (1–19) that concerns central is enforced here, once, for the admin
/// API and the UI alike.</summary>
public sealed class SiteService(
    SiteSyncDbContext db, WritePath writePath, RecordStore records, StoreDelivery delivery, SiteLog log, FleetHealth health, TimeProvider time)
{
    public const int CentralSiteId = RecordStore.CentralSiteId;
    public const int MinPasswordLength = 8;
    public const int MaxNameLength = 200;
    public const int MaxCodeLength = 100;

    /// <summary>Rules 1–2, at fleet scale: every site's health is derived (<see cref="FleetHealth"/>), the filters, counts, order
    /// and page are applied, and only the page is mapped. One read of the sites and one of the stores, whatever the page:
    /// a fleet of a few thousand sites is a few hundred kilobytes of rows, and matching in memory is the same on both engines
    /// (case-insensitive matching in SQL is not).</summary>
    public async Task<SiteList> ListAsync(SiteQuery query, CancellationToken cancellationToken)
    {
        var (rows, total) = await FilterAsync(query, cancellationToken);
        var counts = new HealthCounts(
            rows.Count(r => r.Verdict.Health == SiteHealths.Ok),
            rows.Count(r => r.Verdict.Health == SiteHealths.Stale),
            rows.Count(r => r.Verdict.Health == SiteHealths.Failing),
            rows.Count(r => r.Verdict.Health == SiteHealths.Blocked),
            rows.Count(r => r.Verdict.Health == SiteHealths.NeverSynced));
        var shown = query.Health is null ? rows : [.. rows.Where(r => r.Verdict.Health == query.Health)];
        var ordered = Order(shown, query.Sort, query.Descending).Skip(query.Offset);
        var page = (query.Limit is { } limit ? ordered.Take(limit) : ordered).ToList();
        var funders = await ContractFundersAsync(page.Where(r => r.Site.FunderName is null).Select(r => r.Site.NameKey), cancellationToken);
        List<Site> sites = [.. page.Select(r => r.Site.ToSite(r.Stores, r.Verdict, funders.GetValueOrDefault(r.Site.NameKey)))];
        return new SiteList(shown.Count, total, sites, counts, query.Offset, query.Limit);
    }

    /// <summary>Every site matching the query's filters but the health filter, in the order asked — the CSV export.</summary>
    public async Task<IReadOnlyList<Site>> ExportAsync(SiteQuery query, CancellationToken cancellationToken)
    {
        var (rows, _) = await FilterAsync(query, cancellationToken);
        var shown = (query.Health is null ? rows : rows.Where(r => r.Verdict.Health == query.Health)).ToList();
        var funders = await ContractFundersAsync(shown.Where(r => r.Site.FunderName is null).Select(r => r.Site.NameKey), cancellationToken);
        return [.. Order(shown, query.Sort, query.Descending)
            .Select(r => r.Site.ToSite(r.Stores, r.Verdict, funders.GetValueOrDefault(r.Site.NameKey)))];
    }

    public async Task<Site?> GetAsync(int id, CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().Include(s => s.Stores).FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        return site is null ? null : await ToSiteAsync(site, cancellationToken);
    }

    public async Task<AdminResult<Site>> FindAsync(int id, CancellationToken cancellationToken) =>
        await GetAsync(id, cancellationToken) is { } site ? AdminResult<Site>.Ok(site) : AdminResult<Site>.NotFound($"No site with id {id}.");

    /// <summary>Site names by id, for messages and pickers that name the site a store is on.</summary>
    public async Task<IReadOnlyDictionary<int, string>> NamesAsync(CancellationToken cancellationToken) =>
        await db.Sites.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);

    private sealed record Row(SiteEntity Site, HealthVerdict Verdict, IReadOnlyList<StoreRef> Stores);

    private async Task<(List<Row> Rows, int Total)> FilterAsync(SiteQuery query, CancellationToken cancellationToken)
    {
        var sites = await db.Sites.AsNoTracking().ToListAsync(cancellationToken);
        var stores = (await db.Stores.AsNoTracking().Select(s => new { s.Id, s.Code, s.Name, s.SiteId }).ToListAsync(cancellationToken))
            .OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase)
            .ToLookup(s => s.SiteId, s => new StoreRef(s.Id, s.Code, s.Name));
        var now = health.Now;
        var notSyncedSince = query.NotSyncedForDays is { } days ? now.AddDays(-days) : (DateTimeOffset?)null;
        List<Row> rows = [];
        foreach (var site in sites)
        {
            var row = new Row(site, health.Evaluate(site, now), [.. stores[site.Id]]);
            if (Matches(row, query.Search) && (notSyncedSince is not { } since
                || (!site.IsActiveOnThisDatafile && (site.LastSyncedAt is not { } synced || synced < since))))
            {
                rows.Add(row);
            }
        }
        return (rows, sites.Count);
    }

    /// <summary>The central server first, then by the key; ties by name, then id, so equal keys never shuffle between pages.</summary>
    private static IEnumerable<Row> Order(IEnumerable<Row> rows, string key, bool descending)
    {
        var central = rows.Where(r => r.Site.IsActiveOnThisDatafile);
        var others = rows.Where(r => !r.Site.IsActiveOnThisDatafile);
        var sorted = key switch
        {
            SiteSortKeys.Id => By(others, r => r.Site.Id, Comparer<int>.Default, descending),
            SiteSortKeys.Code => By(others, r => r.Site.Code, StringComparer.OrdinalIgnoreCase, descending),
            SiteSortKeys.Stores => By(others, r => r.Stores.Count, Comparer<int>.Default, descending),
            SiteSortKeys.DeviceType => By(others, r => SiteMapping.DeviceTypeOf(r.Site) ?? "", StringComparer.OrdinalIgnoreCase, descending),
            SiteSortKeys.AppVersion => By(others, r => r.Site.AppVersion ?? "", StringComparer.OrdinalIgnoreCase, descending),
            SiteSortKeys.LastSynced => By(others, r => r.Site.LastSyncedAt ?? DateTimeOffset.MinValue, Comparer<DateTimeOffset>.Default, descending),
            SiteSortKeys.LastConnection => By(others, r => r.Site.LastConnectedAt ?? DateTimeOffset.MinValue, Comparer<DateTimeOffset>.Default, descending),
            SiteSortKeys.Health => By(others, r => FleetHealth.Severity(r.Verdict.Health), Comparer<int>.Default, descending),
            SiteSortKeys.LastError => By(others, r => r.Site.LastErrorAt ?? DateTimeOffset.MinValue, Comparer<DateTimeOffset>.Default, descending),
            _ => By(others, r => r.Site.Name, StringComparer.OrdinalIgnoreCase, descending),
        };
        return central.Concat(sorted.ThenBy(r => r.Site.Name, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Site.Id));
    }

    private static IOrderedEnumerable<Row> By<T>(IEnumerable<Row> rows, Func<Row, T> key, IComparer<T> comparer, bool descending) =>
        descending ? rows.OrderByDescending(key, comparer) : rows.OrderBy(key, comparer);

    /// <summary>Rule 18: the funder of each named site's support contract, by site name.</summary>
    private async Task<Dictionary<string, string>> ContractFundersAsync(IEnumerable<string> nameKeys, CancellationToken cancellationToken)
    {
        var keys = nameKeys.ToList();
        return keys.Count == 0
            ? []
            : await db.SupportContracts.AsNoTracking().Where(c => keys.Contains(c.SiteKey))
                .ToDictionaryAsync(c => c.SiteKey, c => c.FunderName, cancellationToken);
    }

    private async Task<Site> ToSiteAsync(SiteEntity site, CancellationToken cancellationToken)
    {
        var funder = site.FunderName is null ? await ContractFunderAsync(site.NameKey, cancellationToken) : null;
        return site.ToSite(SiteMapping.StoresOf(site), health.Evaluate(site), funder);
    }

    private Task<string?> ContractFunderAsync(string nameKey, CancellationToken cancellationToken) =>
        db.SupportContracts.AsNoTracking().Where(c => c.SiteKey == nameKey).Select(c => c.FunderName).FirstOrDefaultAsync(cancellationToken);

    public Task<AdminResult<Site>> CreateAsync(SiteEdit edit, string user, CancellationToken cancellationToken) =>
        CreateAsync(edit, user, dryRun: false, cancellationToken);

    /// <summary>With <paramref name="dryRun"/> nothing is saved and the answer carries the warnings the new site would raise
    /// (rule 14: a store taken from a site that has synced); the UI shows them before OK, as for an edit.</summary>
    public async Task<AdminResult<Site>> CreateAsync(SiteEdit edit, string user, bool dryRun, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(edit.Password))
        {
            return AdminResult<Site>.Invalid("password", "A password is required for a new site.");
        }
        var site = new SiteEntity { CreatedAt = time.GetUtcNow() };
        return await SaveAsync(site, edit, user, isNew: true, dryRun, cancellationToken);
    }

    /// <summary>Rule 15: fields and store list saved together or not at all. With <paramref name="dryRun"/> nothing is saved
    /// and the answer carries the warnings the edit would raise (the UI shows them before OK).</summary>
    public async Task<AdminResult<Site>> UpdateAsync(int id, SiteEdit edit, string user, bool dryRun, CancellationToken cancellationToken)
    {
        var site = await db.Sites.Include(s => s.Stores).FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (site is null)
        {
            return AdminResult<Site>.NotFound($"No site with id {id}.");
        }
        return await SaveAsync(site, edit, user, isNew: false, dryRun, cancellationToken);
    }

    /// <summary>Rule 16, asked before deleting: the site as it is when it may be deleted, else why not. The UI's confirmation
    /// shows one or the other; nothing changes.</summary>
    public async Task<AdminResult<Site>> CheckDeleteAsync(int id, CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().Include(s => s.Stores).FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (site is null)
        {
            return AdminResult<Site>.NotFound($"No site with id {id}.");
        }
        return DeleteRefusal(site) is { } refusal ? AdminResult<Site>.Fail(refusal) : AdminResult<Site>.Ok(await ToSiteAsync(site, cancellationToken));
    }

    /// <summary>Rule 16: only a site with no stores that is not active on this datafile. Answers the deleted site's name.</summary>
    public async Task<AdminResult<string>> DeleteAsync(int id, string user, CancellationToken cancellationToken)
    {
        var site = await db.Sites.Include(s => s.Stores).FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (site is null)
        {
            return AdminResult<string>.NotFound($"No site with id {id}.");
        }
        if (DeleteRefusal(site) is { } refusal)
        {
            return AdminResult<string>.Fail(refusal);
        }
        await using var transaction = await writePath.BeginForSiteAsync(id, cancellationToken);
        await db.Queue.Where(q => q.SiteId == id).ExecuteDeleteAsync(cancellationToken);
        await db.Snapshots.Where(s => s.SiteId == id).ExecuteDeleteAsync(cancellationToken);
        await db.PushBuffer.Where(b => b.SiteId == id).ExecuteDeleteAsync(cancellationToken);
        await db.StoreDepartures.Where(d => d.SiteId == id).ExecuteDeleteAsync(cancellationToken);
        db.Sites.Remove(site);
        // The log of a deleted site is kept: support may need it after the fact.
        log.Add(id, SiteLogLevels.Info, SiteLogEvents.SiteDeleted, $"Site '{site.Name}' was deleted.", user);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return AdminResult<string>.Ok(site.Name);
    }

    private static AdminFailure? DeleteRefusal(SiteEntity site)
    {
        if (site.IsActiveOnThisDatafile)
        {
            return AdminProblems.Conflict(AdminErrorCodes.SiteIsActiveOnThisDatafile,
                $"'{site.Name}' is the site active on this datafile (the central server) and cannot be deleted.");
        }
        if (site.Stores.Count > 0)
        {
            return AdminProblems.Conflict(AdminErrorCodes.SiteHasStores,
                $"'{site.Name}' still has {site.Stores.Count} store(s) ({string.Join(", ", site.Stores.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Select(s => s.Name))}). " +
                "Remove them first: removed stores move to the central server.");
        }
        return null;
    }

    /// <summary>Rule 8: clears the bound device; the next device to authenticate claims the site.</summary>
    public Task<AdminResult<Site>> ResetHardwareIdAsync(int id, string user, CancellationToken cancellationToken) =>
        ChangeAsync(id, user, site =>
        {
            var previous = site.HardwareId;
            site.HardwareId = null;
            site.CredentialVersion++;
            return (SiteLogEvents.HardwareIdReset, previous is null
                ? "Hardware id reset (none was set)."
                : $"Hardware id {previous} cleared; the next device to sync claims the site.");
        }, cancellationToken);

    /// <summary>Rule 17: lets a blocked site try again, with a fresh count of failed attempts.</summary>
    public Task<AdminResult<Site>> UnblockAsync(int id, string user, CancellationToken cancellationToken) =>
        ChangeAsync(id, user, site =>
        {
            var wasBlocked = site.IsBlocked;
            site.IsBlocked = false;
            site.FailedLoginCount = 0;
            site.CredentialVersion++;
            return (SiteLogEvents.Unblocked, wasBlocked ? "Site unblocked." : "Unblock pressed on a site that was not blocked.");
        }, cancellationToken);

    private async Task<AdminResult<Site>> ChangeAsync(
        int id, string user, Func<SiteEntity, (string Event, string Message)> change, CancellationToken cancellationToken)
    {
        var site = await db.Sites.Include(s => s.Stores).FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (site is null)
        {
            return AdminResult<Site>.NotFound($"No site with id {id}.");
        }
        if (site.IsActiveOnThisDatafile)
        {
            return AdminResult<Site>.Conflict(AdminErrorCodes.NotAllowedOnCentralSite, "The central server's own site does not authenticate.");
        }
        var (logEvent, message) = change(site);
        log.Add(site.Id, SiteLogLevels.Info, logEvent, message, user);
        await db.SaveChangesAsync(cancellationToken);
        return AdminResult<Site>.Ok(await ToSiteAsync(site, cancellationToken));
    }

    private async Task<AdminResult<Site>> SaveAsync(
        SiteEntity site, SiteEdit edit, string user, bool isNew, bool dryRun, CancellationToken cancellationToken)
    {
        var validation = await ValidateAsync(site, edit, isNew, cancellationToken);
        if (validation.Failure is not null)
        {
            return AdminResult<Site>.Fail(validation.Failure);
        }
        var plan = validation.Value!;
        if (dryRun)
        {
            return AdminResult<Site>.Ok(await ToSiteAsync(site, cancellationToken) with { Warnings = plan.Warnings });
        }

        // A store move changes routing: it waits for every push in flight and holds off new ones until it commits, and it
        // locks the sites the stores leave (their buffers may hold the stores' records).
        var movedFrom = plan.Moves.Count == 0 ? [] : await db.Stores.AsNoTracking()
            .Where(s => plan.Moves.Select(m => m.StoreId).Contains(s.Id)).Select(s => s.SiteId).ToListAsync(cancellationToken);
        await using var transaction = await writePath.BeginAsync(isNew ? movedFrom : [site.Id, .. movedFrom],
            plan.Moves.Count > 0 ? RoutingAccess.Change : RoutingAccess.Read, cancellationToken);
        var name = edit.Name!.Trim();
        var renamed = !isNew && !string.Equals(site.Name, name, StringComparison.Ordinal);
        var previousName = site.Name;
        site.Name = name;
        site.NameKey = name.ToLowerInvariant();
        site.Code = edit.Code?.Trim() ?? (isNew ? "" : site.Code);
        site.Type = edit.Type ?? (isNew ? Protocol.Admin.SiteTypes.Standalone : site.Type);
        if (edit.FunderName is not null)
        {
            // A funder equal to the contract's is not pinned on the site: it keeps following the support database.
            var funder = NullIfBlank(edit.FunderName);
            var contractFunder = await ContractFunderAsync(name.ToLowerInvariant(), cancellationToken);
            site.FunderName = string.Equals(funder, contractFunder, StringComparison.OrdinalIgnoreCase) ? null : funder;
        }
        if (edit.IsOmSupplyCentralServer is { } isOmCentral)
        {
            site.IsOmSupplyCentralServer = isOmCentral;
        }
        if (edit.OmSupplyCentralServerUrl is not null || edit.IsOmSupplyCentralServer is not null)
        {
            site.OmSupplyCentralServerUrl = NullIfBlank(edit.OmSupplyCentralServerUrl) ?? (site.IsOmSupplyCentralServer ? site.OmSupplyCentralServerUrl : null);
        }
        if (!string.IsNullOrEmpty(edit.Password))
        {
            site.PasswordHash = PasswordHashing.HashSitePassword(edit.Password);
            site.CredentialVersion++;
        }
        if (isNew)
        {
            db.Sites.Add(site);
        }
        // The site needs its id before stores can point at it.
        await db.SaveChangesAsync(cancellationToken);

        if (isNew)
        {
            log.Add(site.Id, SiteLogLevels.Info, SiteLogEvents.SiteCreated, $"Site '{site.Name}' created (id {site.Id}).", user);
        }
        else
        {
            log.Add(site.Id, SiteLogLevels.Info, SiteLogEvents.SiteEdited, $"Site '{site.Name}' edited.", user);
            if (renamed)
            {
                log.Add(site.Id, SiteLogLevels.Warning, SiteLogEvents.SiteRenamed, $"Renamed from '{previousName}' to '{site.Name}'.", user);
            }
            if (!string.IsNullOrEmpty(edit.Password))
            {
                log.Add(site.Id, SiteLogLevels.Warning, SiteLogEvents.PasswordChanged, "Password changed.", user);
            }
        }

        await MoveStoresAsync(site, plan, user, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var saved = await db.Sites.AsNoTracking().Include(s => s.Stores).FirstAsync(s => s.Id == site.Id, cancellationToken);
        return AdminResult<Site>.Ok(await ToSiteAsync(saved, cancellationToken) with { Warnings = plan.Warnings.Count > 0 ? plan.Warnings : null });
    }

    /// <summary>Rule 14: each moved store leaves its old site, goes to its new one with all its data queued there, and its
    /// updated <c>store</c> record goes out in the change log.</summary>
    private async Task MoveStoresAsync(SiteEntity site, EditPlan plan, string user, CancellationToken cancellationToken)
    {
        if (plan.Moves.Count == 0)
        {
            return;
        }
        var storeIds = plan.Moves.Select(m => m.StoreId).ToList();
        var stores = await db.Stores.Where(s => storeIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        var existing = await db.Records.AsNoTracking()
            .Where(r => r.TableName == StoreRecords.StoreTable && storeIds.Contains(r.RecordId))
            .ToDictionaryAsync(r => r.RecordId, r => r.Data, cancellationToken);
        var siteNames = await db.Sites.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        siteNames[site.Id] = site.Name;

        List<RecordWrite> storeRecords = [];
        foreach (var move in plan.Moves)
        {
            var store = stores[move.StoreId];
            var from = store.SiteId;
            var to = move.ToSiteId(site);
            store.SiteId = to;
            storeRecords.Add(StoreRecords.StoreRecord(store, existing.GetValueOrDefault(store.Id)));
            await delivery.StopDeliveringAsync(from, store.Id, cancellationToken);
            await RecordDepartureAsync(from, to, store.Id, cancellationToken);
            var message = $"Store '{store.Name}' ({store.Code}) moved from site {from} '{siteNames.GetValueOrDefault(from)}' " +
                $"to site {to} '{siteNames.GetValueOrDefault(to)}'.";
            log.Add(from, SiteLogLevels.Info, SiteLogEvents.StoreMoved, message, user);
            log.Add(to, SiteLogLevels.Info, SiteLogEvents.StoreMoved, message, user);
        }
        await db.SaveChangesAsync(cancellationToken);
        await records.WriteAsync(storeRecords, null, cancellationToken);
        foreach (var move in plan.Moves.Where(m => m.ToSiteId(site) != CentralSiteId))
        {
            await delivery.DeliverStoreAsync(move.ToSiteId(site), move.StoreId, cancellationToken);
        }
    }

    /// <summary>routing.md §6 Q4: the site the store left may still push edits it made before it knew; remember the move
    /// until that site has synced (<c>SyncService.CompleteCycleAsync</c>). A store coming back ends its own departure.</summary>
    private async Task RecordDepartureAsync(int from, int to, string storeId, CancellationToken cancellationToken)
    {
        await db.StoreDepartures.Where(d => d.StoreId == storeId && (d.SiteId == to || d.SiteId == from)).ExecuteDeleteAsync(cancellationToken);
        if (from != CentralSiteId)
        {
            db.StoreDepartures.Add(new StoreDepartureEntity { SiteId = from, StoreId = storeId, DepartedAt = time.GetUtcNow() });
        }
    }

    /// <summary>A store joining the edited site (whose id a new site only gets on save) or going back to central.</summary>
    private sealed record StoreMove(string StoreId, bool ToEditedSite)
    {
        public int ToSiteId(SiteEntity edited) => ToEditedSite ? edited.Id : CentralSiteId;
    }

    private sealed record EditPlan(IReadOnlyList<StoreMove> Moves, List<SiteWarning> Warnings);

    private async Task<AdminResult<EditPlan>> ValidateAsync(SiteEntity site, SiteEdit edit, bool isNew, CancellationToken cancellationToken)
    {
        var name = edit.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            return AdminResult<EditPlan>.Invalid("name", $"A site name of 1 to {MaxNameLength} characters is required.");
        }
        if (name.Contains(':', StringComparison.Ordinal) || !StorableText.IsPrintable(name))
        {
            return AdminResult<EditPlan>.Invalid("name", "A site name cannot contain ':' or control characters (it is sent in HTTP Basic credentials).");
        }
        if (edit.Code is { Length: > MaxCodeLength } || (edit.Code is { } code && !StorableText.IsPrintable(code)))
        {
            return AdminResult<EditPlan>.Invalid("code", $"A site code has at most {MaxCodeLength} printable characters.");
        }
        if (edit.Type is not (null or Protocol.Admin.SiteTypes.Standalone or Protocol.Admin.SiteTypes.Mobile))
        {
            return AdminResult<EditPlan>.Invalid("type", "Type must be 'standalone' or 'mobile'.");
        }
        if (edit.Password is { Length: > 0 and < MinPasswordLength } || edit.Password is { Length: > 200 })
        {
            return AdminResult<EditPlan>.Invalid("password", $"A site password has {MinPasswordLength} to 200 characters.");
        }
        if (site.IsActiveOnThisDatafile && !string.IsNullOrEmpty(edit.Password))
        {
            return AdminResult<EditPlan>.Conflict(AdminErrorCodes.NotAllowedOnCentralSite,
                "The central server's own site has no password: it does not sync with itself.", "password");
        }
        if (edit.FunderName is { Length: > 200 })
        {
            return AdminResult<EditPlan>.Invalid("funderName", "A funder name has at most 200 characters.");
        }

        var nameKey = name.ToLowerInvariant();
        var clash = await db.Sites.AsNoTracking().Where(s => s.NameKey == nameKey && s.Id != site.Id).Select(s => new { s.Id, s.Name })
            .FirstOrDefaultAsync(cancellationToken);
        if (clash is not null)
        {
            return AdminResult<EditPlan>.Conflict(AdminErrorCodes.DuplicateSiteName,
                $"Site {clash.Id} is already named '{clash.Name}' (site names are unique, whatever their case).", "name");
        }

        // Rules 12–13: at most one Open mSupply central server, never the site active on this datafile.
        var isOmCentral = edit.IsOmSupplyCentralServer ?? site.IsOmSupplyCentralServer;
        if (isOmCentral)
        {
            if (site.IsActiveOnThisDatafile)
            {
                return AdminResult<EditPlan>.Conflict(AdminErrorCodes.OmSupplyCentralServerNotAllowed,
                    "The site active on this datafile cannot be the Open mSupply central server.", "isOmSupplyCentralServer");
            }
            var holder = await db.Sites.AsNoTracking().Where(s => s.IsOmSupplyCentralServer && s.Id != site.Id)
                .Select(s => new { s.Id, s.Name }).FirstOrDefaultAsync(cancellationToken);
            if (holder is not null)
            {
                return AdminResult<EditPlan>.Conflict(AdminErrorCodes.OmSupplyCentralServerTaken,
                    $"Site {holder.Id} '{holder.Name}' is already the Open mSupply central server; clear it there first.", "isOmSupplyCentralServer");
            }
            var url = edit.OmSupplyCentralServerUrl ?? site.OmSupplyCentralServerUrl;
            if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            {
                return AdminResult<EditPlan>.Invalid("omSupplyCentralServerUrl",
                    "The Open mSupply central server needs an absolute http(s) URL: remotes are sent it on every sync.");
            }
        }
        else if (!string.IsNullOrWhiteSpace(edit.OmSupplyCentralServerUrl)
            && !Uri.TryCreate(edit.OmSupplyCentralServerUrl, UriKind.Absolute, out _))
        {
            return AdminResult<EditPlan>.Invalid("omSupplyCentralServerUrl", "The Open mSupply central server URL must be an absolute URL.");
        }

        var stores = await PlanStoresAsync(site, edit, isNew, cancellationToken);
        if (stores.Failure is not null)
        {
            return stores;
        }

        List<SiteWarning> warnings = [.. stores.Value!.Warnings];
        if (!isNew && site.HasSynced)
        {
            if (!string.Equals(site.Name, name, StringComparison.Ordinal))
            {
                warnings.Insert(0, new SiteWarning(SiteWarningCodes.Renamed,
                    $"'{site.Name}' has synced: renamed to '{name}', its remote stops syncing until it uses the new name."));
            }
            if (!string.IsNullOrEmpty(edit.Password))
            {
                warnings.Insert(0, new SiteWarning(SiteWarningCodes.PasswordChanged,
                    $"'{site.Name}' has synced: with a new password its remote stops syncing until it uses the new password."));
            }
        }
        return AdminResult<EditPlan>.Ok(stores.Value with { Warnings = warnings });
    }

    private async Task<AdminResult<EditPlan>> PlanStoresAsync(SiteEntity site, SiteEdit edit, bool isNew, CancellationToken cancellationToken)
    {
        var type = edit.Type ?? (isNew ? Protocol.Admin.SiteTypes.Standalone : site.Type);
        var current = site.Stores.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        if (edit.StoreIds is null)
        {
            return type == Protocol.Admin.SiteTypes.Mobile && current.Count > 1
                ? AdminResult<EditPlan>.Conflict(AdminErrorCodes.MobileSiteStoreLimit,
                    $"A mobile site can have only one store; '{site.Name}' has {current.Count}.", "type")
                : AdminResult<EditPlan>.Ok(new EditPlan([], []));
        }
        if (edit.StoreIds.Any(string.IsNullOrWhiteSpace))
        {
            return AdminResult<EditPlan>.Invalid("storeIds", "Store ids cannot be empty.");
        }
        var wanted = edit.StoreIds.Distinct(StringComparer.Ordinal).ToList();
        if (type == Protocol.Admin.SiteTypes.Mobile && wanted.Count > 1)
        {
            return AdminResult<EditPlan>.Conflict(AdminErrorCodes.MobileSiteStoreLimit,
                $"A mobile site can have only one store ({wanted.Count} were given).", "storeIds");
        }
        var known = await db.Stores.AsNoTracking().Include(s => s.Site).Where(s => wanted.Contains(s.Id)).ToListAsync(cancellationToken);
        var unknown = wanted.Except(known.Select(s => s.Id), StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            return AdminResult<EditPlan>.Conflict(AdminErrorCodes.UnknownStore,
                $"No store with id {string.Join(", ", unknown.Select(u => $"'{u}'"))}.", "storeIds");
        }

        var removed = current.Except(wanted, StringComparer.Ordinal).ToList();
        if (site.IsActiveOnThisDatafile && removed.Count > 0)
        {
            return AdminResult<EditPlan>.Conflict(AdminErrorCodes.NotAllowedOnCentralSite,
                "Stores leave the central server by being added to another site, not by being removed from the central server.");
        }

        List<StoreMove> moves = [];
        List<SiteWarning> warnings = [];
        foreach (var store in known.Where(s => !current.Contains(s.Id)))
        {
            moves.Add(new StoreMove(store.Id, ToEditedSite: true));
            if (store.Site is { IsActiveOnThisDatafile: false, HasSynced: true })
            {
                warnings.Add(new SiteWarning(SiteWarningCodes.StoreMovedAway,
                    $"Store '{store.Name}' is active on site '{store.Site.Name}', which has synced: make sure that site stops using " +
                    "the store and syncs before the store is used here."));
            }
        }
        foreach (var storeId in removed)
        {
            moves.Add(new StoreMove(storeId, ToEditedSite: false));
            if (site.HasSynced)
            {
                var store = site.Stores.First(s => s.Id == storeId);
                warnings.Add(new SiteWarning(SiteWarningCodes.StoreMovedAway,
                    $"Store '{store.Name}' moves back to the central server: '{site.Name}' has synced and must stop using it and sync first."));
            }
        }
        return AdminResult<EditPlan>.Ok(new EditPlan(moves, warnings));
    }

    /// <summary>The search box: name, code, id, device type, app version, store names and codes (substrings, any case), or a
    /// health or status by its name ("stale", "never synced", "blocked", "active").</summary>
    private static bool Matches(Row row, string? search)
    {
        if (string.IsNullOrWhiteSpace(search))
        {
            return true;
        }
        var term = search.Trim();
        var site = row.Site;
        return site.Name.Contains(term, StringComparison.OrdinalIgnoreCase)
            || site.Code.Contains(term, StringComparison.OrdinalIgnoreCase)
            || site.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == term
            || (SiteMapping.DeviceTypeOf(site)?.Contains(term, StringComparison.OrdinalIgnoreCase) ?? false)
            || (SiteMapping.AppVersionOf(site)?.Contains(term, StringComparison.OrdinalIgnoreCase) ?? false)
            || row.Stores.Any(s => s.Name.Contains(term, StringComparison.OrdinalIgnoreCase) || s.Code.Contains(term, StringComparison.OrdinalIgnoreCase))
            || string.Equals(term, row.Verdict.Health, StringComparison.OrdinalIgnoreCase)
            || string.Equals(term, FleetHealth.Label(row.Verdict.Health), StringComparison.OrdinalIgnoreCase)
            || string.Equals(term, site.IsBlocked ? SiteStatuses.Blocked : SiteStatuses.Active, StringComparison.OrdinalIgnoreCase);
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

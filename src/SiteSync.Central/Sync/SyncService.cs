using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SiteSync.Central.Diagnostics;
using SiteSync.Central.Hosting;
using SiteSync.Central.Logs;
using SiteSync.Central.Records;
using SiteSync.Central.Sites;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Sync;

/// <summary>Site info, site status, initialisation and the end-of-cycle bookkeeping of the sync API.</summary>
public sealed class SyncService(
    SiteSyncDbContext db, WritePath writePath, StoreDelivery delivery, SiteOutbox outbox, SiteLog siteLog, IOptions<SiteSyncOptions> options,
    IdleCycles idleCycles, TimeProvider time, ILogger<SyncService> logger)
{
    /// <summary>Reference §2.1; rule 13: the Open mSupply central server's URL, or central's own public URL when no site has
    /// the flag (central then serves the v6 endpoints itself).</summary>
    /// <param name="site">The site row as authentication read it for this request (none of its fields here changes during a
    /// cycle but by an admin edit, which a request that began before it may miss either way).</param>
    /// <param name="requestBase">The request's own base URL, the last resort.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<SiteInfo> SiteInfoAsync(SiteEntity site, Uri requestBase, CancellationToken cancellationToken)
    {
        var omCentralUrl = await db.Sites.AsNoTracking().Where(s => s.IsOmSupplyCentralServer).Select(s => s.OmSupplyCentralServerUrl)
            .FirstOrDefaultAsync(cancellationToken);
        var url = omCentralUrl ?? options.Value.PublicUrl ?? requestBase.ToString();
        return new SiteInfo(site.Uid, site.Id, site.InitialisationStatus, url, site.IsOmSupplyCentralServer, RecordStore.CentralSiteId);
    }

    /// <summary>The site's status from its row as authentication read it at the start of this request: a client polling for its
    /// integration to finish asks again, so a row a few microseconds old says the same as a second query would.</summary>
    public static SiteStatus Status(SiteEntity site) => site switch
    {
        { IntegrationStatus: SiteStatusCodes.IntegrationInProgress } =>
            new SiteStatus(SiteStatusCodes.IntegrationInProgress, "Integrating the site's push"),
        { InitialisationStatus: InitialisationStatuses.Started } =>
            new SiteStatus(SiteStatusCodes.InitialisationInProgress, "Preparing the site's initial data"),
        _ => new SiteStatus(SiteStatusCodes.Idle, "idle"),
    };

    /// <summary>(Re)fills the site's queue with everything it needs: every record of its active stores (store and
    /// central-store data), as one snapshot per store. Costs the same for any store size; safe to repeat.</summary>
    /// <returns>The queue length, or null when the site has no store.</returns>
    public async Task<long?> InitialiseAsync(int siteId, CancellationToken cancellationToken)
    {
        var storeIds = await db.Stores.AsNoTracking().Where(s => s.SiteId == siteId).Select(s => s.Id).ToListAsync(cancellationToken);
        if (storeIds.Count == 0)
        {
            await siteLog.WriteAsync(siteId, SiteLogLevels.Error, SiteLogEvents.Initialised,
                "Initialisation refused: the site has no store. Add a store to the site on central.", cancellationToken);
            return null;
        }

        await using (var transaction = await writePath.BeginAsync([siteId], RoutingAccess.Read, cancellationToken))
        {
            // A device that initialises pulls the change log from its start: cursor 0 is then not a step back in time.
            await db.Sites.Where(s => s.Id == siteId).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.InitialisationStatus, InitialisationStatuses.Started)
                .SetProperty(x => x.CentralCursorReached, 0L), cancellationToken);
            // A fresh device has nothing: what was queued for the old one is superseded by the full delivery.
            await db.Queue.Where(q => q.SiteId == siteId).ExecuteDeleteAsync(cancellationToken);
            await db.Snapshots.Where(s => s.SiteId == siteId).ExecuteDeleteAsync(cancellationToken);
            foreach (var storeId in storeIds)
            {
                await delivery.DeliverStoreAsync(siteId, storeId, cancellationToken);
            }
            await db.Sites.Where(s => s.Id == siteId).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.InitialisationStatus, InitialisationStatuses.Completed), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var queueLength = await outbox.LengthAsync(siteId, cancellationToken);
        await siteLog.WriteAsync(siteId, SiteLogLevels.Info, SiteLogEvents.Initialised,
            $"Initialisation started and completed: {storeIds.Count} store(s), {queueLength} record(s) queued.", cancellationToken);
        Log.Initialised(logger, siteId, storeIds.Count, queueLength);
        return queueLength;
    }

    /// <summary>Notes the change-log cursor the site pulls from, and notices a site whose database went back in time.</summary>
    /// <remarks>A site asks for the change log from the last position it stored, so its cursors only grow until it initialises
    /// again. A cursor below one it reached before means its database was restored from an older copy (Open mSupply's "backup
    /// issue", reliability plan F25): it has lost what it stored since, its own later edits included, which only central still
    /// has. The change log it re-pulls by itself from the lower cursor; its stores' data, the transfers addressed to them and
    /// the patients they see are delivered again, as on initialisation, but without emptying its queue.</remarks>
    /// <param name="siteId">The pulling site.</param>
    /// <param name="cursor">The cursor it pulls from (capped at the log's end).</param>
    /// <param name="reachedAtAuthentication">The value in the site row authentication already read for this request, if any: an
    /// idle pull then costs no query here at all.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task NoteCentralCursorAsync(int siteId, long cursor, long? reachedAtAuthentication, CancellationToken cancellationToken)
    {
        // No write and no lock on the common path (an idle pull asks from the cursor it reached). A value read at the start of
        // the request is enough: advancing is a conditional update, and going back is decided again under the site's lock.
        var reached = reachedAtAuthentication
            ?? await db.Sites.AsNoTracking().Where(s => s.Id == siteId).Select(s => s.CentralCursorReached).FirstAsync(cancellationToken);
        if (cursor > reached)
        {
            await db.Sites.Where(s => s.Id == siteId && s.CentralCursorReached < cursor)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.CentralCursorReached, cursor), cancellationToken);
        }
        else if (cursor < reached)
        {
            await RedeliverAfterRestoreAsync(siteId, cursor, cancellationToken);
        }
    }

    private async Task RedeliverAfterRestoreAsync(int siteId, long cursor, CancellationToken cancellationToken)
    {
        await using var transaction = await writePath.BeginAsync([siteId], RoutingAccess.Read, cancellationToken);
        // Decided again under the site's lock: of two concurrent pulls, one redelivers.
        var reached = await db.Sites.Where(s => s.Id == siteId).Select(s => s.CentralCursorReached).FirstAsync(cancellationToken);
        if (cursor >= reached)
        {
            return;
        }
        await db.Sites.Where(s => s.Id == siteId).ExecuteUpdateAsync(s => s.SetProperty(x => x.CentralCursorReached, cursor), cancellationToken);
        var storeIds = await db.Stores.AsNoTracking().Where(s => s.SiteId == siteId).Select(s => s.Id).ToListAsync(cancellationToken);
        foreach (var storeId in storeIds)
        {
            await delivery.DeliverStoreAsync(siteId, storeId, cancellationToken);
        }
        siteLog.Add(siteId, SiteLogLevels.Warning, SiteLogEvents.RestoreDetected, string.Create(CultureInfo.InvariantCulture,
            $"The site pulled central data from position {cursor} after having reached {reached}: its database was probably restored from an older copy. Central sends it again the data of its {storeIds.Count} store(s) and everything addressed to them."));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Log.RestoreDetected(logger, siteId, cursor, reached);
    }

    /// <summary>A cycle begins with the client's <c>GET /site</c> (reference §3.3 step 1): its counts start from zero. A quiet
    /// cycle (<see cref="IdleCycles.IsQuiet"/>: the last one finished moments ago and left nothing counted) writes nothing.</summary>
    public Task StartCycleAsync(SiteEntity site, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (idleCycles.IsQuiet(site, now))
        {
            idleCycles.Started(site.Id, now);
            return Task.CompletedTask;
        }
        return db.Sites.Where(s => s.Id == site.Id).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.CycleStartedAt, now)
            .SetProperty(x => x.CyclePushed, 0)
            .SetProperty(x => x.CyclePulledCentral, 0)
            .SetProperty(x => x.CyclePulledQueue, 0), cancellationToken);
    }

    /// <summary>Adds to the current cycle's counts (one UPDATE, only for requests that moved records).</summary>
    public Task CountAsync(int siteId, int pushed, int pulledCentral, int pulledQueue, CancellationToken cancellationToken) =>
        pushed + pulledCentral + pulledQueue == 0
            ? Task.CompletedTask
            : db.Sites.Where(s => s.Id == siteId).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.CyclePushed, x => x.CyclePushed + pushed)
                .SetProperty(x => x.CyclePulledCentral, x => x.CyclePulledCentral + pulledCentral)
                .SetProperty(x => x.CyclePulledQueue, x => x.CyclePulledQueue + pulledQueue), cancellationToken);

    /// <summary>Rules 11 and 19: the cycle is complete when the site pulls an empty queue page (the client's last step); it
    /// sets "last synced", ends the cycle (its counts back to zero) and logs the session with its counts and duration, once
    /// (idle cycles of the same hour share one line: <see cref="SiteLog.WriteCycleAsync"/>). A quiet idle cycle
    /// (<see cref="IdleCycles"/>) writes nothing: the next cycle that writes logs it with its own.</summary>
    /// <param name="site">The site row as authentication read it for this request: the cycle's start and counts, which only
    /// the site's own earlier requests of this cycle change.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task CompleteCycleAsync(SiteEntity site, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (idleCycles.IsQuiet(site, now))
        {
            idleCycles.Ended(site.Id, now);
            return;
        }
        var siteId = site.Id;
        // A cycle whose start was not written (it began quiet, then moved records or outlived the interval) began after the
        // previous one ended: its start as this node saw it, else that end, which is early enough for the departure rule below.
        var started = site.CycleStartedAt ?? idleCycles.TakeStart(siteId);
        var since = started ?? site.LastSyncedAt;
        var pending = idleCycles.TakePending(siteId);
        var moved = site.CyclePushed + site.CyclePulledCentral + site.CyclePulledQueue > 0;
        await db.Sites.Where(s => s.Id == siteId).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.LastSyncedAt, now)
            .SetProperty(x => x.CycleStartedAt, (DateTimeOffset?)null)
            .SetProperty(x => x.CyclePushed, 0)
            .SetProperty(x => x.CyclePulledCentral, 0)
            .SetProperty(x => x.CyclePulledQueue, 0), cancellationToken);
        // An empty page with no cycle begun (a second empty page in a row) is not a session of its own.
        if (since is { } begun && (started is not null || moved || pending is not null))
        {
            if (await db.StoreDepartures.AnyAsync(d => d.SiteId == siteId && d.DepartedAt < begun, cancellationToken))
            {
                // Q4: a cycle that began after a store left has pulled the store's new record; the site's edits to it end here.
                await db.StoreDepartures.Where(d => d.SiteId == siteId && d.DepartedAt < begun).ExecuteDeleteAsync(cancellationToken);
            }
            await siteLog.WriteCycleAsync(siteId, started, begun, now, site.CyclePushed, site.CyclePulledCentral, site.CyclePulledQueue,
                pending, cancellationToken);
        }
    }
}

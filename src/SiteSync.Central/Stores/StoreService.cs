using Microsoft.EntityFrameworkCore;
using SiteSync.Central.Admin;
using SiteSync.Central.Records;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Admin;

namespace SiteSync.Central.Stores;

/// <summary>The store registry: stores are created on the central site and moved by site edits (rule 14).</summary>
public sealed class StoreService(SiteSyncDbContext db, WritePath writePath, RecordStore records)
{
    public async Task<IReadOnlyList<StoreInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var stores = await db.Stores.AsNoTracking().ToListAsync(cancellationToken);
        return [.. stores.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Select(ToInfo)];
    }

    /// <summary>Creates a store on the central site; its <c>name</c> and <c>store</c> records go out in the change log.</summary>
    public async Task<AdminResult<StoreInfo>> CreateAsync(CreateStoreRequest request, CancellationToken cancellationToken)
    {
        var name = request.Name?.Trim();
        var code = request.Code?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            return AdminResult<StoreInfo>.Invalid("name", "A store name of 1 to 200 characters is required.");
        }
        if (string.IsNullOrEmpty(code) || code.Length > 100)
        {
            return AdminResult<StoreInfo>.Invalid("code", "A store code of 1 to 100 characters is required.");
        }
        var store = new StoreEntity
        {
            Id = Guid.NewGuid().ToString("N").ToUpperInvariant(),
            NameId = Guid.NewGuid().ToString("N").ToUpperInvariant(),
            Code = code,
            Name = name,
            SiteId = RecordStore.CentralSiteId,
        };
        await using var transaction = await writePath.BeginAsync([], RoutingAccess.Read, cancellationToken);
        db.Stores.Add(store);
        await db.SaveChangesAsync(cancellationToken);
        await records.WriteAsync([StoreRecords.NameRecord(store), StoreRecords.StoreRecord(store, null)], null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return AdminResult<StoreInfo>.Ok(ToInfo(store));
    }

    private static StoreInfo ToInfo(StoreEntity store) => new(store.Id, store.Code, store.Name, store.NameId, store.SiteId);
}

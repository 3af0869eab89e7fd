using Microsoft.EntityFrameworkCore;
using SiteSync.Central.Diagnostics;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Catalog;

namespace SiteSync.Central.Routing;

/// <summary>Fills the routing columns (<c>store_id</c>, <c>parent_id</c>, <c>to_store_id</c>, <c>subject_id</c>) of records
/// stored before routing existed, or by an older routing rule: each is set to what <see cref="Router"/> answers for the
/// stored record today, as if its own site had pushed it. Without this, an upgraded central would not deliver the older
/// transfers addressed to a site on its next initialise, nor route their deletes, nor find older patients.</summary>
/// <remarks>Runs once per <see cref="Version"/>, with the migrations (one process applies them, DESIGN §7), table by table in
/// catalog order so that headers are done before their lines, a page per transaction. Idempotent: killed half way, the next
/// start does it again. Nothing is delivered and no sequence number changes: sites already hold what they held.</remarks>
public sealed class RoutingColumnsBackfill(SiteSyncDbContext db, WritePath writePath, ILogger<RoutingColumnsBackfill> logger)
{
    /// <summary>Raise it when a routing rule changes what the columns hold; the next start recomputes them.</summary>
    public const int Version = 1;

    private const string Marker = "routing_columns_version";
    private const int PageSize = 1000;

    private const string UpdateSql = """
        UPDATE record SET store_id = @store, parent_id = @parent, to_store_id = @to, subject_id = @subject
        WHERE table_name = @table AND record_id = @id
        """;

    /// <summary>Brings every record's routing columns up to <see cref="Version"/>, unless done before; returns the rows changed.</summary>
    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        var done = await db.Database.SqlQuery<long>($"SELECT value AS \"Value\" FROM counter WHERE name = {Marker}").ToListAsync(cancellationToken);
        if (done is [>= Version])
        {
            return 0;
        }
        long changed = 0;
        foreach (var table in TableCatalog.Default.Tables.Where(HasRoutingColumns))
        {
            string? after = null;
            long read = 0, tableChanged = 0;
            while (await NextPageAsync(table, after, cancellationToken) is { Count: > 0 } page)
            {
                tableChanged += await FillAsync(page, cancellationToken);
                read += page.Count;
                after = page[^1].Id;
            }
            changed += tableChanged;
            if (read > 0)
            {
                // An upgrade of a large central takes a while here: say where it is.
                Log.RoutingColumnsTable(logger, table.Name, read, tableChanged);
            }
        }
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.Database.ExecuteSqlAsync($"DELETE FROM counter WHERE name = {Marker}", cancellationToken);
            await db.Database.ExecuteSqlAsync($"INSERT INTO counter (name, value) VALUES ({Marker}, {(long)Version})", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        Log.RoutingColumnsFilled(logger, changed, Version);
        return changed;
    }

    /// <summary>Tables whose records can have more than an owning store: lines, transfers, messages, patients, prescribers, joins.</summary>
    private static bool HasRoutingColumns(TableInfo table) =>
        table.IsLine || table.CounterpartyField is not null || table.RecipientField is not null || table.SubjectField is not null
        || table.Variant?.SubjectField is not null;

    private sealed record Row(TableInfo Table, string Id, string Data, string? StoreId, string? ParentId, string? ToStoreId, string? SubjectId);

    private async Task<List<Row>> NextPageAsync(TableInfo table, string? after, CancellationToken cancellationToken)
    {
        await SqlCommands.EnsureOpenAsync(db, cancellationToken);
        await using var command = SqlCommands.Create(db, $"""
            SELECT record_id, data, store_id, parent_id, to_store_id, subject_id FROM record
            WHERE table_name = @table AND is_deleted = @false AND data IS NOT NULL {(after is null ? "" : "AND record_id > @after")}
            ORDER BY record_id LIMIT {PageSize}
            """);
        command.Add("@table", table.Name);
        command.Add("@false", false);
        if (after is not null)
        {
            command.Add("@after", after);
        }
        List<Row> rows = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            rows.Add(new Row(table, reader.GetString(0), reader.GetString(1), Text(2), Text(3), Text(4), Text(5)));
        }
        return rows;
    }

    private async Task<int> FillAsync(List<Row> page, CancellationToken cancellationToken)
    {
        await using var transaction = await writePath.BeginAsync([], RoutingAccess.Read, cancellationToken);
        var changes = page.Select(r => Change.Upsert(RecordFacts.Read(r.Table, r.Id, r.Data))).ToList();
        var state = await RoutingState.LoadAsync(db, Router.CentralSiteId, changes, cancellationToken);
        var changed = 0;
        await using (var update = new RowWriter(db, UpdateSql, "@store", "@parent", "@to", "@subject", "@table", "@id"))
        {
            foreach (var (row, change) in page.Zip(changes))
            {
                var facts = change.Facts!;
                var owner = facts.Table.IsLine && facts.ParentId is { } parent ? state.Parent(facts.Table.ParentTable!, parent)?.StoreId : facts.StoreId;
                var site = owner is null ? Router.CentralSiteId : state.SiteOfStore(owner) ?? Router.CentralSiteId;
                var route = Router.Decide(change, state.Stored(row.Table.Name, row.Id), new PushedBy(state, site));
                if (!route.IsStored || (route.StoreId, route.ParentId, route.ToStoreId, route.SubjectId) == (row.StoreId, row.ParentId, row.ToStoreId, row.SubjectId))
                {
                    continue; // A record routing refuses today keeps the columns it has.
                }
                await update.AddAsync(cancellationToken, route.StoreId, route.ParentId, route.ToStoreId, route.SubjectId, row.Table.Name, row.Id);
                changed++;
            }
            await update.FlushAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    /// <summary>The batch's view, as seen by the site the record's store is on (so ownership holds, as when it was pushed).</summary>
    private sealed class PushedBy(IRoutingView view, int pusherSiteId) : IRoutingView
    {
        public int PusherSiteId => pusherSiteId;

        public int? SiteOfStore(string storeId) => view.SiteOfStore(storeId);

        public string? StoreOfName(string nameId) => view.StoreOfName(nameId);

        public StoredCopy? Parent(string table, string id) => view.Parent(table, id);

        public IReadOnlySet<int> SitesSeeing(DataClass subjectClass, string subjectId) => view.SitesSeeing(subjectClass, subjectId);

        public bool HasJustLeftPusher(string storeId) => false;

        public string? NameOfStore(string storeId) => view.NameOfStore(storeId);

        public bool SeesName(string storeId, string nameId) => view.SeesName(storeId, nameId);

        public IReadOnlyCollection<string> IndicatorValuesOf(string storeId, string periodId) => view.IndicatorValuesOf(storeId, periodId);

        public IReadOnlySet<int> SitesAwaitingIndicators(string storeId, string periodId) => view.SitesAwaitingIndicators(storeId, periodId);
    }
}

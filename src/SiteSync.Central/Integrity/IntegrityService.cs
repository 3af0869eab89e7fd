using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SiteSync.Central.Diagnostics;
using SiteSync.Central.Logs;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Admin;
using SiteSync.Protocol.Catalog;
using SiteSync.Protocol.Json;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Integrity;

/// <summary>The integrity audit (issue 8): compares the digests of the records a site holds with central's copy, hands out
/// central's record hashes of a differing group so the site can name the records, and keeps the last audit per site for the
/// admin API and the site window.</summary>
/// <remarks>
/// Groups: central data by table (every live record of the table: the change log sends them all to every site), and store or
/// central-store data by table and owning store, for the stores active on the site (lines count in their parent's store, as
/// <c>record.store_id</c> already holds). Records a site holds of other stores (incoming transfers) and of unknown tables are
/// not audited: which of them a site should hold depends on routing, not on ownership. Deleted records (tombstones) are left
/// out on central; a site deletes them outright.
/// </remarks>
public sealed class IntegrityService(SiteSyncDbContext db, SiteLog siteLog, TimeProvider time, ILogger<IntegrityService> logger)
{
    private const int MaxGroupsInLogLine = 10;

    /// <summary>Far above any real store, and low enough that the totals of <see cref="IntegrityLimits.MaxGroups"/> groups
    /// cannot overflow.</summary>
    private const long MaxGroupCount = 1_000_000_000_000;

    /// <summary>Compares the site's digests with central's, and records the audit.</summary>
    public async Task<IntegrityResult<IntegrityResponse>> CompareAsync(int siteId, IntegrityRequest request, CancellationToken cancellationToken)
    {
        if (ValidateRequest(request) is { } invalid)
        {
            return IntegrityResult.Invalid<IntegrityResponse>(invalid);
        }
        var stores = await StoresOfAsync(siteId, cancellationToken);
        var groups = request.Groups!;
        for (var i = 0; i < groups.Count; i++)
        {
            if (groups[i].StoreId is { } storeId && !stores.Contains(storeId))
            {
                return IntegrityResult.Forbidden<IntegrityResponse>(
                    $"groups[{i}] names a store that is not active on this site: a site audits only its own stores (sync first if a store moved).");
            }
        }

        var central = await CentralDigestsAsync(stores, cancellationToken);
        var site = groups.ToDictionary(g => new GroupKey(g.TableName, g.StoreId), g => IntegrityAccumulator.Of(g.Count, Parse(g.Digest)));
        var compared = central.Keys.Union(site.Keys)
            .Select(key => (Key: key, Site: site.GetValueOrDefault(key), Central: central.GetValueOrDefault(key)))
            .Where(g => g.Site.Count > 0 || g.Central.Count > 0 || g.Site != g.Central)
            .OrderBy(g => g.Key.TableName, StringComparer.Ordinal).ThenBy(g => g.Key.StoreId ?? "", StringComparer.Ordinal)
            .Select(g => new IntegrityGroupResult(g.Key.TableName, g.Key.StoreId, g.Site == g.Central, g.Site.Count, g.Central.Count))
            .ToList();
        var differing = compared.Where(g => !g.Matches).ToList();
        var maxCursor = await db.ChangeLog.AsNoTracking().MaxAsync(c => (long?)c.Id, cancellationToken) ?? 0;

        var audit = new IntegrityAuditEntity
        {
            SiteId = siteId,
            AuditId = Guid.NewGuid().ToString("D"),
            CheckedAt = time.GetUtcNow(),
            Matches = differing.Count == 0,
            PendingPush = request.PendingPush,
            GroupsCompared = compared.Count,
            SiteRecords = compared.Sum(g => g.SiteCount),
            CentralRecords = compared.Sum(g => g.CentralCount),
            DifferingGroups = JsonSerializer.Serialize(differing.ToArray(), SiteSyncJsonContext.Default.IntegrityGroupResultArray),
            DifferenceCount = differing.Count == 0 ? 0 : null,
        };
        await SaveAsync(audit, cancellationToken);
        Log.IntegrityChecked(logger, siteId, audit.GroupsCompared, differing.Count);
        return IntegrityResult.Ok(new IntegrityResponse(audit.AuditId, audit.CheckedAt, audit.Matches, maxCursor, compared));
    }

    /// <summary>One page of central's record hashes of a group of the site, in central's id order.</summary>
    public async Task<IntegrityResult<IntegrityRecordsResponse>> RecordsAsync(
        int siteId, IntegrityRecordsRequest request, CancellationToken cancellationToken)
    {
        var invalid = ValidateGroupKey(request.TableName, request.StoreId, "")
            ?? (request.After is not null && !IntegrityLimits.IsReportableId(request.After)
                ? $"after must be a record id of 1 to {IntegrityLimits.MaxRecordIdLength} printable characters, or null."
                : null)
            ?? (request.Limit < 1 ? "limit must be at least 1." : null);
        if (invalid is not null)
        {
            return IntegrityResult.Invalid<IntegrityRecordsResponse>(invalid);
        }
        if (request.StoreId is { } storeId && !(await StoresOfAsync(siteId, cancellationToken)).Contains(storeId))
        {
            return IntegrityResult.Forbidden<IntegrityRecordsResponse>(
                "storeId is not a store active on this site: a site audits only its own stores.");
        }

        var limit = Math.Min(request.Limit, IntegrityLimits.MaxRecordsPage);
        var sql = "SELECT record_id, data FROM record WHERE table_name = @table AND is_deleted = @false"
            + (request.StoreId is null ? "" : " AND store_id = @store")
            + (request.After is null ? "" : " AND record_id > @after")
            + " ORDER BY record_id LIMIT @limit";
        await SqlCommands.EnsureOpenAsync(db, cancellationToken);
        await using var command = SqlCommands.Create(db, sql);
        command.Add("@table", request.TableName);
        command.Add("@false", false);
        command.Add("@limit", limit);
        if (request.StoreId is not null)
        {
            command.Add("@store", request.StoreId);
        }
        if (request.After is not null)
        {
            command.Add("@after", request.After);
        }
        var records = new List<IntegrityRecordHash>(Math.Min(limit, 1024));
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetString(0);
                var data = reader.IsDBNull(1) ? "" : reader.GetString(1);
                records.Add(new IntegrityRecordHash(id, IntegrityDigest.Format(IntegrityDigest.HashRecord(request.TableName, id, data))));
            }
        }
        return IntegrityResult.Ok(new IntegrityRecordsResponse(records, records.Count == limit ? records[^1].Id : null));
    }

    /// <summary>Keeps the site's list of differing records with its latest audit.</summary>
    public async Task<IntegrityResult<bool>> ReportAsync(int siteId, IntegrityReport report, CancellationToken cancellationToken)
    {
        var differences = report.Differences ?? [];
        var invalid = report.AuditId is not { Length: > 0 and <= 36 } || !Guid.TryParse(report.AuditId, out _)
            ? "auditId must be the auditId central returned."
            : differences.Count > IntegrityLimits.MaxReportedDifferences
                ? $"A report lists at most {IntegrityLimits.MaxReportedDifferences} differences; this one has {differences.Count}."
                : report.DifferenceCount < differences.Count
                    ? "differenceCount cannot be below the number of differences listed."
                    : null;
        for (var i = 0; invalid is null && i < differences.Count; i++)
        {
            var difference = differences[i];
            invalid = difference is null
                ? $"differences[{i}] is null."
                : ValidateGroupKey(difference.TableName, difference.StoreId, $"differences[{i}].")
                    ?? (!IntegrityLimits.IsReportableId(difference.RecordId)
                        ? $"differences[{i}].recordId must be 1 to {IntegrityLimits.MaxRecordIdLength} printable characters."
                        : null)
                    ?? (!IntegrityDifferenceKinds.IsKnown(difference.Kind)
                        ? $"differences[{i}].kind must be {IntegrityDifferenceKinds.MissingAtSite}, {IntegrityDifferenceKinds.MissingAtCentral} or {IntegrityDifferenceKinds.DifferentContent}."
                        : null);
        }
        if (invalid is not null)
        {
            return IntegrityResult.Invalid<bool>(invalid);
        }
        var stores = await StoresOfAsync(siteId, cancellationToken);
        if (differences.Any(d => d.StoreId is { } storeId && !stores.Contains(storeId)))
        {
            return IntegrityResult.Forbidden<bool>("A difference names a store that is not active on this site: a site audits only its own stores.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var updated = await db.Set<IntegrityAuditEntity>()
            .Where(a => a.SiteId == siteId && a.AuditId == report.AuditId && !a.Matches)
            .ExecuteUpdateAsync(set => set
                .SetProperty(a => a.DifferenceCount, report.DifferenceCount)
                .SetProperty(a => a.Differences, JsonSerializer.Serialize(differences.ToArray(), SiteSyncJsonContext.Default.IntegrityDifferenceArray)),
                cancellationToken);
        if (updated == 0)
        {
            return IntegrityResult.Superseded<bool>(
                "This report is for an audit that is not the site's latest, or one that matched: run the verification again.");
        }
        var named = string.Join("; ", differences.Take(MaxGroupsInLogLine).Select(d =>
            $"{d.TableName} {d.RecordId}{(d.StoreId is null ? "" : $" (store {d.StoreId})")}: {KindText(d.Kind)}"));
        siteLog.Add(siteId, SiteLogLevels.Warning, SiteLogEvents.IntegrityChecked,
            $"Integrity audit: {report.DifferenceCount} record(s) differ from central{(named.Length > 0 ? ": " + named : "")}"
            + (report.DifferenceCount > Math.Min(differences.Count, MaxGroupsInLogLine) ? "; …" : "."));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return IntegrityResult.Ok(true);
    }

    /// <summary>The site's last audit for the admin API and UI; null when there is no such site.</summary>
    public async Task<SiteIntegrity?> GetAsync(int siteId, CancellationToken cancellationToken)
    {
        if (!await db.Sites.AsNoTracking().AnyAsync(s => s.Id == siteId, cancellationToken))
        {
            return null;
        }
        var audit = await db.Set<IntegrityAuditEntity>().AsNoTracking().FirstOrDefaultAsync(a => a.SiteId == siteId, cancellationToken);
        if (audit is null)
        {
            return new SiteIntegrity(IntegrityStatuses.Never, null, 0, 0, 0, 0, [], null, []);
        }
        return new SiteIntegrity(
            audit.Matches ? IntegrityStatuses.Matches : IntegrityStatuses.Differs,
            audit.CheckedAt,
            audit.GroupsCompared,
            audit.SiteRecords,
            audit.CentralRecords,
            audit.PendingPush,
            JsonSerializer.Deserialize(audit.DifferingGroups, SiteSyncJsonContext.Default.IntegrityGroupResultArray) ?? [],
            audit.DifferenceCount,
            JsonSerializer.Deserialize(audit.Differences, SiteSyncJsonContext.Default.IntegrityDifferenceArray) ?? []);
    }

    internal static string KindText(string kind) => kind switch
    {
        IntegrityDifferenceKinds.MissingAtSite => "missing at the site",
        IntegrityDifferenceKinds.MissingAtCentral => "missing at central",
        _ => "different content",
    };

    private static string? ValidateRequest(IntegrityRequest request)
    {
        if (request.PendingPush < 0 || request.CentralCursor < 0)
        {
            return "pendingPush and centralCursor cannot be negative.";
        }
        if (request.Groups is not { } groups)
        {
            return "groups must be an array.";
        }
        if (groups.Count > IntegrityLimits.MaxGroups)
        {
            return $"A request holds at most {IntegrityLimits.MaxGroups} groups; this one has {groups.Count}.";
        }
        var seen = new HashSet<GroupKey>();
        for (var i = 0; i < groups.Count; i++)
        {
            var group = groups[i];
            if (group is null)
            {
                return $"groups[{i}] is null.";
            }
            if (ValidateGroupKey(group.TableName, group.StoreId, $"groups[{i}].") is { } invalid)
            {
                return invalid;
            }
            if (group.Count is < 0 or > MaxGroupCount)
            {
                return $"groups[{i}].count must be from 0 to {MaxGroupCount}.";
            }
            if (!IntegrityDigest.TryParse(group.Digest, out _))
            {
                return $"groups[{i}].digest must be 16 lowercase hex digits.";
            }
            if (!seen.Add(new GroupKey(group.TableName, group.StoreId)))
            {
                return $"groups[{i}] repeats an earlier group.";
            }
        }
        return null;
    }

    /// <summary>The table must be one the audit covers; central data has no store, store data must name one. Never echoes
    /// what it refuses (it may not even be valid text).</summary>
    private static string? ValidateGroupKey(string? tableName, string? storeId, string path)
    {
        var info = TableCatalog.Default[tableName ?? ""];
        return IntegrityDigest.GroupingOf(info.Class) switch
        {
            AuditGrouping.None => $"{path}tableName must be a table the audit covers.",
            AuditGrouping.ByTable when storeId is not null => $"{path}storeId must be null: {info.Name} is central data.",
            AuditGrouping.ByStore when storeId is not { Length: > 0 and <= 200 } =>
                $"{path}storeId must name the owning store: {info.Name} is store data.",
            _ => null,
        };
    }

    private static ulong Parse(string digest) => IntegrityDigest.TryParse(digest, out var value) ? value : 0;

    private async Task<HashSet<string>> StoresOfAsync(int siteId, CancellationToken cancellationToken) =>
        (await db.Stores.AsNoTracking().Where(s => s.SiteId == siteId).Select(s => s.Id).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Central's digest of every group of the site, in one streaming statement (one snapshot, constant memory).</summary>
    private async Task<Dictionary<GroupKey, IntegrityAccumulator>> CentralDigestsAsync(HashSet<string> stores, CancellationToken cancellationToken)
    {
        var catalog = TableCatalog.Default;
        var centralTables = catalog.Tables.Where(t => IntegrityDigest.GroupingOf(t.Class) == AuditGrouping.ByTable).Select(t => t.Name).ToList();
        var storeList = stores.ToList();
        var sql = "SELECT table_name, record_id, data, store_id, subject_id FROM record WHERE is_deleted = @false AND (table_name IN ("
            + string.Join(", ", centralTables.Select((_, i) => $"@t{i}")) + ")"
            + (storeList.Count == 0 ? "" : " OR store_id IN (" + string.Join(", ", storeList.Select((_, i) => $"@s{i}")) + ")")
            + ")";
        await SqlCommands.EnsureOpenAsync(db, cancellationToken);
        await using var command = SqlCommands.Create(db, sql);
        command.Add("@false", false);
        for (var i = 0; i < centralTables.Count; i++)
        {
            command.Add(string.Create(CultureInfo.InvariantCulture, $"@t{i}"), centralTables[i]);
        }
        for (var i = 0; i < storeList.Count; i++)
        {
            command.Add(string.Create(CultureInfo.InvariantCulture, $"@s{i}"), storeList[i]);
        }

        var digests = new Dictionary<GroupKey, IntegrityAccumulator>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var table = reader.GetString(0);
            var store = reader.IsDBNull(3) ? null : reader.GetString(3);
            // A record of a table's variant (a patient name, which has a subject) is grouped by the variant's class.
            var info = catalog[table];
            var dataClass = info.Variant is { SubjectField: not null } variant && !reader.IsDBNull(4) ? variant.Class : info.Class;
            GroupKey? key = IntegrityDigest.GroupingOf(dataClass) switch
            {
                AuditGrouping.ByTable => new GroupKey(table, null),
                AuditGrouping.ByStore when store is not null && stores.Contains(store) => new GroupKey(table, store),
                _ => null,
            };
            if (key is not { } group || reader.IsDBNull(2))
            {
                continue;
            }
            var id = reader.GetString(1);
            ref var digest = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(digests, group, out _);
            digest.Add(IntegrityDigest.HashRecord(table, id, reader.GetString(2)));
        }
        return digests;
    }

    private async Task SaveAsync(IntegrityAuditEntity audit, CancellationToken cancellationToken)
    {
        const string UpsertSql = """
            INSERT INTO integrity_audit (site_id, audit_id, checked_at, matches, pending_push, groups_compared, site_records,
                central_records, differing_groups, difference_count, differences)
            VALUES (@site, @audit, @at, @matches, @pending, @groups, @siteRecords, @centralRecords, @differing, @count, @differences)
            ON CONFLICT (site_id) DO UPDATE SET
                audit_id = excluded.audit_id, checked_at = excluded.checked_at, matches = excluded.matches,
                pending_push = excluded.pending_push, groups_compared = excluded.groups_compared, site_records = excluded.site_records,
                central_records = excluded.central_records, differing_groups = excluded.differing_groups,
                difference_count = excluded.difference_count, differences = excluded.differences
            """;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await using (var upsert = SqlCommands.Create(db, UpsertSql))
        {
            upsert.Add("@site", audit.SiteId);
            upsert.Add("@audit", audit.AuditId);
            upsert.Add("@at", db.ToDbTime(audit.CheckedAt));
            upsert.Add("@matches", audit.Matches);
            upsert.Add("@pending", audit.PendingPush);
            upsert.Add("@groups", audit.GroupsCompared);
            upsert.Add("@siteRecords", audit.SiteRecords);
            upsert.Add("@centralRecords", audit.CentralRecords);
            upsert.Add("@differing", audit.DifferingGroups);
            upsert.Add("@count", audit.DifferenceCount);
            upsert.Add("@differences", audit.Differences);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
        siteLog.Add(audit.SiteId, audit.Matches ? SiteLogLevels.Info : SiteLogLevels.Warning, SiteLogEvents.IntegrityChecked, audit.Matches
            ? $"Integrity audit: matches central ({audit.SiteRecords} record(s) in {audit.GroupsCompared} group(s)"
                + (audit.PendingPush > 0 ? $"; {audit.PendingPush} local change(s) not pushed yet)." : ").")
            : $"Integrity audit: {DifferingSummary(audit.DifferingGroups)}"
                + (audit.PendingPush > 0 ? $" The site had {audit.PendingPush} local change(s) not pushed yet." : ""));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static string DifferingSummary(string differingJson)
    {
        var groups = JsonSerializer.Deserialize(differingJson, SiteSyncJsonContext.Default.IntegrityGroupResultArray) ?? [];
        var listed = string.Join("; ", groups.Take(MaxGroupsInLogLine).Select(g =>
            $"{g.TableName}{(g.StoreId is null ? "" : $" (store {g.StoreId})")}: site {g.SiteCount}, central {g.CentralCount}"));
        return $"{groups.Length} group(s) differ from central: {listed}{(groups.Length > MaxGroupsInLogLine ? "; …" : ".")}";
    }

    private readonly record struct GroupKey(string TableName, string? StoreId);
}

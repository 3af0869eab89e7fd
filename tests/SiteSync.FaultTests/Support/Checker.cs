using System.Text;

namespace SiteSync.FaultTests.Support;

/// <summary>What the checker found (reliability plan §1.3 I1–I5; Jepsen's set and total-queue checkers). Counts are of
/// (destination, record) pairs except <see cref="Attempted"/>, <see cref="Acknowledged"/> and <see cref="Recovered"/>, which
/// count writes.</summary>
public sealed class CheckResult
{
    /// <summary>Writes invoked.</summary>
    public int Attempted { get; set; }

    /// <summary>Writes whose origin got ok.</summary>
    public int Acknowledged { get; set; }

    /// <summary>I1: a destination lacks a record's latest acknowledged version (and holds no later attempted one).</summary>
    public List<string> Lost { get; } = [];

    /// <summary>I2: a version of a record took effect more than once at one destination (apply log).</summary>
    public List<string> Duplicated { get; } = [];

    /// <summary>I3: a record or version at a destination that no write sent there.</summary>
    public List<string> Unexpected { get; } = [];

    /// <summary>I4: a destination applied an older version of a record after a newer one.</summary>
    public List<string> Regressed { get; } = [];

    /// <summary>I5: a remote's change-log cursor is past a central-data change whose record (version) it does not hold.</summary>
    public List<string> Skipped { get; } = [];

    /// <summary>Writes whose outcome was unknown (info) and that are present: allowed, and counted.</summary>
    public int Recovered { get; set; }

    public bool Valid => Lost.Count == 0 && Duplicated.Count == 0 && Unexpected.Count == 0 && Regressed.Count == 0 && Skipped.Count == 0;

    public string Summary =>
        $"attempted {Attempted}, acknowledged {Acknowledged}, lost {Lost.Count}, duplicated {Duplicated.Count}, unexpected {Unexpected.Count}, " +
        $"regressed {Regressed.Count}, skipped {Skipped.Count}, recovered {Recovered}";

    public override string ToString()
    {
        var text = new StringBuilder(Summary);
        foreach (var (name, list) in new[] { ("lost", Lost), ("duplicated", Duplicated), ("unexpected", Unexpected), ("regressed", Regressed), ("skipped", Skipped) })
        {
            foreach (var item in list.Take(20))
            {
                text.Append('\n').Append(name).Append(": ").Append(item);
            }
            if (list.Count > 20)
            {
                text.Append('\n').Append(name).Append(": … ").Append(list.Count - 20).Append(" more");
            }
        }
        return text.ToString();
    }
}

/// <summary>The final state of one destination: the records it holds (the run's prefix only), its apply log, and for a remote
/// the change-log cursor it stored.</summary>
public sealed record DestinationState(string Name, IReadOnlyList<StoredRecord> Records, IReadOnlyList<AppliedRecord> ApplyLog, long? CentralCursor = null);

/// <summary>Compares central and every remote record by record against the history (reliability plan §1.3). Each write's
/// version is unique, so a version can be followed to every destination; each destination's apply log (a trigger on its
/// records table) shows how many times each version took effect there.</summary>
public static class Checker
{
    public const string Central = "central";

    public static string RemoteName(string name) => "remote:" + name;

    /// <summary>Reads every destination and checks; central's change log and the remotes' cursors give I5.</summary>
    public static async Task<CheckResult> CheckAsync(History history, CentralDb central, IEnumerable<IRemoteNode> remotes)
    {
        List<DestinationState> states = [new(Central, await central.RecordsAsync(history.Prefix), await central.ApplyLogAsync(history.Prefix))];
        foreach (var remote in remotes)
        {
            states.Add(new DestinationState(
                RemoteName(remote.Name),
                await RemoteDb.RecordsAsync(remote.DatabasePath, history.Prefix),
                await RemoteDb.ApplyLogAsync(remote.DatabasePath, history.Prefix),
                await RemoteDb.ScalarAsync(remote.DatabasePath, "SELECT COALESCE(MAX(value), 0) FROM cursors WHERE name = 'central_pull'")));
        }
        var changeLog = (await central.ChangeLogAsync()).Where(c => c.RecordId.StartsWith(history.Prefix, StringComparison.Ordinal)).ToList();
        return Check(history, states, changeLog);
    }

    public static CheckResult Check(History history, IReadOnlyList<DestinationState> states, IReadOnlyList<(long Id, string Table, string RecordId)> changeLog)
    {
        var result = new CheckResult();
        var ops = history.Ops;
        result.Attempted = ops.Count;
        result.Acknowledged = ops.Count(o => o.Type == OpType.Ok);
        var byRecord = ops.GroupBy(o => (o.Table, o.RecordId)).ToDictionary(g => g.Key, g => g.OrderBy(o => o.Id).ToList());
        var byVersion = ops.ToDictionary(o => o.Version, StringComparer.Ordinal);
        var recovered = new HashSet<string>(StringComparer.Ordinal);

        foreach (var state in states)
        {
            var held = state.Records.ToDictionary(r => (r.Table, r.RecordId));
            foreach (var ((table, id), writes) in byRecord)
            {
                var sent = writes.Where(w => w.Destinations.Contains(state.Name)).ToList();
                held.TryGetValue((table, id), out var stored);
                var version = stored?.Version;
                if (sent.Count == 0)
                {
                    if (stored is { Data: not null })
                    {
                        result.Unexpected.Add($"{state.Name} {table} {id}: holds a record no write sent there");
                    }
                    continue;
                }
                var position = version is null ? -1 : sent.FindIndex(w => w.Version == version);
                if (version is not null && position < 0)
                {
                    result.Unexpected.Add($"{state.Name} {table} {id}: holds version '{version}', never written for it");
                    continue;
                }
                var lastOk = sent.FindLastIndex(w => w.Type == OpType.Ok);
                if (lastOk >= 0 && position < lastOk)
                {
                    result.Lost.Add(version is null
                        ? $"{state.Name} {table} {id}: missing (acknowledged version {sent[lastOk].Version})"
                        : $"{state.Name} {table} {id}: holds {version}, older than acknowledged {sent[lastOk].Version}");
                }
                if (position >= 0 && sent[position].Type is OpType.Info or OpType.Invoke)
                {
                    recovered.Add(sent[position].Version);
                }
                if (position >= 0 && sent[position].Type == OpType.Fail)
                {
                    result.Unexpected.Add($"{state.Name} {table} {id}: holds version {version}, whose write failed");
                }
            }
            foreach (var record in state.Records.Where(r => !byRecord.ContainsKey((r.Table, r.RecordId)) && r.Data is not null))
            {
                result.Unexpected.Add($"{state.Name} {record.Table} {record.RecordId}: never written");
            }

            // I2 and I4 from the apply log: each version at most once, versions of a record in write order.
            foreach (var group in state.ApplyLog.Where(a => a.Version is not null).GroupBy(a => (a.Table, a.RecordId)))
            {
                foreach (var twice in group.GroupBy(a => a.Version!).Where(v => v.Count() > 1))
                {
                    result.Duplicated.Add($"{state.Name} {group.Key.Table} {group.Key.RecordId}: version {twice.Key} applied {twice.Count()} times");
                }
                long previous = 0;
                foreach (var applied in group)
                {
                    if (!byVersion.TryGetValue(applied.Version!, out var op))
                    {
                        continue;
                    }
                    if (op.Id < previous)
                    {
                        result.Regressed.Add($"{state.Name} {group.Key.Table} {group.Key.RecordId}: {applied.Version} applied after a newer version");
                    }
                    previous = Math.Max(previous, op.Id);
                }
            }

            // I5: a change-log row at or below the remote's cursor whose record the remote does not hold at that version or later.
            if (state.CentralCursor is { } cursor)
            {
                foreach (var row in changeLog.Where(c => c.Id <= cursor))
                {
                    if (!byRecord.TryGetValue((row.Table, row.RecordId), out var writes))
                    {
                        continue;
                    }
                    var sent = writes.Where(w => w.Destinations.Contains(state.Name)).ToList();
                    if (sent.Count == 0)
                    {
                        continue;
                    }
                    held.TryGetValue((row.Table, row.RecordId), out var stored);
                    if (stored?.Version is null)
                    {
                        result.Skipped.Add($"{state.Name} {row.Table} {row.RecordId}: change-log row {row.Id} is at or below the cursor {cursor} but the record never arrived");
                    }
                }
            }
        }
        result.Recovered = recovered.Count;
        return result;
    }
}

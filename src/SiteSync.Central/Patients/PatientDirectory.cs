using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SiteSync.Central.Logs;
using SiteSync.Central.Records;
using SiteSync.Central.Routing;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Catalog;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Patients;

/// <summary>What a v4 patient search asks for. Name patterns use the legacy wildcard <c>@</c> (<c>@ana@</c>: contains
/// "ana"); without one a pattern must match the whole field. Every comparison ignores case.</summary>
public sealed record PatientQuery(string? FirstName, string? LastName, string? Code, DateOnly? DateOfBirth, bool Deleted, int Limit, int Offset);

/// <summary>The outcome of linking a patient to a store: the join, or why not (an HTTP status and a sync error code).</summary>
public sealed record PatientLinkResult(NameStoreJoinV4? Join, int Status, string? Code, string? Message)
{
    public static PatientLinkResult Refuse(int status, string code, string message) => new(null, status, code, message);
}

/// <summary>Central's patient directory for the legacy v4 calls (routing.md §3.4): a search over the patients central
/// holds, and linking a patient to a store of the calling site, which routes the new <c>name_store_join</c> like any
/// central edit, so the patient's whole bundle reaches the site through its queue (P3).</summary>
public sealed class PatientDirectory(SiteSyncDbContext db, WritePath writePath, RecordStore records, SiteLog siteLog)
{
    private const string NameTable = "name";
    private const string JoinTable = "name_store_join";

    /// <summary>The patients matching <paramref name="query"/>, ordered by id, after <c>Offset</c> matches, at most <c>Limit</c>.</summary>
    /// <remarks>Patient records are JSON; their fields are compared in memory. A name pattern with a plain ASCII part narrows
    /// the rows first with <c>LIKE</c> on the stored text (a necessary condition: such characters are never escaped), so a
    /// search reads only the candidate rows, not every patient.</remarks>
    public async Task<IReadOnlyList<PatientV4>> SearchAsync(PatientQuery query, CancellationToken cancellationToken)
    {
        List<PatientV4> found = [];
        if (query.Deleted || query.Limit == 0)
        {
            return found; // Central keeps no data for a deleted record: there is nothing to show.
        }
        await SqlCommands.EnsureOpenAsync(db, cancellationToken);
        await using var command = SqlCommands.Create(db, string.Empty);
        var sql = "SELECT record_id, data FROM record WHERE table_name = @name AND subject_id IS NOT NULL AND is_deleted = @false";
        command.Add("@name", NameTable);
        command.Add("@false", false);
        var hints = new[] { query.FirstName, query.LastName, query.Code }.Select(LikeHint).OfType<string>().ToList();
        for (var i = 0; i < hints.Count; i++)
        {
            sql += db.Provider == StorageProvider.Postgres ? $" AND data ILIKE @hint{i} ESCAPE '\\'" : $" AND data LIKE @hint{i} ESCAPE '\\'";
            command.Add($"@hint{i}", $"%{hints[i]}%");
        }
        command.CommandText = sql + " ORDER BY record_id";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var skipped = 0;
        while (found.Count < query.Limit && await reader.ReadAsync(cancellationToken))
        {
            if (reader.IsDBNull(1) || Patient(reader.GetString(0), reader.GetString(1)) is not { } patient || !Matches(patient, query))
            {
                continue;
            }
            if (skipped++ < query.Offset)
            {
                continue;
            }
            found.Add(patient);
        }
        return found;
    }

    /// <summary>Makes patient <paramref name="nameId"/> visible in store <paramref name="storeId"/>, which must be active on
    /// <paramref name="siteId"/>: returns the active join central already holds, or writes one (a new join, with
    /// <paramref name="newJoinId"/> when given, or an inactive one made active again) and routes it, which queues the join and the patient's records to the site.</summary>
    public async Task<PatientLinkResult> LinkAsync(int siteId, string nameId, string storeId, CancellationToken cancellationToken, string? newJoinId = null)
    {
        var store = await db.Stores.AsNoTracking().FirstOrDefaultAsync(s => s.Id == storeId, cancellationToken);
        if (store is null || store.SiteId != siteId)
        {
            return PatientLinkResult.Refuse(StatusCodes.Status403Forbidden, SyncErrorCodes.StoreNotOnSite,
                $"Store '{Display(storeId)}' is not active on this site.");
        }
        var patient = await records.FindAsync(NameTable, nameId, cancellationToken);
        if (patient is not { IsDeleted: false, SubjectId: not null })
        {
            return PatientLinkResult.Refuse(StatusCodes.Status404NotFound, SyncErrorCodes.PatientNotFound,
                $"Central holds no patient '{Display(nameId)}'.");
        }

        await using var transaction = await writePath.BeginAsync([siteId], RoutingAccess.Read, cancellationToken); // two links of one site: one join
        var (existingId, existing) = await FindJoinAsync(nameId, storeId, cancellationToken);
        if (existing is not null && existing["inactive"]?.GetValueKind() != JsonValueKind.True)
        {
            return new PatientLinkResult(new NameStoreJoinV4(existingId!, nameId, storeId, false), StatusCodes.Status200OK, null, null);
        }
        if (newJoinId is not null && await records.FindAsync(JoinTable, newJoinId, cancellationToken) is not null)
        {
            newJoinId = null; // The id names another join: never re-point it, whoever asks.
        }
        var id = existingId ?? newJoinId ?? Guid.NewGuid().ToString("N").ToUpperInvariant();
        var join = existing ?? new JsonObject { [LegacyFields.Id] = id, [LegacyFields.NameId] = nameId, ["store_ID"] = storeId };
        join["inactive"] = false;
        var data = join.ToJsonString();
        var change = Change.Upsert(RecordFacts.Read(TableCatalog.Default[JoinTable], id, data));
        var state = await RoutingState.LoadAsync(db, RecordStore.CentralSiteId, [change], cancellationToken);
        var route = state.Decide(change);
        if (route.Rejection is { } reason)
        {
            return PatientLinkResult.Refuse(StatusCodes.Status409Conflict, SyncErrorCodes.InvalidBody, reason);
        }
        await records.WriteAsync([new RecordWrite(JoinTable, id, data, route)], null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await siteLog.WriteAsync(siteId, SiteLogLevels.Info, SiteLogEvents.PatientLinked,
            $"Patient '{Display(nameId)}' linked to store '{Display(storeId)}' (name_store_join {id}): the patient's records are queued to the site.",
            cancellationToken);
        return new PatientLinkResult(new NameStoreJoinV4(id, nameId, storeId, false), StatusCodes.Status200OK, null, null);
    }

    /// <summary>The store's join for the name, active or not: active joins carry the name as their subject; an inactive one
    /// is found by its text and confirmed by parsing.</summary>
    private async Task<(string? Id, JsonObject? Join)> FindJoinAsync(string nameId, string storeId, CancellationToken cancellationToken)
    {
        await SqlCommands.EnsureOpenAsync(db, cancellationToken);
        await using var command = SqlCommands.Create(db, $"""
            SELECT record_id, data FROM record
            WHERE table_name = @join AND store_id = @store AND is_deleted = @false
              AND (subject_id = @name OR (subject_id IS NULL AND data LIKE @like ESCAPE '\'))
            ORDER BY record_id
            """);
        command.Add("@join", JoinTable);
        command.Add("@store", storeId);
        command.Add("@false", false);
        command.Add("@name", nameId);
        command.Add("@like", $"%{EscapeLike(nameId)}%");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        (string?, JsonObject?) inactive = (null, null);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.IsDBNull(1) || JsonNode.Parse(reader.GetString(1)) is not JsonObject join
                || join[LegacyFields.NameId]?.GetValueKind() != JsonValueKind.String || join[LegacyFields.NameId]!.GetValue<string>() != nameId)
            {
                continue;
            }
            if (join["inactive"]?.GetValueKind() != JsonValueKind.True)
            {
                return (reader.GetString(0), join);
            }
            inactive = (reader.GetString(0), join);
        }
        return inactive;
    }

    private static PatientV4? Patient(string id, string json)
    {
        using var document = JsonDocument.Parse(json);
        var record = document.RootElement;
        if (record.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        return new PatientV4(id, Text(record, "name"), Text(record, "phone"), Text(record, "email"), Text(record, "code"),
            Text(record, "last"), Text(record, "first"), DateTimeOf(Text(record, "date_of_birth")));
    }

    /// <summary>The legacy date (<c>YYYY-MM-DD</c>, <c>0000-00-00</c> for none) as the v4 answer writes it.</summary>
    private static string DateTimeOf(string date) =>
        DateOnly.TryParseExact(date.Length >= 10 ? date[..10] : date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00"
            : "0000-00-00T00:00:00";

    private static bool Matches(PatientV4 patient, PatientQuery query) =>
        Like(patient.First, query.FirstName) && Like(patient.Last, query.LastName)
        && (query.Code is null || string.Equals(patient.Code, query.Code, StringComparison.OrdinalIgnoreCase))
        && (query.DateOfBirth is not { } born || patient.DateOfBirth == born.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00");

    /// <summary>The legacy pattern match: <c>@</c> stands for any run of characters; case is ignored.</summary>
    public static bool Like(string value, string? pattern)
    {
        if (pattern is null)
        {
            return true;
        }
        var parts = pattern.Split('@');
        if (parts.Length == 1)
        {
            return string.Equals(value, pattern, StringComparison.OrdinalIgnoreCase);
        }
        if (!value.StartsWith(parts[0], StringComparison.OrdinalIgnoreCase) || !value.EndsWith(parts[^1], StringComparison.OrdinalIgnoreCase)
            || value.Length < parts[0].Length + parts[^1].Length)
        {
            return false;
        }
        var position = parts[0].Length;
        var end = value.Length - parts[^1].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var at = parts[i].Length == 0 ? position : value.IndexOf(parts[i], position, end - position, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return false;
            }
            position = at + parts[i].Length;
        }
        return true;
    }

    /// <summary>The longest plain ASCII letter-or-digit run of a pattern, escaped for LIKE, when it is worth narrowing by.</summary>
    private static string? LikeHint(string? pattern) =>
        pattern?.Split('@').Select(part => new string([.. part.TakeWhile(char.IsAsciiLetterOrDigit)]))
            .Concat(pattern.Split('@').Select(part => new string([.. part.Reverse().TakeWhile(char.IsAsciiLetterOrDigit).Reverse()])))
            .Where(run => run.Length >= 2).OrderByDescending(run => run.Length).FirstOrDefault();

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    private static string Text(JsonElement record, string field) =>
        record.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";

    private static string Display(string text) => StorableText.ForDisplay(text, 64);
}

using System.IO.Compression;
using System.Text;

namespace SiteSync.FaultTests.Support;

/// <summary>How a hostile case is judged (beyond "below 500, a reason with any 4xx, nothing else written, the next normal
/// sync works").</summary>
public enum HostileKind
{
    /// <summary>Any answer below 500; with a 4xx a reason in the body; nothing written.</summary>
    Request,

    /// <summary>A readable push batch holding one bad record and one good one: 200, the bad record rejected explicitly (a
    /// site-log warning or error) and never stored, the good one applied once the final batch integrates.</summary>
    PushWithBadRecord,

    /// <summary>As <see cref="PushWithBadRecord"/>, but the bad record's table is unknown: it may be kept under its literal
    /// table name (the unknown-table policy) or rejected, with a site-log line; the schema and every other table stay unchanged.</summary>
    PushUnknownTable,

    /// <summary>A push batch that is not readable (not JSON, not the batch shape): 400 with a reason, nothing stored.</summary>
    PushUnreadable,

    /// <summary>A readable push batch whose first record holds a NUL escape in a free data field central never interprets: 200,
    /// the good record applied; the odd one either rejected explicitly or stored exactly as it arrived.</summary>
    PushMayAccept,

    /// <summary>Malformed HTTP that Kestrel refuses before the application sees it (NUL in a header value or path, headers over
    /// 32 KB): a 4xx, with or without a body (the HTTP server writes it, not SiteSync).</summary>
    Protocol,
}

/// <summary>The sites and credentials the corpus runs against.</summary>
public sealed record CorpusContext(
    string TargetName, string TargetSecret, string TargetHardwareId, string TargetStoreId, int TargetSiteId, int DecoySiteId, string AdminAuthorization)
{
    /// <summary>The antiforgery cookie and form token of the login page, so login cases reach the user lookup.</summary>
    public string LoginCookie { get; init; } = "";

    public string LoginToken { get; init; } = "";
}

/// <summary>One hostile request. <see cref="Token"/> is unique to the case and appears in every id the case invents, so the
/// test can look for anything of it in any table.</summary>
public sealed record HostileCase(string Id, HostileKind Kind, Func<CorpusContext, string, byte[]> Build)
{
    public string Token => "h" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Id)))[..10];

    public override string ToString() => Id;
}

/// <summary>The hostile-input corpus (reliability plan F13, F14): invalid UTF-8 and UTF-16, NUL in every string position,
/// deep nesting, huge numbers and ids, empty ids, path and SQL characters in table names, duplicate keys, oversized bodies,
/// garbage headers, wrong content types and gzip garbage — over every sync v5 and v6 endpoint and every admin endpoint.</summary>
public static class HostileCorpus
{
    public const int OversizedBytes = 40 * 1024 * 1024;

    private static readonly string Huge = new('x', 10 * 1024);

    public static IReadOnlyList<HostileCase> Cases { get; } = Build();

    public static HostileCase Get(string id) => Cases.First(c => c.Id == id);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static IEnumerable<(string, byte[])> SyncHeaders(CorpusContext c, string? name = null, string? secret = null,
        string? hardwareId = null, string version = "14")
    {
        var basic = Convert.ToBase64String(Utf8($"{name ?? c.TargetName}:{secret ?? c.TargetSecret}"));
        return [
            ("Authorization", Utf8("Basic " + basic)), ("msupply-site-uuid", Utf8(hardwareId ?? c.TargetHardwareId)),
            ("app-name", Utf8("Open mSupply Desktop")), ("app-version", Utf8("2.20.0")), ("version", Utf8(version)),
        ];
    }

    private static byte[] V5(CorpusContext c, string method, string target, byte[]? body, IEnumerable<(string, byte[])>? headers = null) =>
        RawHttp.Request(method, target, headers ?? SyncHeaders(c), body);

    private static byte[] Admin(CorpusContext c, string method, string target, byte[]? body, string contentType = "application/json",
        IEnumerable<(string, byte[])>? extra = null) =>
        RawHttp.Request(method, target,
            [("Authorization", Utf8(c.AdminAuthorization)), .. body is null ? Array.Empty<(string, byte[])>() : [("Content-Type", Utf8(contentType))], .. extra ?? []],
            body);

    private static string Settings(CorpusContext c, string? username = null, string? password = null, string? uuid = null) =>
        $$$"""{"serverUrl":"http://x/","username":{{{username ?? Quote(c.TargetName)}}},"passwordSha256":{{{password ?? Quote(c.TargetSecret)}}},"siteUuid":{{{uuid ?? Quote(c.TargetHardwareId)}}},"appVersion":"2.20.0","appName":"Open mSupply Desktop","syncVersion":"14"}""";

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    /// <summary>A push batch: the bad record (raw JSON text) and then a good transaction of the target's store.</summary>
    private static byte[] Push(CorpusContext c, string token, string badRecord) => V5(c, "POST", "/sync/v5/queued_records", Concat(
        Utf8("""{"queueLength":2,"data":["""), Utf8(badRecord), Utf8(","), Utf8(Good(c, token)), Utf8("]}")));

    public static string GoodId(string token) => token + "-good";

    private static string Good(CorpusContext c, string token) =>
        $$$"""{"syncOutId":"2","tableName":"transact","recordId":"{{{GoodId(token)}}}","action":"Update","recordData":{"ID":"{{{GoodId(token)}}}","store_ID":"{{{c.TargetStoreId}}}","type":"ci","status":"nw","name_ID":"n"}}""";

    private static string Transaction(CorpusContext c, string id, string? store = null, string extra = "") =>
        $$$"""{"syncOutId":"1","tableName":"transact","recordId":"{{{id}}}","action":"Update","recordData":{"ID":"{{{id}}}","store_ID":{{{store ?? Quote(c.TargetStoreId)}}},"type":"ci"{{{extra}}}}}""";

    private static string Deep(int depth) => new string('[', depth) + new string(']', depth);

    private static string DeepObject(int depth) => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    private static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }
        return output.ToArray();
    }

    private static byte[] Oversized(string start, string end)
    {
        var pad = OversizedBytes - start.Length - end.Length;
        return Concat(Utf8(start), Enumerable.Repeat((byte)'x', pad).ToArray(), Utf8(end));
    }

    private static List<HostileCase> Build()
    {
        List<HostileCase> cases = [];
        void Add(string id, HostileKind kind, Func<CorpusContext, string, byte[]> build) => cases.Add(new HostileCase(id, kind, build));
        const string push = "/sync/v5/queued_records";

        // ---- v5 push: NUL in every string position of a record (readable JSON: per-record rejection) ----
        Add("v5-push-nul-in-record-id", HostileKind.PushWithBadRecord, (c, t) => Push(c, t,
            $$$"""{"syncOutId":"1","tableName":"transact","recordId":"\u0000{{{t}}}","action":"Update","recordData":{"ID":"\u0000{{{t}}}","store_ID":"{{{c.TargetStoreId}}}"}}"""));
        Add("v5-push-nul-in-table-name", HostileKind.PushWithBadRecord, (c, t) => Push(c, t,
            $$$"""{"syncOutId":"1","tableName":"trans\u0000act","recordId":"{{{t}}}","action":"Update","recordData":{"ID":"{{{t}}}","store_ID":"{{{c.TargetStoreId}}}"}}"""));
        Add("v5-push-nul-in-data-id", HostileKind.PushWithBadRecord, (c, t) => Push(c, t,
            $$$"""{"syncOutId":"1","tableName":"transact","recordId":"{{{t}}}","action":"Update","recordData":{"ID":"{{{t}}}\u0000","store_ID":"{{{c.TargetStoreId}}}"}}"""));
        Add("v5-push-nul-in-store-id", HostileKind.PushWithBadRecord, (c, t) => Push(c, t, Transaction(c, t, "\"\\u0000" + c.TargetStoreId + "\"")));
        Add("v5-push-nul-in-data-field", HostileKind.PushMayAccept, (c, t) => Push(c, t, Transaction(c, t, extra: ",\"comment\":\"a\\u0000b\"")));
        Add("v5-push-nul-in-data-key", HostileKind.PushMayAccept, (c, t) => Push(c, t, Transaction(c, t, extra: ",\"comm\\u0000ent\":\"a\"")));
        Add("v5-push-nul-in-parent-id", HostileKind.PushWithBadRecord, (c, t) => Push(c, t,
            $$$"""{"syncOutId":"1","tableName":"trans_line","recordId":"{{{t}}}","action":"Update","recordData":{"ID":"{{{t}}}","transaction_ID":"\u0000p"}}"""));
        Add("v5-push-nul-in-sync-out-id", HostileKind.PushMayAccept, (c, t) => Push(c, t,
            $$$"""{"syncOutId":"\u0000","tableName":"transact","recordId":"{{{t}}}","action":"Update","recordData":{"ID":"{{{t}}}","store_ID":"{{{c.TargetStoreId}}}","x":"\u0000"}}"""));
        Add("v5-push-nul-in-action", HostileKind.PushWithBadRecord, (c, t) => Push(c, t,
            $$$"""{"syncOutId":"1","tableName":"transact","recordId":"{{{t}}}","action":"Upd\u0000ate","recordData":{"ID":"{{{t}}}","store_ID":"{{{c.TargetStoreId}}}"}}"""));

        // ---- v5 push: invalid UTF-16 (lone surrogates, escaped: readable JSON) ----
        foreach (var (name, surrogate) in new[] { ("high", "\\ud800"), ("low", "\\udc00"), ("reversed", "\\udc00\\ud800") })
        {
            Add($"v5-push-lone-{name}-surrogate-in-store-id", HostileKind.PushWithBadRecord, (c, t) => Push(c, t, Transaction(c, t, $"\"{surrogate}x\"")));
            Add($"v5-push-lone-{name}-surrogate-in-record-id", HostileKind.PushWithBadRecord, (c, t) => Push(c, t,
                $$$"""{"syncOutId":"1","tableName":"transact","recordId":"{{{t}}}{{{surrogate}}}","action":"Update","recordData":{"ID":"{{{t}}}{{{surrogate}}}","store_ID":"{{{c.TargetStoreId}}}"}}"""));
            Add($"v5-push-lone-{name}-surrogate-in-data-field", HostileKind.PushWithBadRecord, (c, t) => Push(c, t, Transaction(c, t, extra: $",\"comment\":\"{surrogate}\"")));
        }
        Add("v5-push-lone-surrogate-in-table-name", HostileKind.PushWithBadRecord, (c, t) => Push(c, t,
            $$$"""{"syncOutId":"1","tableName":"transact\ud800","recordId":"{{{t}}}","action":"Update","recordData":{"ID":"{{{t}}}","store_ID":"{{{c.TargetStoreId}}}"}}"""));
        Add("v5-push-lone-surrogate-in-parent-id", HostileKind.PushWithBadRecord, (c, t) => Push(c, t,
            $$$"""{"syncOutId":"1","tableName":"trans_line","recordId":"{{{t}}}","action":"Update","recordData":{"ID":"{{{t}}}","transaction_ID":"\ud800"}}"""));

        // ---- v5 push: invalid UTF-8 (raw bytes: not JSON) ----
        string Head(CorpusContext c, string t) => "{\"queueLength\":1,\"data\":[{\"syncOutId\":\"1\",\"tableName\":\"transact\",\"recordId\":\"" + t;
        string Tail(CorpusContext c, string t) => $"\",\"action\":\"Update\",\"recordData\":{{\"ID\":\"{t}\",\"store_ID\":\"{c.TargetStoreId}\"}}}}]}}";
        Add("v5-push-invalid-utf8-in-record-id", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push, Concat(Utf8(Head(c, t)), [0xff, 0xfe], Utf8(Tail(c, t)))));
        Add("v5-push-invalid-utf8-in-data", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push, Concat(
            Utf8(Head(c, t) + $"\",\"action\":\"Update\",\"recordData\":{{\"ID\":\"{t}\",\"store_ID\":\"{c.TargetStoreId}\",\"c\":\""), [0xc3, 0x28],
            Utf8("\"}}]}"))));
        Add("v5-push-truncated-utf8-sequence", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push, Concat(Utf8(Head(c, t)), [0xe2, 0x82], Utf8("\"}]}"))));
        Add("v5-push-overlong-utf8-slash", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push, Concat(
            Utf8("{\"queueLength\":1,\"data\":[{\"syncOutId\":\"1\",\"tableName\":\".."), [0xc0, 0xaf],
            Utf8($"site\",\"recordId\":\"{t}\",\"action\":\"Update\",\"recordData\":{{\"ID\":\"{t}\"}}}}]}}"))));
        Add("v5-push-utf8-encoded-surrogate", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push, Concat(Utf8(Head(c, t)), [0xed, 0xa0, 0x80], Utf8(Tail(c, t)))));
        Add("v5-push-raw-nul-byte-in-string", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push, Concat(Utf8(Head(c, t)), [0x00], Utf8(Tail(c, t)))));

        // ---- v5 push: ids ----
        Add("v5-push-huge-record-id", HostileKind.PushWithBadRecord, (c, t) => Push(c, t,
            $$$"""{"syncOutId":"1","tableName":"transact","recordId":"{{{t}}}{{{Huge}}}","action":"Update","recordData":{"ID":"{{{t}}}{{{Huge}}}","store_ID":"{{{c.TargetStoreId}}}"}}"""));
        Add("v5-push-huge-store-id", HostileKind.PushWithBadRecord, (c, t) => Push(c, t, Transaction(c, t, $"\"{Huge}\"")));
        Add("v5-push-huge-table-name", HostileKind.PushWithBadRecord, (c, t) => Push(c, t,
            $$$"""{"syncOutId":"1","tableName":"{{{Huge}}}","recordId":"{{{t}}}","action":"Update","recordData":{"ID":"{{{t}}}"}}"""));
        foreach (var (name, id) in new[] { ("empty", ""), ("space", " "), ("tab", "\\t"), ("newline", "\\n"), ("nbsp", "\\u00a0") })
        {
            Add($"v5-push-{name}-record-id", HostileKind.PushWithBadRecord, (c, t) => Push(c, t,
                $$$"""{"syncOutId":"1","tableName":"transact","recordId":"{{{id}}}","action":"Update","recordData":{"ID":"{{{id}}}","store_ID":"{{{c.TargetStoreId}}}","t":"{{{t}}}"}}"""));
        }
        Add("v5-push-id-differs-from-data-id", HostileKind.PushWithBadRecord, (c, t) => Push(c, t,
            $$$"""{"syncOutId":"1","tableName":"transact","recordId":"{{{t}}}","action":"Update","recordData":{"ID":"{{{t}}}-other","store_ID":"{{{c.TargetStoreId}}}"}}"""));
        Add("v5-push-missing-record-id", HostileKind.PushWithBadRecord, (c, t) => Push(c, t,
            $$$"""{"syncOutId":"1","tableName":"transact","action":"Update","recordData":{"ID":"{{{t}}}","store_ID":"{{{c.TargetStoreId}}}"}}"""));
        Add("v5-push-number-record-id", HostileKind.PushUnreadable, (c, t) => Push(c, t,
            $$$"""{"syncOutId":"1","tableName":"transact","recordId":1e400,"action":"Update","recordData":{"ID":"{{{t}}}","store_ID":"{{{c.TargetStoreId}}}"}}"""));
        Add("v5-push-store-id-number", HostileKind.PushWithBadRecord, (c, t) => Push(c, t, Transaction(c, t, "18446744073709551616")));
        Add("v5-push-record-data-array", HostileKind.PushWithBadRecord, (c, t) => Push(c, t,
            $$$"""{"syncOutId":"1","tableName":"transact","recordId":"{{{t}}}","action":"Update","recordData":["{{{t}}}"]}"""));
        Add("v5-push-record-data-deep", HostileKind.PushUnreadable, (c, t) => Push(c, t,
            $$$"""{"syncOutId":"1","tableName":"transact","recordId":"{{{t}}}","action":"Update","recordData":{"ID":"{{{t}}}","store_ID":"{{{c.TargetStoreId}}}","deep":{{{DeepObject(10_000)}}}}}"""));
        Add("v5-push-unknown-action", HostileKind.PushWithBadRecord, (c, t) => Push(c, t,
            $$$"""{"syncOutId":"1","tableName":"transact","recordId":"{{{t}}}","action":"Explode","recordData":{"ID":"{{{t}}}","store_ID":"{{{c.TargetStoreId}}}"}}"""));
        Add("v5-push-duplicate-key-in-record-data", HostileKind.PushWithBadRecord, (c, t) => Push(c, t,
            $$$"""{"syncOutId":"1","tableName":"transact","recordId":"{{{t}}}","action":"Update","recordData":{"ID":"{{{t}}}","ID":"{{{t}}}-2","store_ID":"{{{c.TargetStoreId}}}"}}"""));
        Add("v5-push-duplicate-store-key-in-record-data", HostileKind.PushWithBadRecord, (c, t) => Push(c, t,
            $$$"""{"syncOutId":"1","tableName":"transact","recordId":"{{{t}}}","action":"Update","recordData":{"ID":"{{{t}}}","store_ID":"{{{c.TargetStoreId}}}","store_ID":"other-store"}}"""));
        Add("v5-push-other-sites-store", HostileKind.PushWithBadRecord, (c, t) => Push(c, t, Transaction(c, t, "\"no-such-store\"")));
        Add("v5-push-central-data", HostileKind.PushWithBadRecord, (c, t) => Push(c, t,
            $$$"""{"syncOutId":"1","tableName":"item","recordId":"{{{t}}}","action":"Update","recordData":{"ID":"{{{t}}}","code":"X","item_name":"x"}}"""));
        Add("v5-push-merge-action", HostileKind.PushWithBadRecord, (c, t) => Push(c, t,
            $$$"""{"syncOutId":"1","tableName":"transact","recordId":"{{{t}}}","action":"Merge","recordData":{"mergeIdToKeep":"{{{t}}}","mergeIdToDelete":"x"}}"""));

        // ---- v5 push: path and SQL characters in table names (unknown tables) ----
        foreach (var (name, table) in new[]
        {
            ("sql-drop", "invoice; DROP TABLE site;--"), ("dot-dot-slash", "../site"), ("sqlite-master", "sqlite_master"),
            ("pg-authid", "pg_catalog.pg_authid"), ("quoted-site", "\\\"site\\\""), ("or-true", "' OR '1'='1"), ("percent-00", "%00"),
            ("rtl-mark", "trans\\u202eact"), ("homoglyph", "tr\\u0430nsact"), ("backslash-path", "..\\\\..\\\\site"), ("semicolon-only", ";"),
            ("upper-case-known", "TRANSACT"),
        })
        {
            Add($"v5-push-table-{name}", HostileKind.PushUnknownTable, (c, t) => Push(c, t,
                $$$"""{"syncOutId":"1","tableName":"{{{table}}}","recordId":"{{{t}}}","action":"Update","recordData":{"ID":"{{{t}}}","store_ID":"{{{c.TargetStoreId}}}"}}"""));
        }

        // ---- v5 push: unreadable batches ----
        Add("v5-push-deep-nesting", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push, Utf8(Deep(10_000))));
        Add("v5-push-deep-nesting-in-data", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push, Utf8($"{{\"queueLength\":1,\"data\":{Deep(10_000)}}}")));
        Add("v5-push-queue-length-1e400", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push, Utf8("{\"queueLength\":1e400,\"data\":[" + Transaction(c, t) + "]}")));
        Add("v5-push-queue-length-2-pow-64", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push, Utf8("{\"queueLength\":18446744073709551616,\"data\":[" + Transaction(c, t) + "]}")));
        Add("v5-push-queue-length-negative", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push, Utf8("{\"queueLength\":-1,\"data\":[" + Transaction(c, t) + "]}")));
        Add("v5-push-queue-length-string", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push, Utf8("{\"queueLength\":\"\\u0000\",\"data\":[" + Transaction(c, t) + "]}")));
        Add("v5-push-duplicate-queue-length", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push, Utf8("{\"queueLength\":0,\"queueLength\":1,\"data\":[" + Transaction(c, t) + "]}")));
        Add("v5-push-duplicate-data", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push, Utf8("{\"queueLength\":1,\"data\":[],\"data\":[" + Transaction(c, t) + "]}")));
        Add("v5-push-duplicate-record-id-key", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push, Utf8(
            $$$"""{"queueLength":1,"data":[{"syncOutId":"1","tableName":"transact","recordId":"{{{t}}}","recordId":"{{{t}}}-2","action":"Update","recordData":{"ID":"{{{t}}}","store_ID":"{{{c.TargetStoreId}}}"}}]}""")));
        Add("v5-push-truncated-json", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push, Utf8("{\"queueLength\":1,\"data\":[" + Transaction(c, t)[..40])));
        Add("v5-push-null-body", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push, Utf8("null")));
        Add("v5-push-empty-body", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push, []));
        Add("v5-push-array-body", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push, Utf8("[" + Transaction(c, t) + "]")));
        Add("v5-push-data-object", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push, Utf8("{\"queueLength\":1,\"data\":" + Transaction(c, t) + "}")));
        // A null entry is a bad entry of a readable batch: rejected alone, the good record next to it applied.
        Add("v5-push-data-null-entry", HostileKind.PushWithBadRecord, (c, t) => Push(c, t, "null"));
        Add("v5-push-oversized-40mb", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push,
            Oversized("{\"queueLength\":1,\"data\":[" + Transaction(c, t)[..^2] + ",\"pad\":\"", "\"}}]}")));
        Add("v5-push-too-many-records", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push,
            Utf8("{\"queueLength\":6000,\"data\":[" + string.Join(",", Enumerable.Range(0, 6000).Select(i => Transaction(c, $"{t}-{i}"))) + "]}")));
        Add("v5-push-xml-content-type", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push, Utf8($"<batch><record id=\"{t}\"/></batch>"),
            [.. SyncHeaders(c), ("Content-Type", Utf8("application/xml"))]));
        Add("v5-push-gzip-garbage", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push, [0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01],
            [.. SyncHeaders(c), ("Content-Encoding", Utf8("gzip"))]));
        Add("v5-push-gzip-of-valid-batch", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push, Gzip(Utf8("{\"queueLength\":1,\"data\":[" + Transaction(c, t) + "]}")),
            [.. SyncHeaders(c), ("Content-Encoding", Utf8("gzip"))]));
        Add("v5-push-form-content-type", HostileKind.PushUnreadable, (c, t) => V5(c, "POST", push, Utf8($"queueLength=1&recordId={t}"),
            [.. SyncHeaders(c), ("Content-Type", Utf8("application/x-www-form-urlencoded"))]));

        // ---- v5 acknowledgements ----
        const string ack = "/sync/v5/acknowledged_records";
        Add("v5-ack-nul-id", HostileKind.Request, (c, t) => V5(c, "POST", ack, Utf8("{\"syncIDs\":[\"q\\u00001\",\"s1-\\u0000\"]}")));
        Add("v5-ack-lone-surrogate-id", HostileKind.Request, (c, t) => V5(c, "POST", ack, Utf8("{\"syncIDs\":[\"q\\ud800\",\"\\udc00\"]}")));
        Add("v5-ack-invalid-utf8", HostileKind.Request, (c, t) => V5(c, "POST", ack, Concat(Utf8("{\"syncIDs\":[\"q"), [0xff], Utf8("\"]}"))));
        Add("v5-ack-huge-id", HostileKind.Request, (c, t) => V5(c, "POST", ack, Utf8($"{{\"syncIDs\":[\"q{Huge}\"]}}")));
        Add("v5-ack-huge-number-id", HostileKind.Request, (c, t) => V5(c, "POST", ack, Utf8("{\"syncIDs\":[\"q18446744073709551616\",\"s99999999999999999999-1\",\"q-1\"]}")));
        Add("v5-ack-number-ids", HostileKind.Request, (c, t) => V5(c, "POST", ack, Utf8("{\"syncIDs\":[1e400,2]}")));
        Add("v5-ack-empty-ids", HostileKind.Request, (c, t) => V5(c, "POST", ack, Utf8("{\"syncIDs\":[\"\",\" \",\"q\",\"s\",\"s-\"]}")));
        Add("v5-ack-deep-nesting", HostileKind.Request, (c, t) => V5(c, "POST", ack, Utf8($"{{\"syncIDs\":{Deep(10_000)}}}")));
        Add("v5-ack-duplicate-key", HostileKind.Request, (c, t) => V5(c, "POST", ack, Utf8("{\"syncIDs\":[],\"syncIDs\":[\"q1\"]}")));
        Add("v5-ack-oversized-40mb", HostileKind.Request, (c, t) => V5(c, "POST", ack, Oversized("{\"syncIDs\":[\"q", "\"]}")));
        Add("v5-ack-null", HostileKind.Request, (c, t) => V5(c, "POST", ack, Utf8("{\"syncIDs\":null}")));
        Add("v5-ack-sql-id", HostileKind.Request, (c, t) => V5(c, "POST", ack, Utf8("{\"syncIDs\":[\"q1; DELETE FROM sync_out;--\",\"s1-1 OR 1=1\"]}")));

        // ---- v5 pulls: query strings ----
        foreach (var (name, query) in new[]
        {
            ("cursor-negative", "cursor=-1"), ("cursor-1e400", "cursor=1e400"), ("cursor-2-pow-64", "cursor=18446744073709551616"),
            ("cursor-text", "cursor=abc"), ("cursor-nul", "cursor=%00"), ("limit-zero", "limit=0"), ("limit-huge", "limit=99999999999999999999"),
            ("cursor-invalid-utf8", "cursor=%ff%fe"), ("cursor-sql", "cursor=0%20OR%201=1"), ("cursor-twice", "cursor=0&cursor=5"),
            ("stored-past-cursor", "cursor=5&stored=9223372036854775807"), ("stored-negative", "cursor=5&stored=-1"),
            ("stored-2-pow-64", "cursor=5&stored=18446744073709551616"), ("stored-lone-surrogate", "cursor=5&stored=%ed%a0%80"),
        })
        {
            Add($"v5-central-records-{name}", HostileKind.Request, (c, t) => V5(c, "GET", "/sync/v5/central_records?" + query, null));
        }
        foreach (var (name, query) in new[] { ("limit-negative", "limit=-5"), ("limit-1e400", "limit=1e400"), ("limit-nul", "limit=%00"), ("limit-lone-surrogate", "limit=%ed%a0%80") })
        {
            Add($"v5-queued-records-{name}", HostileKind.Request, (c, t) => V5(c, "GET", "/sync/v5/queued_records?" + query, null));
        }

        // ---- v5 headers: Basic, version, hardware id, app name (on every endpoint they guard) ----
        var guarded = new[] { ("site", "GET", "/sync/v5/site"), ("status", "GET", "/sync/v5/site_status"), ("initialise", "POST", "/sync/v5/initialise"), ("push", "POST", push) };
        foreach (var (endpoint, method, path) in guarded)
        {
            byte[]? Body(string m) => m == "POST" ? Utf8("{}") : null;
            Add($"v5-{endpoint}-basic-not-base64", HostileKind.Request, (c, t) => V5(c, method, path, Body(method),
                [("Authorization", Utf8("Basic !!!not-base64!!!")), .. SyncHeaders(c).Skip(1)]));
            Add($"v5-{endpoint}-basic-no-colon", HostileKind.Request, (c, t) => V5(c, method, path, Body(method),
                [("Authorization", Utf8("Basic " + Convert.ToBase64String(Utf8(c.TargetName)))), .. SyncHeaders(c).Skip(1)]));
            Add($"v5-{endpoint}-basic-nul-in-site-name", HostileKind.Request, (c, t) => V5(c, method, path, Body(method), SyncHeaders(c, name: c.TargetName + "\0")));
            Add($"v5-{endpoint}-bad-version", HostileKind.Request, (c, t) => V5(c, method, path, Body(method), SyncHeaders(c, version: "99999999999999999999")));
        }
        Add("v5-site-basic-nul-only-name", HostileKind.Request, (c, t) => V5(c, "GET", "/sync/v5/site", null, SyncHeaders(c, name: "\0")));
        Add("v5-site-basic-nul-in-secret", HostileKind.Request, (c, t) => V5(c, "GET", "/sync/v5/site", null, SyncHeaders(c, name: "decoy-" + t, secret: "\0" + c.TargetSecret)));
        Add("v5-site-basic-invalid-utf8-name", HostileKind.Request, (c, t) => V5(c, "GET", "/sync/v5/site", null,
            [("Authorization", Concat(Utf8("Basic "), Utf8(Convert.ToBase64String(Concat([0xff, 0xfe, 0xed, 0xa0, 0x80], Utf8(":" + c.TargetSecret)))))), .. SyncHeaders(c).Skip(1)]));
        Add("v5-site-basic-huge-name", HostileKind.Request, (c, t) => V5(c, "GET", "/sync/v5/site", null, SyncHeaders(c, name: Huge)));
        Add("v5-site-basic-whitespace-name", HostileKind.Request, (c, t) => V5(c, "GET", "/sync/v5/site", null, SyncHeaders(c, name: " \t ")));
        Add("v5-site-basic-sql-name", HostileKind.Request, (c, t) => V5(c, "GET", "/sync/v5/site", null, SyncHeaders(c, name: "x' OR '1'='1")));
        Add("v5-site-basic-empty", HostileKind.Request, (c, t) => V5(c, "GET", "/sync/v5/site", null, [("Authorization", Utf8("Basic ")), .. SyncHeaders(c).Skip(1)]));
        Add("v5-site-bearer-scheme", HostileKind.Request, (c, t) => V5(c, "GET", "/sync/v5/site", null, [("Authorization", Utf8("Bearer " + Huge)), .. SyncHeaders(c).Skip(1)]));
        Add("v5-site-two-authorization-headers", HostileKind.Request, (c, t) => V5(c, "GET", "/sync/v5/site", null, [("Authorization", Utf8("Basic eDp5")), .. SyncHeaders(c)]));
        Add("v5-site-authorization-10kb", HostileKind.Request, (c, t) => V5(c, "GET", "/sync/v5/site", null, [("Authorization", Utf8("Basic " + Huge)), .. SyncHeaders(c).Skip(1)]));
        Add("v5-site-version-text", HostileKind.Request, (c, t) => V5(c, "GET", "/sync/v5/site", null, SyncHeaders(c, version: "abc")));
        Add("v5-site-version-negative", HostileKind.Request, (c, t) => V5(c, "GET", "/sync/v5/site", null, SyncHeaders(c, version: "-1")));
        Add("v5-site-version-empty", HostileKind.Request, (c, t) => V5(c, "GET", "/sync/v5/site", null, SyncHeaders(c, version: "")));
        Add("v5-site-version-1e400", HostileKind.Request, (c, t) => V5(c, "GET", "/sync/v5/site", null, SyncHeaders(c, version: "1e400")));
        Add("v5-site-version-10kb", HostileKind.Request, (c, t) => V5(c, "GET", "/sync/v5/site", null, SyncHeaders(c, version: Huge)));
        Add("v5-site-hardware-id-10kb", HostileKind.Request, (c, t) => V5(c, "GET", "/sync/v5/site", null, SyncHeaders(c, hardwareId: Huge)));
        Add("v5-site-hardware-id-nul", HostileKind.Protocol, (c, t) => V5(c, "GET", "/sync/v5/site", null, SyncHeaders(c, hardwareId: "hw\0")));
        Add("v5-site-hardware-id-invalid-utf8", HostileKind.Protocol, (c, t) => V5(c, "GET", "/sync/v5/site", null,
            [.. SyncHeaders(c).Where(h => h.Item1 != "msupply-site-uuid"), ("msupply-site-uuid", new byte[] { 0x68, 0xff, 0xfe })]));
        Add("v5-site-app-name-10kb", HostileKind.Request, (c, t) => V5(c, "GET", "/sync/v5/site", null,
            [.. SyncHeaders(c).Where(h => h.Item1 != "app-name"), ("app-name", Utf8(Huge))]));
        Add("v5-site-app-version-invalid-utf8", HostileKind.Protocol, (c, t) => V5(c, "GET", "/sync/v5/site", null,
            [.. SyncHeaders(c).Where(h => h.Item1 != "app-version"), ("app-version", new byte[] { 0x32, 0xc0, 0xaf })]));
        Add("v5-site-header-32kb", HostileKind.Protocol, (c, t) => V5(c, "GET", "/sync/v5/site", null, [.. SyncHeaders(c), ("x-garbage", Utf8(new string('g', 40_000)))]));
        Add("v5-site-no-headers", HostileKind.Request, (c, t) => V5(c, "GET", "/sync/v5/site", null, []));
        Add("v5-path-traversal", HostileKind.Request, (c, t) => V5(c, "GET", "/sync/v5/../../api/sites", null));
        Add("v5-path-encoded-nul", HostileKind.Protocol, (c, t) => V5(c, "GET", "/sync/v5/site%00", null));

        // ---- v6 (credentials in the body, answers 200 with {"error"}) ----
        foreach (var (endpoint, body) in new (string, Func<CorpusContext, string, string>)[]
        {
            ("pull", (c, s) => $$$"""{"cursor":0,"batchSize":10,"syncV5Settings":{{{s}}},"isInitialised":true,"syncV6Version":5}"""),
            ("push", (c, s) => $$$"""{"batch":{"end_cursor":1,"total_records":0,"records":[],"is_last_batch":true},"syncV5Settings":{{{s}}},"syncV6Version":5}"""),
            ("site_status", (c, s) => $$$"""{"syncV5Settings":{{{s}}},"syncV6Version":5}"""),
        })
        {
            var path = "/central/sync/" + endpoint;
            Add($"v6-{endpoint}-nul-in-username", HostileKind.Request, (c, t) => RawHttp.Request("POST", path, [], Utf8(body(c, Settings(c, username: Quote(c.TargetName + "\0"))))));
            Add($"v6-{endpoint}-lone-surrogate-in-username", HostileKind.Request, (c, t) => RawHttp.Request("POST", path, [], Utf8(body(c, Settings(c, username: "\"x\\ud800\"")))));
            Add($"v6-{endpoint}-nul-in-password", HostileKind.Request, (c, t) => RawHttp.Request("POST", path, [], Utf8(body(c, Settings(c, username: Quote("decoy-" + t), password: "\"\\u0000\"")))));
            Add($"v6-{endpoint}-huge-username", HostileKind.Request, (c, t) => RawHttp.Request("POST", path, [], Utf8(body(c, Settings(c, username: Quote(Huge))))));
            Add($"v6-{endpoint}-huge-site-uuid", HostileKind.Request, (c, t) => RawHttp.Request("POST", path, [], Utf8(body(c, Settings(c, uuid: Quote(Huge))))));
            Add($"v6-{endpoint}-invalid-utf8", HostileKind.Request, (c, t) => RawHttp.Request("POST", path, [],
                Concat(Utf8(body(c, Settings(c, username: "\"MARK\"")).Split("MARK")[0]), [0xff, 0xfe], Utf8(body(c, Settings(c, username: "\"MARK\"")).Split("MARK")[1]))));
            Add($"v6-{endpoint}-deep-nesting", HostileKind.Request, (c, t) => RawHttp.Request("POST", path, [], Utf8(DeepObject(10_000))));
            Add($"v6-{endpoint}-version-1e400", HostileKind.Request, (c, t) => RawHttp.Request("POST", path, [], Utf8(body(c, Settings(c)).Replace("\"syncV6Version\":5", "\"syncV6Version\":1e400", StringComparison.Ordinal))));
            Add($"v6-{endpoint}-duplicate-settings", HostileKind.Request, (c, t) => RawHttp.Request("POST", path, [], Utf8(body(c, Settings(c) + ",\"syncV5Settings\":" + Settings(c, username: "\"other\"")))));
            Add($"v6-{endpoint}-empty-body", HostileKind.Request, (c, t) => RawHttp.Request("POST", path, [], []));
        }
        Add("v6-pull-cursor-2-pow-64", HostileKind.Request, (c, t) => RawHttp.Request("POST", "/central/sync/pull", [],
            Utf8($$$"""{"cursor":18446744073709551616,"batchSize":-1,"syncV5Settings":{{{Settings(c)}}},"isInitialised":true,"syncV6Version":5}""")));
        foreach (var (name, table) in new[] { ("nul", "name\\u0000"), ("lone-surrogate", "name\\ud800"), ("sql", "invoice; DROP TABLE site;--"), ("huge", Huge), ("dot-dot", "../site") })
        {
            Add($"v6-push-table-{name}", HostileKind.Request, (c, t) => RawHttp.Request("POST", "/central/sync/push", [], Utf8(
                $$$"""{"batch":{"end_cursor":1,"total_records":1,"records":[{"cursor":1,"record":{"tableName":"{{{table}}}","recordId":"{{{t}}}","action":"UPSERT","recordData":{"id":"{{{t}}}"} } }],"is_last_batch":true},"syncV5Settings":{{{Settings(c)}}},"syncV6Version":5}""")));
        }
        Add("v6-push-oversized-40mb", HostileKind.Request, (c, t) => RawHttp.Request("POST", "/central/sync/push", [],
            Oversized($$$"""{"syncV5Settings":{{{Settings(c)}}},"syncV6Version":5,"batch":{"end_cursor":1,"total_records":1,"records":[{"cursor":1,"record":{"tableName":"name","recordId":"{{{t}}}","action":"UPSERT","recordData":{"pad":""", "\"}}}],\"is_last_batch\":true}}")));

        // ---- legacy v4 patient calls (Basic only) and the v6 twin of the link ----
        IEnumerable<(string, byte[])> V4Headers(CorpusContext c, string? secret = null, bool json = false) =>
            [("Authorization", Utf8("Basic " + Convert.ToBase64String(Utf8($"{c.TargetName}:{secret ?? c.TargetSecret}")))),
                .. json ? [("Content-Type", Utf8("application/json"))] : Array.Empty<(string, byte[])>()];
        foreach (var (name, query) in new[]
        {
            ("nul-in-first-name", "first_name=%00{t}"), ("invalid-utf8-in-last-name", "last_name=%FF%FE{t}"), ("lone-surrogate-in-code", "code=%ED%A0%80{t}"),
            ("huge-first-name", "first_name=@" + Huge[..4000] + "@"), ("sql-in-first-name", "first_name=@'%3B%20DROP%20TABLE%20site%3B--{t}@"),
            ("like-metacharacters", "first_name=@%25_%5C{t}@&last_name=%25"), ("limit-2-pow-64", "limit=18446744073709551616"),
            ("negative-offset", "offset=-5"), ("dob-garbage", "dob=0000-00-00"), ("repeated-parameters", "first_name=a&first_name=b&limit=1&limit=2"),
        })
        {
            Add($"v4-patient-{name}", HostileKind.Request, (c, t) => RawHttp.Request("GET", "/api/v4/patient?" + query.Replace("{t}", t, StringComparison.Ordinal), V4Headers(c), null));
        }
        Add("v4-patient-request-line-over-8kb", HostileKind.Protocol, (c, t) => RawHttp.Request("GET", "/api/v4/patient?first_name=@" + Huge + "@", V4Headers(c), null));
        Add("v4-patient-wrong-password", HostileKind.Request, (c, t) => RawHttp.Request("GET", $"/api/v4/patient?first_name={t}", V4Headers(c, "0000"), null));
        Add("v4-patient-no-credentials", HostileKind.Request, (c, t) => RawHttp.Request("GET", $"/api/v4/patient?first_name={t}", [], null));
        foreach (var (name, body) in new[]
        {
            ("nul-in-name-id", """{"name_ID":"\u0000{t}","store_ID":"{store}"}"""), ("lone-surrogate-in-store-id", """{"name_ID":"{t}","store_ID":"\udc00{t}"}"""),
            ("huge-name-id", "{\"name_ID\":\"{t}" + Huge + "\",\"store_ID\":\"{store}\"}"), ("sql-in-name-id", """{"name_ID":"'; DROP TABLE record;--{t}","store_ID":"{store}"}"""),
            ("number-ids", """{"name_ID":1e400,"store_ID":{t}}"""), ("duplicate-keys", """{"name_ID":"{t}","name_ID":"{t}2","store_ID":"{store}"}"""),
            ("array-body", """["{t}"]"""), ("null-body", "null"), ("missing-store", """{"name_ID":"{t}"}"""), ("other-sites-store", """{"name_ID":"{t}","store_ID":"decoy-{t}"}"""),
            ("deep-nesting", DeepObject(10_000)),
        })
        {
            Add($"v4-link-{name}", HostileKind.Request, (c, t) => RawHttp.Request("POST", "/api/v4/name_store_join", V4Headers(c, json: true),
                Utf8(body.Replace("{t}", t, StringComparison.Ordinal).Replace("{store}", c.TargetStoreId, StringComparison.Ordinal))));
        }
        Add("v4-link-invalid-utf8", HostileKind.Request, (c, t) => RawHttp.Request("POST", "/api/v4/name_store_join", V4Headers(c, json: true),
            Concat(Utf8("{\"name_ID\":\"" + t), [0xff, 0xfe], Utf8("\",\"store_ID\":\"" + c.TargetStoreId + "\"}"))));
        Add("v4-link-empty-body", HostileKind.Request, (c, t) => RawHttp.Request("POST", "/api/v4/name_store_join", V4Headers(c, json: true), []));
        Add("v4-link-oversized-40mb", HostileKind.Request, (c, t) => RawHttp.Request("POST", "/api/v4/name_store_join", V4Headers(c, json: true),
            Oversized("{\"store_ID\":\"" + c.TargetStoreId + "\",\"name_ID\":\"" + t, "\"}")));
        Add("v4-link-wrong-password", HostileKind.Request, (c, t) => RawHttp.Request("POST", "/api/v4/name_store_join", V4Headers(c, "0000", json: true),
            Utf8($$$"""{"name_ID":"{{{t}}}","store_ID":"{{{c.TargetStoreId}}}"}""")));
        foreach (var (name, settings, id) in new (string, Func<CorpusContext, string>, string)[]
        {
            ("nul-in-username", c => Settings(c, username: Quote(c.TargetName + "\0")), "{t}"),
            ("wrong-password", c => Settings(c, password: "\"0000\""), "{t}"), ("huge-id", c => Settings(c), "{t}" + Huge),
            ("nul-in-id", c => Settings(c), "\\u0000{t}"),
        })
        {
            Add($"v6-link-{name}", HostileKind.Request, (c, t) => RawHttp.Request("POST", "/central/name-store-join", [("Content-Type", Utf8("application/json"))],
                Utf8($$$"""{"id":"{{{id.Replace("{t}", t, StringComparison.Ordinal)}}}","nameId":"{{{t}}}","storeId":"{{{c.TargetStoreId}}}","syncV5Settings":{{{settings(c)}}}}""")));
        }
        Add("v6-link-deep-nesting", HostileKind.Request, (c, t) => RawHttp.Request("POST", "/central/name-store-join", [], Utf8(DeepObject(10_000))));
        Add("v6-link-empty-body", HostileKind.Request, (c, t) => RawHttp.Request("POST", "/central/name-store-join", [], []));

        // ---- admin: central records ----
        Add("admin-records-lone-surrogate-id", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records", Utf8($$$"""{"item":[{"ID":"{{{t}}}\ud800","code":"X","item_name":"x","type_of":"general"}]}""")));
        Add("admin-records-lone-low-surrogate-field", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records", Utf8($$$"""{"item":[{"ID":"{{{t}}}","code":"\udc00","item_name":"x","type_of":"general"}]}""")));
        Add("admin-records-raw-ff-fe", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records", Concat(Utf8($$$"""{"item":[{"ID":"{{{t}}}"""), [0xff, 0xfe], Utf8("\",\"code\":\"X\"}]}"))));
        Add("admin-records-nul-id", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records", Utf8($$$"""{"item":[{"ID":"{{{t}}}\u0000","code":"X","item_name":"x","type_of":"general"}]}""")));
        Add("admin-records-nul-table", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records", Utf8($$$"""{"it\u0000em":[{"ID":"{{{t}}}"}]}""")));
        Add("admin-records-nul-store-id", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records", Utf8($$$"""{"name_store_join":[{"ID":"{{{t}}}","name_ID":"n","store_ID":"{{{c.TargetStoreId}}}\u0000"}]}""")));
        Add("admin-records-lone-surrogate-store-id", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records", Utf8($$$"""{"name_store_join":[{"ID":"{{{t}}}","name_ID":"n","store_ID":"\ud800"}]}""")));
        Add("admin-records-huge-id", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records", Utf8($$$"""{"item":[{"ID":"{{{t}}}{{{Huge}}}","code":"X"}]}""")));
        Add("admin-records-empty-id", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records", Utf8($$$"""{"item":[{"ID":"","code":"{{{t}}}"}]}""")));
        Add("admin-records-whitespace-id", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records", Utf8($$$"""{"item":[{"ID":"  ","code":"{{{t}}}"}]}""")));
        Add("admin-records-number-id", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records", Utf8("{\"item\":[{\"ID\":1e400}]}")));
        Add("admin-records-deep-nesting", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records", Utf8($$$"""{"item":[{"ID":"{{{t}}}","deep":{{{DeepObject(10_000)}}}}]}""")));
        Add("admin-records-duplicate-table-key", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records", Utf8($$$"""{"item":[],"item":[{"ID":"{{{t}}}","code":"X"}]}""")));
        Add("admin-records-duplicate-id-key", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records", Utf8($$$"""{"item":[{"ID":"{{{t}}}","ID":"{{{t}}}-2","code":"X"}]}""")));
        Add("admin-records-oversized-40mb", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records", Oversized($$$"""{"item":[{"ID":"{{{t}}}","pad":""", "\"}]}")));
        Add("admin-records-text-plain", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records", Utf8($$$"""{"item":[{"ID":"{{{t}}}","code":"X","item_name":"x","type_of":"general"}]}"""), "text/plain"));
        Add("admin-records-gzip-garbage", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records", [0x1f, 0x8b, 0x08, 0x00, 0xba, 0xad], "application/json",
            [("Content-Encoding", Utf8("gzip"))]));
        foreach (var (name, table) in new[] { ("sql-drop", "invoice; DROP TABLE site;--"), ("dot-dot", "../site"), ("pg-authid", "pg_catalog.pg_authid"), ("lone-surrogate", "item\\ud800") })
        {
            Add($"admin-records-table-{name}", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records", Utf8($$$"""{"{{{table}}}":[{"ID":"{{{t}}}"}]}""")));
            Add($"admin-records-delete-table-{name}", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records/delete", Utf8($$$"""{"{{{table}}}":["{{{t}}}"]}""")));
        }
        Add("admin-records-delete-nul-id", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records/delete", Utf8($$$"""{"item":["{{{t}}}\u0000"]}""")));
        Add("admin-records-delete-lone-surrogate-id", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records/delete", Utf8($$$"""{"item":["\ud800{{{t}}}"]}""")));
        Add("admin-records-delete-huge-id", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records/delete", Utf8($$$"""{"item":["{{{Huge}}}"]}""")));
        Add("admin-records-delete-deep", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records/delete", Utf8($$$"""{"item":{{{Deep(10_000)}}}}""")));
        Add("admin-records-merge-nul-ids", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records/merge", Utf8("{\"item\":[{\"mergeIdToKeep\":\"a\\u0000\",\"mergeIdToDelete\":\"\\u0000\"}]}")));
        Add("admin-records-merge-lone-surrogate-ids", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records/merge", Utf8("{\"item\":[{\"mergeIdToKeep\":\"\\ud800\",\"mergeIdToDelete\":\"\\udc00\"}]}")));
        Add("admin-records-merge-sql-table", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/records/merge", Utf8("{\"site; DROP TABLE site;--\":[{\"mergeIdToKeep\":\"a\",\"mergeIdToDelete\":\"b\"}]}")));
        foreach (var (name, path) in new[]
        {
            ("sqlite-master", "/api/records/sqlite_master/x"), ("dot-dot", "/api/records/..%2Fsite/1"), ("nul-id", "/api/records/item/%00"),
            ("lone-surrogate-id", "/api/records/item/%ED%A0%80"), ("invalid-utf8-id", "/api/records/item/%FF%FE"), ("huge-id", "/api/records/item/" + Huge),
            ("sql-table", "/api/records/site;%20DROP%20TABLE%20site;--/1"),
        })
        {
            // Kestrel itself refuses %00 in a path and a request line over 8 KB.
            Add($"admin-get-record-{name}", name is "nul-id" or "huge-id" ? HostileKind.Protocol : HostileKind.Request, (c, t) => Admin(c, "GET", path, null));
        }

        // ---- admin: sites, stores, users, support ----
        foreach (var (name, json) in new[]
        {
            ("nul-name", "{\"name\":\"x\\u0000\",\"password\":\"long-enough-1\"}"), ("lone-surrogate-name", "{\"name\":\"x\\ud800\",\"password\":\"long-enough-1\"}"),
            ("huge-name", $"{{\"name\":\"{Huge}\",\"password\":\"long-enough-1\"}}"), ("huge-code", $"{{\"name\":\"TOKEN\",\"code\":\"{Huge}\",\"password\":\"long-enough-1\"}}"),
            ("nul-code", "{\"name\":\"TOKEN\",\"code\":\"\\u0000\",\"password\":\"long-enough-1\"}"),
            ("nul-store-id", "{\"name\":\"TOKEN\",\"password\":\"long-enough-1\",\"storeIds\":[\"\\u0000\"]}"),
            ("lone-surrogate-store-id", "{\"name\":\"TOKEN\",\"password\":\"long-enough-1\",\"storeIds\":[\"\\ud800\"]}"),
            ("number-store-id", "{\"name\":\"TOKEN\",\"password\":\"long-enough-1\",\"storeIds\":[1e400]}"),
            ("nul-funder", "{\"name\":\"TOKEN\",\"password\":\"long-enough-1\",\"funderName\":\"\\u0000\"}"),
            ("nul-url", "{\"name\":\"TOKEN\",\"password\":\"long-enough-1\",\"isOmSupplyCentralServer\":true,\"omSupplyCentralServerUrl\":\"http://x/\\u0000\"}"),
            ("whitespace-name", "{\"name\":\"   \",\"password\":\"long-enough-1\"}"), ("deep", DeepObject(10_000)),
        })
        {
            Add($"admin-create-site-{name}", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/sites", Utf8(json.Replace("TOKEN", t, StringComparison.Ordinal))));
            if (name is "nul-name" or "lone-surrogate-name" or "huge-name" or "nul-code" or "nul-store-id" or "whitespace-name")
            {
                Add($"admin-update-site-{name}", HostileKind.Request, (c, t) => Admin(c, "PUT", $"/api/sites/{c.DecoySiteId}",
                    Utf8(json.Replace("TOKEN", t, StringComparison.Ordinal).Replace("\"password\":\"long-enough-1\"", "\"storeIds\":[]", StringComparison.Ordinal))));
            }
        }
        Add("admin-create-site-invalid-utf8", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/sites", Concat(Utf8("{\"name\":\"x"), [0xff], Utf8("\",\"password\":\"long-enough-1\"}"))));
        Add("admin-create-site-oversized-40mb", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/sites", Oversized($"{{\"name\":\"{t}\",\"password\":\"long-enough-1\",\"code\":\"", "\"}")));
        Add("admin-site-logs-nul-search", HostileKind.Request, (c, t) => Admin(c, "GET", $"/api/sites/{c.TargetSiteId}/logs?search=%00", null));
        Add("admin-site-logs-lone-surrogate-search", HostileKind.Request, (c, t) => Admin(c, "GET", $"/api/sites/{c.TargetSiteId}/logs?search=%ED%A0%80&level=%00", null));
        Add("admin-site-logs-huge-from", HostileKind.Request, (c, t) => Admin(c, "GET", $"/api/sites/{c.TargetSiteId}/logs?from=99999-99-99&to=1e400", null));
        Add("admin-sites-nul-search", HostileKind.Request, (c, t) => Admin(c, "GET", "/api/sites?search=%00", null));
        Add("admin-sites-invalid-utf8-search", HostileKind.Request, (c, t) => Admin(c, "GET", "/api/sites?search=%FF%FE", null));
        Add("admin-site-id-2-pow-64", HostileKind.Request, (c, t) => Admin(c, "GET", "/api/sites/18446744073709551616", null));
        Add("admin-reset-hardware-id-huge", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/sites/99999999999/reset-hardware-id", null));
        foreach (var (name, json) in new[]
        {
            ("nul-code", "{\"code\":\"TOKEN\\u0000\",\"name\":\"Store\"}"), ("lone-surrogate-name", "{\"code\":\"TOKEN\",\"name\":\"\\ud800\"}"),
            ("huge-code", $"{{\"code\":\"{Huge}\",\"name\":\"TOKEN\"}}"), ("empty-code", "{\"code\":\"\",\"name\":\"TOKEN\"}"),
        })
        {
            Add($"admin-create-store-{name}", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/stores", Utf8(json.Replace("TOKEN", t, StringComparison.Ordinal))));
        }
        foreach (var (name, json) in new[]
        {
            ("nul-username", "{\"username\":\"TOKEN\\u0000\",\"password\":\"long-enough-1\",\"permissions\":[]}"),
            ("lone-surrogate-username", "{\"username\":\"TOKEN\\ud800\",\"password\":\"long-enough-1\",\"permissions\":[]}"),
            ("huge-username", $"{{\"username\":\"{Huge}\",\"password\":\"long-enough-1\",\"permissions\":[]}}"),
            ("nul-permission", "{\"username\":\"TOKEN\",\"password\":\"long-enough-1\",\"permissions\":[\"editSyncSettings\\u0000\"]}"),
            ("colon-username", "{\"username\":\"TOKEN:x\",\"password\":\"long-enough-1\",\"permissions\":[]}"),
        })
        {
            Add($"admin-create-user-{name}", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/users", Utf8(json.Replace("TOKEN", t, StringComparison.Ordinal))));
        }
        Add("admin-update-user-nul-path", HostileKind.Protocol, (c, t) => Admin(c, "PUT", "/api/users/admin%00", Utf8("{\"username\":\"admin\",\"permissions\":[]}")));
        Add("admin-get-user-lone-surrogate-path", HostileKind.Request, (c, t) => Admin(c, "GET", "/api/users/%ED%A0%80", null));
        foreach (var (name, json) in new[]
        {
            ("nul-funder", "[{\"funderName\":\"TOKEN\\u0000\",\"siteName\":\"x\"}]"), ("lone-surrogate-site", "[{\"funderName\":\"TOKEN\",\"siteName\":\"\\ud800\"}]"),
            ("licensed-users-1e400", "[{\"funderName\":\"TOKEN\",\"siteName\":\"x\",\"licensedUsers\":1e400}]"),
            ("licensed-users-2-pow-64", "[{\"funderName\":\"TOKEN\",\"siteName\":\"x\",\"licensedUsers\":18446744073709551616}]"),
            ("huge-funder", $"[{{\"funderName\":\"{Huge}\",\"siteName\":\"TOKEN\"}}]"), ("deep", Deep(10_000)),
        })
        {
            Add($"admin-import-contracts-{name}", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/support/contracts", Utf8(json.Replace("TOKEN", t, StringComparison.Ordinal))));
        }
        Add("admin-import-contracts-csv-nul", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/support/contracts",
            Utf8($"funderName,siteName,licenseCode,licensedUsers,supportStart,supportEnd\n{t}\0,x,,,,\n"), "text/csv"));
        Add("admin-import-contracts-csv-invalid-utf8", HostileKind.Request, (c, t) => Admin(c, "POST", "/api/support/contracts",
            Concat(Utf8($"funderName,siteName,licenseCode,licensedUsers,supportStart,supportEnd\n{t}"), [0xff, 0xfe], Utf8(",x,,99999999999999999999,9999-99-99,\n")), "text/csv"));
        Add("admin-funders-nul-search", HostileKind.Request, (c, t) => Admin(c, "GET", "/api/support/funders?search=%00", null));

        // ---- admin authentication (Basic) and the login form ----
        foreach (var (name, user) in new[] { ("nul-user", "admin\0"), ("nul-only-user", "\0"), ("huge-user", Huge), ("sql-user", "admin' --") })
        {
            Add($"admin-basic-{name}", HostileKind.Request, (c, t) => RawHttp.Request("GET", "/api/sites", [("Authorization", Utf8("Basic " + Convert.ToBase64String(Utf8(user + ":x"))))], null));
        }
        Add("admin-basic-invalid-utf8-user", HostileKind.Request, (c, t) => RawHttp.Request("GET", "/api/sites",
            [("Authorization", Utf8("Basic " + Convert.ToBase64String(Concat([0xff, 0xed, 0xa0, 0x80], Utf8(":x")))))], null));
        Add("admin-basic-not-base64", HostileKind.Request, (c, t) => RawHttp.Request("GET", "/api/sites", [("Authorization", Utf8("Basic %%%"))], null));
        Add("admin-basic-no-colon", HostileKind.Request, (c, t) => RawHttp.Request("GET", "/api/sites", [("Authorization", Utf8("Basic " + Convert.ToBase64String(Utf8("admin"))))], null));
        Add("admin-basic-10kb", HostileKind.Request, (c, t) => RawHttp.Request("POST", "/api/records", [("Authorization", Utf8("Basic " + Huge))], Utf8("{}")));
        foreach (var (name, form) in new[]
        {
            ("nul-username", "Input.Username=admin%00&Input.Password=x&_handler=login"), ("lone-surrogate-username", "Input.Username=%ED%A0%80&Input.Password=x&_handler=login"),
            ("invalid-utf8-username", "Input.Username=%FF%FE&Input.Password=x&_handler=login"), ("huge-username", $"Input.Username={Huge}&Input.Password=x&_handler=login"),
            ("no-antiforgery", "Input.Username=admin&Input.Password=admin-password-for-tests&_handler=login"),
        })
        {
            Add($"login-{name}", HostileKind.Request, (c, t) => RawHttp.Request("POST", "/login",
                [("Content-Type", Utf8("application/x-www-form-urlencoded")), .. name == "no-antiforgery" ? [] : new[] { ("Cookie", Utf8(c.LoginCookie)) }],
                Utf8(name == "no-antiforgery" ? form : form + "&__RequestVerificationToken=" + Uri.EscapeDataString(c.LoginToken))));
        }
        Add("login-oversized-40mb", HostileKind.Request, (c, t) => RawHttp.Request("POST", "/login", [("Content-Type", Utf8("application/x-www-form-urlencoded"))],
            Oversized("Input.Username=", "&Input.Password=x")));
        Add("login-json-body", HostileKind.Request, (c, t) => RawHttp.Request("POST", "/login", [("Content-Type", Utf8("application/json"))], Utf8(DeepObject(10_000))));

        // ---- body and content type against the rest of the sync API ----
        Add("v5-initialise-oversized-40mb", HostileKind.Request, (c, t) => V5(c, "POST", "/sync/v5/initialise", Oversized("{\"x\":\"", "\"}"), SyncHeaders(c, version: "1")));
        Add("v5-site-post-method", HostileKind.Request, (c, t) => V5(c, "POST", "/sync/v5/site", Utf8("{}")));
        Add("v5-unknown-endpoint", HostileKind.Request, (c, t) => V5(c, "GET", "/sync/v5/" + Huge[..100], null));
        return cases;
    }
}

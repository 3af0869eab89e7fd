using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Sync;

/// <summary>Text the database cannot store (U+0000, unpaired surrogates, bytes that are not UTF-8) is bad input: a 4xx with a
/// reason wherever it arrives, never a 500, and nothing written (issue 8).</summary>
public sealed class UnstorableTextTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly byte[] NotUtf8 = [0xff, 0xfe];

    /// <summary>The device the site's own client uses, so a request that authenticates does not bind the site to another one.</summary>
    private const string HardwareId = "0123456789abcdef0123456789abcdef";

    public static TheoryData<Engine, string> Cases()
    {
        var data = new TheoryData<Engine, string>();
        string[] cases =
        [
            "records: lone surrogate id", "records: lone surrogate property name", "records: NUL in a value", "records: bytes that are not UTF-8",
            "records delete: NUL id", "records get: NUL id", "records merge: NUL id", "users: NUL in a new user name",
            "admin basic: NUL in the user name", "sync basic: NUL in the site name", "sync: hardware id of 10,000 characters",
            "sync: NUL in the hardware id via v6", "v6: NUL in the user name", "v6: NUL in a pushed table name", "push: bytes that are not UTF-8",
            "sites: NUL in the site code",
        ];
        foreach (var engine in new[] { Engine.Sqlite, Engine.Postgres })
        {
            foreach (var name in cases)
            {
                data.Add(engine, name);
            }
        }
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public async Task UnstorableTextIsRefusedWithAReasonAndNothingIsWritten(Engine engine, string name)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (_, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        await SyncScenario.AddItemsAsync(central, 2);
        using var client = SyncScenario.Client(central, "clinic");
        await client.SyncAsync(); // Binds the site to its device, as it is in real life before anyone attacks it.
        var before = await CountsAsync(central);
        var hex = OmsTestClient.Sha256Hex(SyncScenario.SitePassword);
        var v6Settings = (string user, string uuid) =>
            $$"""{"serverUrl":"x","username":"{{user}}","passwordSha256":"{{hex}}","siteUuid":"{{uuid}}","appVersion":"2.20.0","appName":"Open mSupply Desktop","syncVersion":"14"}""";

        using var request = name switch
        {
            "records: lone surrogate id" => Admin(HttpMethod.Post, "api/records", """{"item":[{"ID":"\ud800"}]}"""),
            "records: lone surrogate property name" => Admin(HttpMethod.Post, "api/records", """{"item":[{"ID":"x","\udc00":1}]}"""),
            "records: NUL in a value" => Admin(HttpMethod.Post, "api/records", """{"item":[{"ID":"x","item_name":"a\u0000b"}]}"""),
            "records: bytes that are not UTF-8" => Admin(HttpMethod.Post, "api/records", (byte[])[.. "{\"item\":[{\"ID\":\""u8, .. NotUtf8, .. "\"}]}"u8]),
            "records delete: NUL id" => Admin(HttpMethod.Post, "api/records/delete", """{"item":["item-\u0000"]}"""),
            "records get: NUL id" => Admin(HttpMethod.Get, "api/records/item/item-%00", null),
            "records merge: NUL id" => Admin(HttpMethod.Post, "api/records/merge", """{"item":[{"mergeIdToKeep":"item-000000","mergeIdToDelete":"\u0000"}]}"""),
            "users: NUL in a new user name" => Admin(HttpMethod.Post, "api/users", """{"username":"a\u0000b","password":"long-enough-1","permissions":[]}"""),
            "admin basic: NUL in the user name" => WithBasic(new HttpRequestMessage(HttpMethod.Get, "api/sites"), "adm\0in", CentralFactory.AdminPassword),
            "sync basic: NUL in the site name" => Sync(WithBasic(new HttpRequestMessage(HttpMethod.Get, "sync/v5/site"), "cli\0nic", hex), HardwareId),
            "sync: hardware id of 10,000 characters" => Sync(WithBasic(new HttpRequestMessage(HttpMethod.Get, "sync/v5/site"), "clinic", hex), new string('h', 10_000)),
            "sync: NUL in the hardware id via v6" => Json(HttpMethod.Post, "central/sync/site_status", $$"""{"syncV5Settings":{{v6Settings("clinic", "hw\\u0000")}},"syncV6Version":5}"""),
            "v6: NUL in the user name" => Json(HttpMethod.Post, "central/sync/site_status", $$"""{"syncV5Settings":{{v6Settings("cli\\u0000nic", HardwareId)}},"syncV6Version":5}"""),
            "v6: NUL in a pushed table name" => Json(HttpMethod.Post, "central/sync/push",
                """{"batch":{"end_cursor":1,"total_records":1,"records":[{"cursor":1,"record":{"tableName":"vacc\u0000ination","recordId":"r1","action":"UPSERT","recordData":{}}}],"is_last_batch":true},"syncV5Settings":"""
                + v6Settings("clinic", HardwareId) + ""","syncV6Version":5}"""),
            "push: bytes that are not UTF-8" => Sync(WithBasic(Raw(HttpMethod.Post, "sync/v5/queued_records",
                [.. "{\"queueLength\":1,\"data\":[{\"syncOutId\":\"1\",\"tableName\":\"transact\",\"recordId\":\"t1\",\"action\":\"Update\",\"recordData\":{\"ID\":\"t1\",\"store_ID\":\""u8, .. NotUtf8, .. "\"}}]}"u8]), "clinic", hex), HardwareId),
            "sites: NUL in the site code" => Admin(HttpMethod.Put, $"api/sites/{site.Id}", $$"""{"code":"a\u0000","name":"clinic","storeIds":["{{site.Stores[0].Id}}"]}"""),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        using var http = new HttpClient { BaseAddress = central.BaseAddress };
        using var response = await http.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        var status = (int)response.StatusCode;
        var isV6 = name.Contains("v6", StringComparison.Ordinal);
        Assert.True(isV6 ? status == 200 : status is >= 400 and < 500, $"{name}: {status} {body}");
        if (isV6)
        {
            // v6 answers every refusal with HTTP 200 and an error body; the push of an unknown table is logged, not stored.
            Assert.True(body.Contains("\"error\"", StringComparison.Ordinal) || name == "v6: NUL in a pushed table name", body);
        }
        else if (name != "admin basic: NUL in the user name" && name != "records get: NUL id")
        {
            Assert.True(body.Length > 0, $"{name}: {status} without a reason");
        }
        Assert.Equal(before, await CountsAsync(central));
        // Central still works for everyone else.
        await client.SyncAsync();

        HttpRequestMessage Admin(HttpMethod method, string path, object? body) =>
            WithBasic(body is byte[] bytes ? Raw(method, path, bytes) : body is string text ? Json(method, path, text) : new HttpRequestMessage(method, path),
                "admin", CentralFactory.AdminPassword);
    }

    private static HttpRequestMessage Json(HttpMethod method, string path, string body) =>
        new(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static HttpRequestMessage Raw(HttpMethod method, string path, byte[] body)
    {
        var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return request;
    }

    private static HttpRequestMessage WithBasic(HttpRequestMessage request, string user, string secret)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));
        return request;
    }

    private static HttpRequestMessage Sync(HttpRequestMessage request, string hardwareId)
    {
        request.Headers.TryAddWithoutValidation("msupply-site-uuid", hardwareId);
        request.Headers.TryAddWithoutValidation("app-name", "Open mSupply Desktop");
        request.Headers.TryAddWithoutValidation("app-version", "2.20.0");
        request.Headers.TryAddWithoutValidation("version", "14");
        return request;
    }

    private static Task<(int Records, int ChangeLog, int Users, int Buffered, string Code, string? HardwareId)> CountsAsync(TestCentral central) =>
        central.QueryAsync(async db => (
            await db.Records.CountAsync(Ct), await db.ChangeLog.CountAsync(Ct), await db.Users.CountAsync(Ct), await db.PushBuffer.CountAsync(Ct),
            await db.Sites.Where(s => s.Name == "clinic").Select(s => s.Code).FirstAsync(Ct),
            await db.Sites.Where(s => s.Name == "clinic").Select(s => s.HardwareId).FirstAsync(Ct)));
}

using System.Net;
using System.Text;
using SiteSync.IntegrationTests.Support;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Admin;

/// <summary>Bad input gets a 4xx ProblemDetails with a reason and a code, never a 500, and changes nothing.</summary>
public sealed class BadInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<Engine, string, string, string, int> Requests()
    {
        var data = new TheoryData<Engine, string, string, string, int>();
        (string Method, string Path, string Body, int Status)[] cases =
        [
            ("POST", "api/sites", "{}", 400),
            ("POST", "api/sites", """{"name":"x"}""", 400),
            ("POST", "api/sites", """{"name":"x","password":"short"}""", 400),
            ("POST", "api/sites", """{"name":"a:b","password":"long-enough-1"}""", 400),
            ("POST", "api/sites", """{"name":"x","password":"long-enough-1","storeIds":5}""", 400),
            ("POST", "api/sites", """{"name":"x","password":"long-enough-1","type":"laptop"}""", 400),
            ("POST", "api/sites", """{"name":"x","password":"long-enough-1","isOmSupplyCentralServer":true,"omSupplyCentralServerUrl":"not a url"}""", 400),
            ("POST", "api/sites", "{\"name\":", 400),
            ("POST", "api/sites", """{"name":"x","name":"y","password":"long-enough-1"}""", 400),
            ("PUT", "api/sites/999", """{"name":"x"}""", 404),
            ("GET", "api/sites/999", "", 404),
            ("DELETE", "api/sites/999", "", 404),
            ("POST", "api/sites/999/unblock", "", 404),
            ("GET", "api/sites/999/logs", "", 404),
            ("GET", "api/sites/1/logs?from=yesterday", "", 400),
            ("POST", "api/stores", """{"code":"S"}""", 400),
            ("POST", "api/records", """{"sqlite_master":[{"ID":"x"}]}""", 409),
            ("POST", "api/records", """{"item":[{"code":"no id"}]}""", 400),
            ("POST", "api/records", """{"item":{"ID":"not an array"}}""", 400),
            ("POST", "api/records", """{"name_store_join":[{"ID":"j","store_ID":"no-such-store"}]}""", 400),
            ("POST", "api/records", "[1,2,3]", 400),
            ("POST", "api/records/delete", """{"item":["never-existed"]}""", 404),
            ("GET", "api/records/item/never-existed", "", 404),
            ("POST", "api/users", """{"username":"u","password":"short","permissions":[]}""", 400),
            ("POST", "api/users", """{"username":"u","password":"long-enough-1","permissions":["root"]}""", 400),
            ("POST", "api/support/contracts", """[{"funderName":"","siteName":"x"}]""", 400),
        ];
        foreach (var engine in new[] { Engine.Sqlite, Engine.Postgres })
        {
            foreach (var (method, path, body, status) in cases)
            {
                data.Add(engine, method, path, body, status);
            }
        }
        return data;
    }

    [Theory, MemberData(nameof(Requests))]
    public async Task BadRequestsAreRefusedWithAReasonAndACode(Engine engine, string method, string path, string body, int status)
    {
        await using var central = await TestCentral.StartAsync(engine);
        // A store and an item exist, so a bad call that wrote a record, a site, a log line or a queue row would show.
        await central.Admin.CreateStoreAsync("S0", "Store zero");
        await central.Admin.UpsertRecordsAsync("""{"item":[{"ID":"existing-item","code":"E1"}]}""");
        var before = await DatabaseState.ReadAsync(central);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body.Length > 0)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await central.Admin.Http.SendAsync(request, Ct);
        var problem = await AdminClient.ProblemAsync(response);

        Assert.Equal(status, problem.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Title), problem.Body);
        Assert.False(string.IsNullOrWhiteSpace(problem.Code), problem.Body);
        Assert.Equal(before, await DatabaseState.ReadAsync(central));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task AnOversizedBodyIsRefusedWith413(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/records")
        {
            Content = new StringContent("{\"unit\":[{\"ID\":\"u\",\"pad\":\"" + new string('x', 31_000_000) + "\"}]}", Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;

        using var response = await central.Admin.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("body_too_large", (await AdminClient.ProblemAsync(response)).Code);
        Assert.Null(await central.Admin.GetRecordAsync("unit", "u"));
    }
}

using System.Text.Json.Nodes;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Routing;

/// <summary>routing.md §3.4 over real HTTP: an Open mSupply site searches central for a patient registered at another site
/// (<c>GET /api/v4/patient</c>) and links it to its own store (<c>POST /api/v4/name_store_join</c>), with its sync
/// credentials as HTTP Basic and no other header; the patient then arrives through the v5 queue.</summary>
public sealed class PatientV4Tests
{
    private static JsonObject Patient(string id, string homeStore, string first, string last, string born) => RoutingWorld.Record("name", id, new()
    {
        ["type"] = "patient", ["first"] = first, ["last"] = last, ["name"] = $"{last}, {first}", ["code"] = $"code-{id}",
        ["date_of_birth"] = born, ["supplying_store_id"] = homeStore, ["phone"] = "555-1", ["email"] = "",
    });

    private static JsonObject NameStoreJoin(string id, string nameId, string storeId) =>
        RoutingWorld.Record("name_store_join", id, new() { ["name_ID"] = nameId, ["store_ID"] = storeId, ["inactive"] = false });

    /// <summary>North registers two patients (Ana Lima with an insurance join and a document, Bruno Costa) and pushes them.</summary>
    private static async Task<RoutingWorld> TwoClinicsAsync(Engine engine)
    {
        var world = await RoutingWorld.StartAsync(engine, "north", "south");
        var north = world["north"];
        var store = world.Stores["north"].Id;
        north.Edit("name", "P1", Patient("P1", store, "Ana", "Lima", "1990-04-02"));
        north.Edit("name_store_join", "J1", NameStoreJoin("J1", "P1", store));
        north.Edit("nameInsuranceJoin", "I1", RoutingWorld.Record("nameInsuranceJoin", "I1", new() { ["nameID"] = "P1", ["policyNumber"] = "X-1" }));
        north.Edit("om_document", "D1", RoutingWorld.Record("om_document", "D1", new() { ["owner_name_ID"] = "P1", ["status"] = "ACTIVE" }));
        north.Edit("name", "P2", Patient("P2", store, "Bruno", "Costa", "0000-00-00"));
        north.Edit("name_store_join", "J2", NameStoreJoin("J2", "P2", store));
        await north.SyncAsync();
        return world;
    }

    private static JsonArray Json(SyncResponse response) => JsonNode.Parse(response.Body)!.AsArray();

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ASiteFindsAPatientOfAnotherSiteByTheLegacyWildcardsWithItsSyncCredentialsOnly(Engine engine)
    {
        await using var world = await TwoClinicsAsync(engine);
        var south = world["south"];

        var found = await south.SendV4Async(HttpMethod.Get, "/api/v4/patient?first_name=@NA@&last_name=@lim@&is_deleted=false");

        Assert.True(found.Status == 200, $"{found.Status} {found.Body}");
        var patient = Assert.Single(Json(found))!.AsObject();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"ID":"P1","name":"Lima, Ana","phone":"555-1","email":"","code":"code-P1","last":"Lima","first":"Ana","date_of_birth":"1990-04-02T00:00:00"}
            """), patient), patient.ToJsonString());
        Assert.Equal("P1", Assert.Single(Json(await south.SendV4Async(HttpMethod.Get, "/api/v4/patient?dob=1990-04-02")))!["ID"]!.GetValue<string>());
        var bruno = Assert.Single(Json(await south.SendV4Async(HttpMethod.Get, "/api/v4/patient?code=CODE-P2")))!;
        Assert.Equal("0000-00-00T00:00:00", bruno["date_of_birth"]!.GetValue<string>());
        Assert.Equal(2, Json(await south.SendV4Async(HttpMethod.Get, "/api/v4/patient?first_name=@")).Count);
        Assert.Empty(Json(await south.SendV4Async(HttpMethod.Get, "/api/v4/patient?first_name=An"))); // no wildcard: the whole field
        Assert.Empty(Json(await south.SendV4Async(HttpMethod.Get, "/api/v4/patient?first_name=@na@&is_deleted=true")));
        Assert.Equal("P2", Assert.Single(Json(await south.SendV4Async(HttpMethod.Get, "/api/v4/patient?limit=1&offset=1")))!["ID"]!.GetValue<string>());

        // A store's name is not a patient.
        Assert.Empty(Json(await south.SendV4Async(HttpMethod.Get, $"/api/v4/patient?first_name=@{world.Stores["north"].Code}@")));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task LinkingAPatientToTheSitesStoreQueuesTheWholePatientToThatSiteOnceAndAnswersTheJoin(Engine engine)
    {
        await using var world = await TwoClinicsAsync(engine);
        var south = world["south"];
        var southStore = world.Stores["south"].Id;
        var body = new JsonObject { ["name_ID"] = "P1", ["store_ID"] = southStore }.ToJsonString();

        var linked = await south.SendV4Async(HttpMethod.Post, "/api/v4/name_store_join", body);

        Assert.Equal(200, linked.Status);
        var join = JsonNode.Parse(linked.Body)!.AsObject();
        Assert.Equal("P1", join["name_ID"]!.GetValue<string>());
        Assert.Equal(southStore, join["store_ID"]!.GetValue<string>());
        Assert.False(join["inactive"]!.GetValue<bool>());
        var joinId = join["ID"]!.GetValue<string>();

        // Asking again returns the same join and writes nothing new.
        var again = await south.SendV4Async(HttpMethod.Post, "/api/v4/name_store_join", body);
        Assert.Equal(joinId, JsonNode.Parse(again.Body)!["ID"]!.GetValue<string>());

        south.Received.Clear();
        await south.SyncAsync();
        Assert.True(south.Records.ContainsKey(("name", "P1")));
        Assert.True(south.Records.ContainsKey(("nameInsuranceJoin", "I1")));
        Assert.True(south.Records.ContainsKey(("om_document", "D1")));
        Assert.Equal(southStore, south.Records[("name_store_join", joinId)]["store_ID"]!.GetValue<string>());
        Assert.Single(south.Received, r => r.Table == "name_store_join");
        Assert.DoesNotContain(south.Received, r => r.Id == "P2"); // only the patient linked
        Assert.Contains(await world.Central.Admin.LogsAsync(world.Sites["south"].Id), l => l.Event == "patient_linked");

        // The patient is now visible on both sites: north's next edit reaches south.
        var edited = Patient("P1", world.Stores["north"].Id, "Ana Maria", "Lima", "1990-04-02");
        world["north"].Edit("name", "P1", edited);
        await world["north"].SyncAsync();
        await south.SyncAsync();
        Assert.Equal("Ana Maria", south.Records[("name", "P1")]["first"]!.GetValue<string>());
    }

    /// <summary>Right after the v4 link, the client calls <c>POST /central/name-store-join</c> on its Open mSupply central
    /// URL (SiteSync's own) with the join and its credentials in the body, and fails the link unless it answers 200.</summary>
    [Theory, ClassData(typeof(BothEngines))]
    public async Task TheV6TwinOfTheLinkAnswers200ForTheSitesOwnJoinAndRefusesBadCredentialsAndOtherSitesJoins(Engine engine)
    {
        await using var world = await TwoClinicsAsync(engine);
        var south = world["south"];
        var southStore = world.Stores["south"].Id;
        var linked = JsonNode.Parse((await south.SendV4Async(HttpMethod.Post, "/api/v4/name_store_join",
            new JsonObject { ["name_ID"] = "P1", ["store_ID"] = southStore }.ToJsonString())).Body)!;
        string Body(string id, string nameId, string storeId, string password) => new JsonObject
        {
            ["id"] = id, ["nameId"] = nameId, ["storeId"] = storeId,
            ["syncV5Settings"] = new JsonObject
            {
                ["serverUrl"] = world.Central.BaseAddress.ToString(), ["username"] = south.SiteName, ["passwordSha256"] = OmsTestClient.Sha256Hex(password),
                ["siteUuid"] = south.HardwareId, ["appVersion"] = south.AppVersion, ["appName"] = south.AppName, ["syncVersion"] = south.Version,
            },
        }.ToJsonString();
        const string password = SyncScenario.SitePassword;
        var twin = await south.SendV4Async(HttpMethod.Post, "/central/name-store-join", Body(linked["ID"]!.GetValue<string>(), "P1", southStore, password));
        Assert.True(twin.Status == 200, $"{twin.Status} {twin.Body}");

        Assert.Equal(401, (await south.SendV4Async(HttpMethod.Post, "/central/name-store-join", Body("x", "P1", southStore, "wrong"))).Status);
        Assert.Equal(400, (await south.SendV4Async(HttpMethod.Post, "/central/name-store-join", "{\"nameId\":\"P1\"}")).Status);
        // Naming north's own join J1 for the south store must not re-point it.
        Assert.Equal(200, (await south.SendV4Async(HttpMethod.Post, "/central/name-store-join", Body("J2", "P2", southStore, password))).Status);
        var joins = await world.Central.QueryAsync(db => Task.FromResult(db.Records.Where(r => r.TableName == "name_store_join").Select(r => new { r.RecordId, r.StoreId }).ToList()));
        Assert.Equal(world.Stores["north"].Id, joins.Single(j => j.RecordId == "J2").StoreId);
        Assert.Contains(joins, j => j.StoreId == southStore && j.RecordId != linked["ID"]!.GetValue<string>());
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task TheV4CallsRefuseWrongCredentialsOtherSitesStoresUnknownPatientsAndMalformedInputWithoutWriting(Engine engine)
    {
        await using var world = await TwoClinicsAsync(engine);
        var south = world["south"];
        var northStore = world.Stores["north"].Id;
        var southStore = world.Stores["south"].Id;

        Assert.Equal(403, (await south.SendV4Async(HttpMethod.Post, "/api/v4/name_store_join",
            new JsonObject { ["name_ID"] = "P1", ["store_ID"] = northStore }.ToJsonString())).Status);
        Assert.Equal(404, (await south.SendV4Async(HttpMethod.Post, "/api/v4/name_store_join",
            new JsonObject { ["name_ID"] = "nobody", ["store_ID"] = southStore }.ToJsonString())).Status);
        // A store's own name is a name, not a patient.
        Assert.Equal(404, (await south.SendV4Async(HttpMethod.Post, "/api/v4/name_store_join",
            new JsonObject { ["name_ID"] = world.Stores["north"].NameId, ["store_ID"] = southStore }.ToJsonString())).Status);
        foreach (var bad in new[] { "", "[]", "{\"name_ID\":\"P1\"}", "{\"name_ID\":1,\"store_ID\":\"s\"}", "{\"name_ID\":\"P\\u0000\",\"store_ID\":\"s\"}",
            "{\"name_ID\":\"\\ud800\",\"store_ID\":\"s\"}", "{\"name_ID\":\"P1\",\"name_ID\":\"P2\",\"store_ID\":\"s\"}" })
        {
            var refused = await south.SendV4Async(HttpMethod.Post, "/api/v4/name_store_join", bad);
            Assert.True(refused.Status == 400, $"{bad} → {refused.Status} {refused.Body}");
        }
        foreach (var query in new[] { "dob=2020-13-01", "limit=0", "limit=5000", "offset=-1", "is_deleted=maybe", "first_name=%00", "policy_number=X-1" })
        {
            var refused = await south.SendV4Async(HttpMethod.Get, $"/api/v4/patient?{query}");
            Assert.True(refused.Status == 400, $"{query} → {refused.Status} {refused.Body}");
        }

        var intruder = new OmsTestClient(world.Central.BaseAddress, south.SiteName, "wrong password");
        Assert.Equal(401, (await intruder.SendV4Async(HttpMethod.Get, "/api/v4/patient?first_name=@a@")).Status);
        Assert.Equal(401, (await intruder.SendV4Async(HttpMethod.Post, "/api/v4/name_store_join",
            new JsonObject { ["name_ID"] = "P1", ["store_ID"] = southStore }.ToJsonString())).Status);
        intruder.Dispose();

        south.Received.Clear();
        await south.SyncAsync();
        Assert.DoesNotContain(south.Received, r => r.Table is "name" or "name_store_join");
    }
}

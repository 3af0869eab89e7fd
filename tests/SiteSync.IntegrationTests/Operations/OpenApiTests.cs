using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SiteSync.Protocol.Sync;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Operations;

/// <summary><c>/openapi/v1.json</c> describes the admin API: every route the server maps under <c>/api</c>, with every
/// response the endpoint declares and the schema of its body.</summary>
public sealed class OpenApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryAdminRouteAndItsResponseShapesAreInTheDocument()
    {
        await using var central = await TestCentral.StartAsync(Engine.Sqlite);
        using var http = central.Factory.CreateHttpClient();

        using var document = JsonDocument.Parse(await http.GetStringAsync("openapi/v1.json", Ct));

        var paths = document.RootElement.GetProperty("paths");
        var routes = central.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal)
                && !e.RoutePattern.RawText.StartsWith(PatientV4Routes.Prefix + "/", StringComparison.Ordinal)).ToList();
        Assert.True(routes.Count >= 21, $"{routes.Count} admin routes");
        foreach (var route in routes)
        {
            var path = System.Text.RegularExpressions.Regex.Replace(route.RoutePattern.RawText!, ":[a-z]+}", "}");
            foreach (var method in route.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods)
            {
                var operation = paths.TryGetProperty(path, out var item) && item.TryGetProperty(method.ToLowerInvariant(), out var found)
                    ? found
                    : throw new Xunit.Sdk.XunitException($"{method} {path} is not in the document");
                var responses = operation.GetProperty("responses");
                foreach (var produced in route.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>())
                {
                    var status = produced.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    Assert.True(responses.TryGetProperty(status, out var response), $"{method} {path}: no {status} response");
                    var type = produced.Type is { } t && t != typeof(void) ? ElementType(t) : null;
                    if (type is not null && type != typeof(JsonElement))
                    {
                        var schema = response.GetProperty("content").EnumerateObject().Single().Value.GetProperty("schema").GetRawText();
                        Assert.Contains(type == typeof(string) ? "\"string\"" : $"#/components/schemas/{type.Name}\"", schema, StringComparison.Ordinal);
                    }
                }
            }
        }
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("Site").GetProperty("properties").TryGetProperty("omSupplyCentralServerUrl", out _));
        Assert.True(paths.GetProperty("/api/sites/{id}").GetProperty("delete").GetProperty("responses").TryGetProperty("409", out _));
        Assert.False(paths.TryGetProperty("/sync/v5/site", out _), "the sync API is the mSupply wire contract, not part of this document");
        Assert.False(paths.TryGetProperty(PatientV4Routes.Patient, out _), "the legacy v4 patient calls are wire contract too");
    }

    private static Type ElementType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0] : type;
}

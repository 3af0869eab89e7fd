using Microsoft.AspNetCore.Http.Metadata;

namespace SiteSync.Central.Admin;

public static class AdminApiDocument
{
    public const string DocumentName = "v1";
    public const string AdminTag = "Admin";

    /// <summary>The admin API's OpenAPI document (the sync API is the mSupply wire contract, documented in the reference, not
    /// here). Shapes come from the handlers' typed results and the protocol library's records.</summary>
    public static IHostApplicationBuilder AddAdminApiDocument(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(DocumentName, options =>
        {
            options.ShouldInclude = description =>
                description.ActionDescriptor.EndpointMetadata.OfType<ITagsMetadata>().Any(tags => tags.Tags.Contains(AdminTag));
            // Strings are read through StorableTextConverter, a custom converter the schema generator cannot see into.
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonTypeInfo.Type == typeof(string) && schema.Type is null)
                {
                    schema.Type = Microsoft.OpenApi.JsonSchemaType.String;
                }
                else if (context.JsonTypeInfo.ElementType == typeof(string) && schema.Items is null)
                {
                    schema.Items = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String };
                }
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "SiteSync central admin API";
                document.Info.Description =
                    "Sites, stores, central records, users and support contracts. Reads need a login; changes need the " +
                    "'Edit sync settings' permission and HTTP Basic. Errors are ProblemDetails with a stable 'code'.";
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary><c>GET /openapi/v1.json</c>, without a login (it describes the API, it holds no data).</summary>
    public static IEndpointRouteBuilder MapAdminApiDocument(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        return app;
    }
}

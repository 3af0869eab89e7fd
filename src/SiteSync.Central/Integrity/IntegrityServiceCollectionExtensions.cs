namespace SiteSync.Central.Integrity;

public static class IntegrityServiceCollectionExtensions
{
    /// <summary>The integrity audit (issue 8): digests of a site's records against central's copy.</summary>
    public static IHostApplicationBuilder AddIntegrityAudit(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<IntegrityService>();
        return builder;
    }
}

using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace SiteSync.Central.Hosting;

/// <summary>Which reverse proxies are trusted (<c>SiteSync:ForwardedHeaders</c>).</summary>
public sealed class ProxyOptions : IValidatableObject
{
    public const string SectionName = "SiteSync:ForwardedHeaders";

    /// <summary>Addresses of trusted proxies, besides the loopback network that is always trusted (a proxy on the same host).</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR form (<c>10.0.0.0/8</c>, <c>172.16.0.0/12</c> for container networks).</summary>
    public string[] KnownNetworks { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"{SectionName}:KnownProxies: '{proxy}' is not an IP address.", [nameof(KnownProxies)]);
        }
        foreach (var network in KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)))
        {
            yield return new ValidationResult(
                $"{SectionName}:KnownNetworks: '{network}' is not a CIDR network such as 10.0.0.0/8.", [nameof(KnownNetworks)]);
        }
    }
}

public static class ForwardedHeadersSetup
{
    /// <summary>Behind a reverse proxy: <c>X-Forwarded-For</c>, <c>-Proto</c>, <c>-Host</c> and <c>-Prefix</c> from a trusted proxy
    /// become the request's client address (rate limits, logs), scheme (secure cookies), host and path base (the
    /// <c>omSupplyCentralServerUrl</c> sent to remotes when <c>SiteSync:PublicUrl</c> is unset). From any other address the
    /// headers are ignored, so a client cannot forge them.</summary>
    public static IHostApplicationBuilder AddSiteSyncForwardedHeaders(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<ProxyOptions>(ProxyOptions.SectionName);
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((options, proxyOptions) =>
        {
            var proxies = proxyOptions.Value;
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto
                | ForwardedHeaders.XForwardedHost | ForwardedHeaders.XForwardedPrefix;
            foreach (var proxy in proxies.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }
            foreach (var network in proxies.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }
}

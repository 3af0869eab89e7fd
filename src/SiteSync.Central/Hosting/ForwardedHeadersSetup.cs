using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace SiteSync.Central.Hosting;

/// <summary>Which reverse proxies are trusted (<c>SiteSync:ForwardedHeaders</c>).</summary>
public sealed class ProxyOptions
{
    public const string SectionName = "SiteSync:ForwardedHeaders";

    /// <summary>Addresses of trusted proxies, besides the loopback network that is always trusted (a proxy on the same host).</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR form (<c>10.0.0.0/8</c>, <c>172.16.0.0/12</c> for container networks).</summary>
    public string[] KnownNetworks { get; set; } = [];
}

public static class ForwardedHeadersSetup
{
    /// <summary>Behind a reverse proxy: <c>X-Forwarded-For</c>, <c>-Proto</c>, <c>-Host</c> and <c>-Prefix</c> from a trusted proxy
    /// become the request's client address (rate limits, logs), scheme (secure cookies), host and path base (the
    /// <c>omSupplyCentralServerUrl</c> sent to remotes when <c>SiteSync:PublicUrl</c> is unset). From any other address the
    /// headers are ignored, so a client cannot forge them.</summary>
    public static IHostApplicationBuilder AddSiteSyncForwardedHeaders(this IHostApplicationBuilder builder)
    {
        var proxies = builder.Configuration.GetSection(ProxyOptions.SectionName).Get<ProxyOptions>() ?? new ProxyOptions();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto
                | ForwardedHeaders.XForwardedHost | ForwardedHeaders.XForwardedPrefix;
            foreach (var proxy in proxies.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address) ? address
                    : throw new InvalidOperationException($"{ProxyOptions.SectionName}:KnownProxies: '{proxy}' is not an IP address."));
            }
            foreach (var network in proxies.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed) ? parsed
                    : throw new InvalidOperationException($"{ProxyOptions.SectionName}:KnownNetworks: '{network}' is not a CIDR network such as 10.0.0.0/8."));
            }
        });
        return builder;
    }
}

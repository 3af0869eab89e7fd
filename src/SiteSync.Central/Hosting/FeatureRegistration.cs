using Microsoft.Extensions.Options;

namespace SiteSync.Central.Hosting;

/// <summary>Lets every feature's <c>AddXxx</c> call the features it depends on: the first call registers, later calls do
/// nothing, so a feature works on its own (a test host, a tool) and Program.cs can still name each feature once.</summary>
public static class FeatureRegistration
{
    /// <summary>True when <paramref name="feature"/> was registered before; otherwise marks it registered and answers false.</summary>
    public static bool IsRegistered(this IHostApplicationBuilder builder, string feature)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(Feature) && d.ImplementationInstance is Feature f
            && string.Equals(f.Name, feature, StringComparison.Ordinal)))
        {
            return true;
        }
        builder.Services.AddSingleton(new Feature(feature));
        return false;
    }

    /// <summary>A registered feature's name, kept in the service collection (never resolved).</summary>
    private sealed record Feature(string Name);

    /// <summary>Binds <typeparamref name="TOptions"/> from <paramref name="section"/> and checks its data annotations (and
    /// <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>) when the host starts, not at first use.</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IHostApplicationBuilder builder, string section)
        where TOptions : class =>
        builder.Services.AddOptions<TOptions>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
}

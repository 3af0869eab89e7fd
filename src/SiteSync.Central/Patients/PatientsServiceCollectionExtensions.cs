using SiteSync.Central.Hosting;
using SiteSync.Central.Sync;

namespace SiteSync.Central.Patients;

public static class PatientsServiceCollectionExtensions
{
    /// <summary>The legacy v4 patient search and link (routing.md §3.4) on top of the sync API's site authentication.</summary>
    public static IHostApplicationBuilder AddPatients(this IHostApplicationBuilder builder)
    {
        if (builder.IsRegistered(nameof(AddPatients)))
        {
            return builder;
        }
        builder.Services.AddScoped<PatientDirectory>();
        return builder.AddSync();
    }
}

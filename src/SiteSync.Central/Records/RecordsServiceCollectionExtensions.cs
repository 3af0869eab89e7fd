using SiteSync.Central.Hosting;
using SiteSync.Central.Storage;

namespace SiteSync.Central.Records;

public static class RecordsServiceCollectionExtensions
{
    /// <summary>Central's copy of every record: the record store every writer goes through, and the admin API's record service.</summary>
    public static IHostApplicationBuilder AddRecords(this IHostApplicationBuilder builder)
    {
        if (builder.IsRegistered(nameof(AddRecords)))
        {
            return builder;
        }
        builder.Services.AddScoped<RecordStore>();
        builder.Services.AddScoped<CentralRecordService>();
        return builder.AddSiteSyncStorage();
    }
}

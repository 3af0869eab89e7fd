using SiteSync.Central.Logs;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Logs;

/// <summary>The log tab's text search (rule 19) is narrowed in the database for ASCII text; what it finds is still exactly
/// .NET's case-insensitive substring match: LIKE wildcards in the text are literal, and non-ASCII text still matches.</summary>
public sealed class SiteLogSearchTests
{
    [Theory, ClassData(typeof(BothEngines))]
    public async Task SearchMatchesTheTextLiterallyWhateverItsCaseOrWildcards(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var site = await central.Admin.CreateSiteAsync("clinic");
        string[] messages = ["Rejected transact 'T_1': store 'S' is not active.", "Rejected transact 'T21'.", "Upload 100% done.",
            "Upload 1000 done.", "Émile changed the password.", "Nothing to see.", @"Backup to C:\data\sitesync failed."];
        await central.QueryAsync(db =>
        {
            var log = new SiteLog(db, TimeProvider.System);
            foreach (var message in messages)
            {
                log.Add(site.Id, SiteLogLevels.Info, SiteLogEvents.SiteEdited, message, user: message.StartsWith('É') ? "émile" : null);
            }
            return db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });

        async Task<string[]> SearchAsync(string text) =>
            [.. (await central.Admin.LogsAsync(site.Id, $"?search={Uri.EscapeDataString(text)}")).Select(l => l.Message).Order(StringComparer.Ordinal)];

        Assert.Equal([messages[0]], await SearchAsync("t_1"));
        Assert.Equal([messages[2]], await SearchAsync("100%"));
        Assert.Equal([messages[1], messages[0]], await SearchAsync("REJECTED TRANSACT"));
        Assert.Equal([messages[4]], await SearchAsync("ÉMILE CHANGED"));
        Assert.Equal([messages[4]], await SearchAsync("PASSWORD"));
        Assert.Equal([messages[6]], await SearchAsync(@"c:\data\"));
        Assert.Equal(7, (await SearchAsync("SITE_EDITED")).Length);
    }
}

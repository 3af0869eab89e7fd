using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SiteSync.Protocol.Json;
using SiteSync.Protocol.Sync;

namespace SiteSync.Protocol.Tests;

/// <summary>Every wire type read from a golden file and written back must give the same bytes: a diff here is a protocol change.</summary>
public sealed class GoldenJsonTests
{
    private static readonly SiteSyncJsonContext Json = SiteSyncJsonContext.Default;

    [Fact]
    public void SiteInfoRoundTrips() => RoundTrip("site-info.json", Json.SiteInfo);

    [Fact]
    public void SiteStatusRoundTrips() => RoundTrip("site-status.json", Json.SiteStatus);

    [Fact]
    public void PulledQueueBatchRoundTrips() => RoundTrip("queued-records-pull.json", Json.RemoteSyncBatch);

    [Fact]
    public void PushedBatchRoundTripsExactlyAsTheClientSerialisesIt() => RoundTrip("queued-records-push.json", Json.RemoteSyncBatch);

    [Fact]
    public void CentralRecordsRoundTripWithRecordDataUntouched() => RoundTrip("central-records.json", Json.CentralSyncBatch);

    [Fact]
    public void PushResponseRoundTrips() => RoundTrip("push-response.json", Json.PushResponse);

    [Fact]
    public void AcknowledgementUsesTheSyncIDsKey() => RoundTrip("acknowledged-records.json", Json.AcknowledgedRecords);

    [Fact]
    public void ErrorEnvelopeRoundTripsWithData() => RoundTrip("error-version.json", Json.SyncErrorResponse);

    [Fact]
    public void V6PullResponseUsesSnakeCase() => RoundTrip("v6-pull-response.json", Json.V6ResponseV6SyncBatch);

    [Theory]
    [InlineData("Update", "Update")]
    [InlineData("update", "Update")]
    [InlineData("insert", "Insert")]
    [InlineData("Delete", "Delete")]
    [InlineData("merge", "Merge")]
    [InlineData("UPDATE", null)]
    [InlineData("Patch", null)]
    [InlineData(null, null)]
    public void ActionsAreAcceptedInEitherOfTheClientsCasesOnly(string? sent, string? expected) =>
        Assert.Equal(expected, SyncActions.Normalise(sent));

    [Fact]
    public void RawJsonRefusesInvalidJson() =>
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize("""{"syncOutId":"1","tableName":"t","recordId":"r","action":"Update","recordData":{"a":}}""",
            Json.RemoteSyncRecord));

    private static void RoundTrip<T>(string file, JsonTypeInfo<T> type)
    {
        var golden = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", file)).TrimEnd('\n');

        var value = JsonSerializer.Deserialize(golden, type)!;
        var written = JsonSerializer.Serialize(value, type);

        Assert.Equal(golden, written);
    }
}

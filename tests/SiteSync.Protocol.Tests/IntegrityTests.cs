using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SiteSync.Protocol.Json;
using SiteSync.Protocol.Sync;

namespace SiteSync.Protocol.Tests;

/// <summary>The integrity audit's wire shapes (golden files: a diff is a protocol change) and its digest, against values computed
/// independently (Python's hashlib over the same length-prefixed bytes), so central and every remote agree.</summary>
public sealed class IntegrityTests
{
    private static readonly SiteSyncJsonContext Json = SiteSyncJsonContext.Default;

    [Fact]
    public void IntegrityRequestRoundTrips() => RoundTrip("integrity-request.json", Json.IntegrityRequest);

    [Fact]
    public void IntegrityResponseRoundTrips() => RoundTrip("integrity-response.json", Json.IntegrityResponse);

    [Fact]
    public void IntegrityRecordsRequestRoundTrips() => RoundTrip("integrity-records-request.json", Json.IntegrityRecordsRequest);

    [Fact]
    public void IntegrityRecordsResponseRoundTrips() => RoundTrip("integrity-records-response.json", Json.IntegrityRecordsResponse);

    [Fact]
    public void IntegrityReportRoundTrips() => RoundTrip("integrity-report.json", Json.IntegrityReport);

    [Fact]
    public void RecordHashIsTheFirstEightBytesOfSha256OverLengthPrefixedUtf8()
    {
        var item = IntegrityDigest.HashRecord("item", "item-1", """{"ID":"item-1","name":"café"}""");
        var transact = IntegrityDigest.HashRecord("transact", "t-1", """{"ID":"t-1","store_ID":"S1"}""");

        Assert.Equal("aabd3ca6d1d50b26", IntegrityDigest.Format(item));
        Assert.Equal("07222923a1d49846", IntegrityDigest.Format(transact));
    }

    [Fact]
    public void GroupDigestIsTheSumOfRecordHashesInAnyOrder()
    {
        var forward = new IntegrityAccumulator();
        forward.Add(0xaabd3ca6d1d50b26);
        forward.Add(0x07222923a1d49846);
        var backward = new IntegrityAccumulator();
        backward.Add(0x07222923a1d49846);
        backward.Add(0xaabd3ca6d1d50b26);

        Assert.Equal("b1df65ca73a9a36c", forward.Digest);
        Assert.Equal(forward, backward);
    }

    [Fact]
    public void ARecordCountedTwiceChangesTheDigestWhereXorWouldCancelIt()
    {
        var once = new IntegrityAccumulator();
        once.Add(1);
        var duplicatedAndMissing = new IntegrityAccumulator();
        duplicatedAndMissing.Add(2);
        duplicatedAndMissing.Add(2);
        duplicatedAndMissing.Add(1);
        duplicatedAndMissing.Add(3);
        var pairSwapped = IntegrityAccumulator.Of(4, 1 ^ 2 ^ 2 ^ 3);

        Assert.NotEqual(once.Sum, duplicatedAndMissing.Sum);
        Assert.NotEqual(pairSwapped, duplicatedAndMissing);
    }

    [Fact]
    public void SeparatorsInsideFieldsCannotMakeTwoRecordsCollide() =>
        Assert.NotEqual(IntegrityDigest.HashRecord("a", "b\0c", "{}"), IntegrityDigest.HashRecord("a\0b", "c", "{}"));

    [Fact]
    public void LongRecordsHashLikeShortOnes()
    {
        var data = "{\"note\":\"" + new string('x', 100_000) + "\"}";

        Assert.Equal(IntegrityDigest.HashRecord("item", "big", data), IntegrityDigest.HashRecord("item", "big", string.Concat(data.AsSpan(0, 50_000), data.AsSpan(50_000))));
        Assert.NotEqual(IntegrityDigest.HashRecord("item", "big", data), IntegrityDigest.HashRecord("item", "big", data.Replace("xx\"", "xy\"", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("00000000000000ff", true)]
    [InlineData("00000000000000FF", false)]
    [InlineData("0x000000000000ff", false)]
    [InlineData("ff", false)]
    [InlineData(null, false)]
    public void DigestsAreSixteenLowercaseHexDigits(string? text, bool valid) => Assert.Equal(valid, IntegrityDigest.TryParse(text, out _));

    [Theory]
    [InlineData("t-1", true)]
    [InlineData("", false)]
    [InlineData("t\u0000", false)]
    [InlineData("t\ud83d\ude00", true)]
    public void OnlyPrintableValidIdsAreReported(string id, bool reportable) => Assert.Equal(reportable, IntegrityLimits.IsReportableId(id));

    [Fact]
    public void AnIdWithALoneSurrogateIsNotReported() =>
        // Built in code: an attribute argument cannot carry a lone surrogate (it is stored as UTF-8).
        Assert.False(IntegrityLimits.IsReportableId("t" + (char)0xD800));

    private static void RoundTrip<T>(string file, JsonTypeInfo<T> type)
    {
        var golden = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", file)).TrimEnd('\n');

        var value = JsonSerializer.Deserialize(golden, type)!;
        var written = JsonSerializer.Serialize(value, type);

        Assert.Equal(golden, written);
    }
}

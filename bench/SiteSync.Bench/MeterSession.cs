using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace SiteSync.Bench;

/// <summary>Listens to one <c>Meter</c> of another .NET process over EventPipe, as <c>dotnet-counters</c> does (the
/// <c>System.Diagnostics.Metrics</c> event source, one-second intervals), and sums each counter's increments per tag set.
/// Nothing in the watched process changes: its instruments are published to any listener that asks.</summary>
public sealed class MeterSession : IAsyncDisposable
{
    private const string Provider = "System.Diagnostics.Metrics";
    private readonly EventPipeSession _session;
    private readonly EventPipeEventSource _source;
    private readonly Task _processing;
    private readonly ConcurrentDictionary<(string Instrument, string Tags), double> _totals = new();
    private readonly TaskCompletionSource _firstInterval = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _stopped;

    private MeterSession(EventPipeSession session)
    {
        _session = session;
        _source = new EventPipeEventSource(session.EventStream);
        _source.Dynamic.All += OnEvent;
        _processing = Task.Run(() => _source.Process());
    }

    /// <summary>Starts listening to <paramref name="meterName"/> in process <paramref name="processId"/>; completes once the first
    /// interval has been published (so nothing measured after this returns is missed).</summary>
    public static async Task<MeterSession> StartAsync(int processId, string meterName)
    {
        var client = new DiagnosticsClient(processId);
        var arguments = new Dictionary<string, string>
        {
            ["SessionId"] = Guid.NewGuid().ToString("N"),
            ["Metrics"] = meterName,
            ["RefreshInterval"] = "1",
            ["MaxTimeSeries"] = "1000",
            ["MaxHistograms"] = "10",
        };
        var session = client.StartEventPipeSession(
            [new EventPipeProvider(Provider, EventLevel.Informational, 0x3, arguments)], requestRundown: false);
        var meter = new MeterSession(session);
        await meter._firstInterval.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return meter;
    }

    /// <summary>The sum of a counter's increments since the session started, over the tag sets that contain
    /// <paramref name="tag"/> (e.g. <c>kind=site</c>), or over all of them.</summary>
    public double Total(string instrument, string? tag = null) =>
        _totals.Where(t => t.Key.Instrument == instrument && (tag is null || t.Key.Tags.Contains(tag, StringComparison.Ordinal))).Sum(t => t.Value);

    /// <summary>Waits for the interval in progress to be published (so recent increments are counted).</summary>
    public static Task SettleAsync() => Task.Delay(TimeSpan.FromSeconds(2.5));

    private void OnEvent(TraceEvent data)
    {
        if (Environment.GetEnvironmentVariable("SITESYNC_BENCH_VERBOSE") is { Length: > 0 } && !data.EventName.StartsWith("Collection", StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"meter: {data.ProviderName} {data.EventName} {string.Join(", ", data.PayloadNames.Select(n => $"{n}={data.PayloadByName(n)}"))}");
        }
        if (data.ProviderName != Provider)
        {
            return;
        }
        if (data.EventName is "CounterRateValuePublished")
        {
            var rate = data.PayloadByName("rate") as string;
            if (double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out var increment) && increment > 0)
            {
                var key = ((string)data.PayloadByName("instrumentName"), data.PayloadByName("tags") as string ?? "");
                _totals.AddOrUpdate(key, increment, (_, total) => total + increment);
            }
        }
        if (data.EventName is "Collection/Stop" or "CollectionStop")
        {
            _firstInterval.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            try
            {
                await _session.StopAsync(CancellationToken.None);
            }
            catch (Exception exception) when (exception is ServerNotAvailableException or EndOfStreamException or IOException)
            {
                // The process has gone: the stream has ended anyway.
            }
            await _processing;
            _source.Dispose();
            _session.Dispose();
        }
    }
}

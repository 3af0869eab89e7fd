using System.Net;
using SiteSync.Remote;
using SiteSync.Remote.Sync;

namespace SiteSync.FaultTests.Support;

/// <summary>A remote site as the real engine library in the test process (<see cref="RemoteSite"/>), when central is the
/// kill target: cheaper than a process per command. Its HTTP stack can carry a fault handler, and opens one connection per
/// request when asked to, so that a proxy plan hits exactly one request.</summary>
public sealed class InProcessRemote : IRemoteNode, IDisposable
{
    private readonly HttpClient _http;

    public InProcessRemote(string name, string dataDirectory, string hardwareId, HttpMessageHandler? faults = null,
        bool connectionPerRequest = false, TimeSpan? requestTimeout = null, TimeProvider? time = null)
    {
        Name = name;
        DataDirectory = dataDirectory;
        HttpMessageHandler handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        if (connectionPerRequest)
        {
            handler = new CloseConnectionHandler { InnerHandler = handler };
        }
        if (faults is DelegatingHandler delegating)
        {
            delegating.InnerHandler = handler;
            handler = delegating;
        }
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        Options = new RemoteSiteOptions
        {
            DataDirectory = dataDirectory,
            HardwareId = hardwareId,
            IntegrationPollPeriod = TimeSpan.FromMilliseconds(50),
            IntegrationTimeout = TimeSpan.FromSeconds(30),
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(20),
            MaxAttempts = 3,
        };
        Site = new RemoteSite(_http, Options, time);
    }

    public string Name { get; }

    public string DataDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "sitesync-remote.db");

    public RemoteSiteOptions Options { get; }

    public RemoteSite Site { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public Task InitAsync(Uri server, string siteName, string password) =>
        Site.InitAsync(new RemoteSetup(server, siteName, password), Ct);

    public Task<SyncReport> SyncAsync() => Site.SyncAsync(null, Ct);

    /// <summary>One cycle; the exception instead of a throw when it fails (central killed, connection cut, …). A cycle still
    /// running after <paramref name="guard"/> is cancelled by the test (and reported as the cancellation).</summary>
    public async Task<(SyncReport? Report, Exception? Error)> TrySyncAsync(TimeSpan? guard = null)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(guard ?? TimeSpan.FromMinutes(5));
        try
        {
            return (await Site.SyncAsync(null, limit.Token), null);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !Ct.IsCancellationRequested)
        {
            return (null, exception);
        }
    }

    /// <summary>Asks the server to close each connection after its answer, so every request opens its own connection.</summary>
    private sealed class CloseConnectionHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.ConnectionClose = true;
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Syncs until a cycle completes and then until one moves nothing (quiescence), at most <paramref name="attempts"/> cycles.</summary>
    public async Task<List<(SyncReport? Report, Exception? Error)>> SyncToQuiescenceAsync(int attempts = 8)
    {
        List<(SyncReport?, Exception?)> cycles = [];
        for (var i = 0; i < attempts; i++)
        {
            var cycle = await TrySyncAsync();
            cycles.Add(cycle);
            if (cycle.Report is { Pushed: 0, PulledCentral: 0, PulledQueue: 0, Integrated: 0 })
            {
                return cycles;
            }
        }
        throw new InvalidOperationException($"{Name} did not reach quiescence in {attempts} cycles: " +
            string.Join("; ", cycles.Select(c => c.Item2?.Message ?? $"pushed {c.Item1!.Pushed} pulled {c.Item1.PulledCentral}+{c.Item1.PulledQueue}")));
    }

    public Task<int> PutAsync(string table, string json) => Site.PutRecordsAsync(table, json, Ct);

    public void Dispose() => _http.Dispose();
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SiteSync.FaultTests.Support;

namespace SiteSync.FaultTests;

/// <summary>The TCP fault proxy does exactly what each plan says, measured against a raw upstream that records what reached it.</summary>
public sealed class FaultProxyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A minimal HTTP/1.1 server: reads one request (headers and Content-Length body), records how many bytes arrived,
    /// answers 200 with a body of the size the path names (<c>/n</c>).</summary>
    private sealed class Upstream : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Task _loop;
        private readonly CancellationTokenSource _stop = new();

        public Upstream()
        {
            _listener.Start();
            _loop = Task.Run(LoopAsync);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public List<int> Received { get; } = [];

        public int Connections;

        private async Task LoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync(_stop.Token);
                }
                catch (Exception)
                {
                    return;
                }
                Interlocked.Increment(ref Connections);
                _ = Task.Run(async () =>
                {
                    using (socket)
                    {
                        var buffer = new byte[1 << 20];
                        var total = 0;
                        var expected = int.MaxValue;
                        try
                        {
                            while (total < expected)
                            {
                                var read = await socket.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None, _stop.Token);
                                if (read == 0)
                                {
                                    break;
                                }
                                total += read;
                                var text = Encoding.ASCII.GetString(buffer, 0, total);
                                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                                if (end >= 0)
                                {
                                    var length = text.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                                    expected = end + 4 + (length is null ? 0 : int.Parse(length[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture));
                                }
                            }
                        }
                        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
                        {
                            // The proxy cut the request.
                        }
                        lock (Received)
                        {
                            Received.Add(total);
                        }
                        if (total < expected)
                        {
                            return;
                        }
                        var path = Encoding.ASCII.GetString(buffer, 0, total).Split(' ')[1];
                        var size = int.Parse(path.TrimStart('/'), System.Globalization.CultureInfo.InvariantCulture);
                        var response = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n" + new string('x', size));
                        try
                        {
                            await socket.SendAsync(response, SocketFlags.None);
                            socket.Shutdown(SocketShutdown.Send);
                        }
                        catch (SocketException)
                        {
                            // The proxy reset the connection.
                        }
                    }
                });
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _loop;
        }
    }

    private static HttpClient Client(FaultProxy proxy, TimeSpan? timeout = null) =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { BaseAddress = proxy.Address, Timeout = timeout ?? TimeSpan.FromSeconds(20) };

    [Fact]
    public async Task ACleanPlanForwardsBothWaysAndCountsTheBytes()
    {
        await using var upstream = new Upstream();
        await using var proxy = new FaultProxy(upstream.Port);
        using var client = Client(proxy);

        var body = await client.GetStringAsync("/5000", Ct);
        await WaitUntilAsync(() => proxy.Log.Count == 1);

        Assert.Equal(5000, body.Length);
        Assert.InRange(proxy.BytesDown, 5000, 5200);
        Assert.InRange(proxy.BytesUp, 20, 400);
        Assert.Equal("GET /5000 HTTP/1.1", Assert.Single(proxy.Log).RequestLine);
    }

    [Fact]
    public async Task ACutResponseReachesTheServerWholeButTheClientGetsOnlyTheFirstBytes()
    {
        await using var upstream = new Upstream();
        await using var proxy = new FaultProxy(upstream.Port) { Planner = _ => ConnectionPlan.CutResponse(1000) };
        using var client = Client(proxy);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/100000") { Content = new StringContent(new string('b', 3000)) };

        var error = await Record.ExceptionAsync(async () =>
        {
            using var response = await client.SendAsync(request, Ct);
            await response.Content.ReadAsStringAsync(Ct);
        });

        Assert.True(error is HttpRequestException or IOException, error?.ToString());
        Assert.Equal(1000, proxy.BytesDown);
        Assert.True(Assert.Single(upstream.Received) > 3000);
        Assert.Equal("response-cut", Assert.Single(proxy.Log).Outcome);
    }

    [Fact]
    public async Task ACutRequestNeverArrivesWhole()
    {
        await using var upstream = new Upstream();
        await using var proxy = new FaultProxy(upstream.Port) { Planner = _ => ConnectionPlan.CutRequest(150) };
        using var client = Client(proxy);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/10") { Content = new StringContent(new string('b', 5000)) };

        var error = await Record.ExceptionAsync(() => client.SendAsync(request, Ct));

        Assert.IsType<HttpRequestException>(error);
        await WaitUntilAsync(() => upstream.Received.Count == 1);
        Assert.Equal(150, Assert.Single(upstream.Received));
        Assert.Equal(0, proxy.BytesDown);
    }

    [Fact]
    public async Task AResetConnectionNeverReachesTheServer()
    {
        await using var upstream = new Upstream();
        await using var proxy = new FaultProxy(upstream.Port) { Planner = _ => ConnectionPlan.ResetAtOnce() };
        using var client = Client(proxy);

        var error = await Record.ExceptionAsync(() => client.GetAsync("/10", Ct));

        Assert.IsType<HttpRequestException>(error);
        Assert.Equal(0, upstream.Connections);
    }

    [Fact]
    public async Task ABlackholeNeverAnswersAndThenResets()
    {
        await using var upstream = new Upstream();
        await using var proxy = new FaultProxy(upstream.Port) { Planner = _ => ConnectionPlan.BlackholeThenReset(TimeSpan.FromMilliseconds(800)) };
        using var client = Client(proxy);
        var watch = Stopwatch.StartNew();

        var error = await Record.ExceptionAsync(() => client.GetAsync("/10", Ct));

        Assert.IsType<HttpRequestException>(error);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(700), TimeSpan.FromSeconds(10));
        Assert.Equal(0, upstream.Connections);
    }

    [Fact]
    public async Task ABlackholeHoldsTheClientUntilItsOwnTimeout()
    {
        await using var upstream = new Upstream();
        await using var proxy = new FaultProxy(upstream.Port) { Planner = _ => ConnectionPlan.BlackholeForever() };
        using var client = Client(proxy, TimeSpan.FromMilliseconds(500));

        var error = await Record.ExceptionAsync(() => client.GetAsync("/10", Ct));

        Assert.IsType<TaskCanceledException>(error);
        Assert.Equal("blackholed", (await WaitForLogAsync(proxy)).Outcome);
    }

    [Fact]
    public async Task DelayAndThrottleSlowTheTransferByWhatTheyName()
    {
        await using var upstream = new Upstream();
        await using var proxy = new FaultProxy(upstream.Port) { Planner = _ => ConnectionPlan.Throttled(100_000) with { Delay = TimeSpan.FromMilliseconds(100) } };
        using var client = Client(proxy);
        var watch = Stopwatch.StartNew();

        var body = await client.GetStringAsync("/50000", Ct);

        Assert.Equal(50_000, body.Length);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task PlansAreChosenPerConnectionByRequestLineAndReplayFromTheSeed()
    {
        await using var upstream = new Upstream();
        static List<int> Draws(int seed)
        {
            var proxy = new FaultProxy(1, seed);
            var draws = Enumerable.Range(0, 20).Select(_ => proxy.Next(1000)).ToList();
            proxy.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return draws;
        }
        await using var proxy = new FaultProxy(upstream.Port) { Planner = c => c.Is("POST", "/") ? ConnectionPlan.ResetAtOnce() : ConnectionPlan.Clean };
        using var client = Client(proxy);

        var get = await client.GetStringAsync("/3", Ct);
        var post = await Record.ExceptionAsync(() => client.PostAsync("/3", new StringContent("x"), Ct));

        Assert.Equal("xxx", get);
        Assert.IsType<HttpRequestException>(post);
        Assert.Equal(Draws(42), Draws(42));
        Assert.NotEqual(Draws(42), Draws(43));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(20, Ct);
        }
    }

    private static async Task<ConnectionRecord> WaitForLogAsync(FaultProxy proxy)
    {
        await WaitUntilAsync(() => proxy.Log.Count > 0);
        await proxy.DisposeAsync();
        return Assert.Single(proxy.Log);
    }
}

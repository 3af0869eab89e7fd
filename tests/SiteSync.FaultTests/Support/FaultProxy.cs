using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SiteSync.FaultTests.Support;

/// <summary>What the proxy does to one connection (reliability plan §2 item 5). Every fault counts bytes per direction: the
/// request (client → central) and the response (central → client).</summary>
public sealed record ConnectionPlan
{
    public static readonly ConnectionPlan Clean = new() { Name = "clean" };

    public string Name { get; init; } = "custom";

    /// <summary>Wait before forwarding each chunk, in each direction, plus a uniform random 0..<see cref="Jitter"/>.</summary>
    public TimeSpan Delay { get; init; }

    public TimeSpan Jitter { get; init; }

    /// <summary>Bandwidth per direction; null for unlimited.</summary>
    public int? BytesPerSecond { get; init; }

    /// <summary>Forward this many request bytes, then reset both sides: the request never arrives whole.</summary>
    public long? CutRequestAfter { get; init; }

    /// <summary>Forward this many response bytes, then reset both sides: central did the work, the client never hears.</summary>
    public long? CutResponseAfter { get; init; }

    /// <summary>Reset the connection as soon as it is accepted.</summary>
    public bool Reset { get; init; }

    /// <summary>Accept, read and discard, never answer; after <see cref="BlackholeFor"/> (if set) reset the connection.</summary>
    public bool Blackhole { get; init; }

    public TimeSpan? BlackholeFor { get; init; }

    public static ConnectionPlan Delayed(TimeSpan delay, TimeSpan jitter = default) => new() { Name = "delay", Delay = delay, Jitter = jitter };

    public static ConnectionPlan Throttled(int bytesPerSecond) => new() { Name = "throttle", BytesPerSecond = bytesPerSecond };

    public static ConnectionPlan CutRequest(long bytes) => new() { Name = "cut-request", CutRequestAfter = bytes };

    public static ConnectionPlan CutResponse(long bytes) => new() { Name = "cut-response", CutResponseAfter = bytes };

    public static ConnectionPlan ResetAtOnce() => new() { Name = "reset", Reset = true };

    public static ConnectionPlan BlackholeForever() => new() { Name = "blackhole", Blackhole = true };

    public static ConnectionPlan BlackholeThenReset(TimeSpan duration) => new() { Name = "blackhole-reset", Blackhole = true, BlackholeFor = duration };
}

/// <summary>The first request line of a connection (e.g. <c>POST /sync/v5/queued_records HTTP/1.1</c>) and its number.</summary>
public sealed record ConnectionInfo(int Index, string RequestLine)
{
    public bool Is(string method, string pathPrefix) =>
        RequestLine.StartsWith(method + " " + pathPrefix, StringComparison.Ordinal);
}

/// <summary>What happened to one connection.</summary>
public sealed record ConnectionRecord(int Index, string RequestLine, string Plan, long BytesUp, long BytesDown, string Outcome);

/// <summary>A small TCP fault proxy (reliability plan §2 item 5): listens on a loopback port and forwards each connection to
/// the upstream port, applying the plan the <see cref="Planner"/> picks for it (per connection, decided from its first request
/// line). Plans are pure data and the randomness is seeded, so a failing run replays. A client whose connections should each
/// carry one request (so a plan hits exactly one request) disables connection reuse.</summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly ConcurrentQueue<ConnectionRecord> _log = new();
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private int _index;
    private int _disposed;
    private long _bytesUp;
    private long _bytesDown;

    public FaultProxy(Func<int> upstreamPort, int seed = 1)
    {
        UpstreamPort = upstreamPort;
        Seed = seed;
        _random = new Random(seed);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public FaultProxy(int upstreamPort, int seed = 1) : this(() => upstreamPort, seed)
    {
    }

    /// <summary>The port of the server behind the proxy, read per connection (a restarted central may move).</summary>
    public Func<int> UpstreamPort { get; }

    public int Seed { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Uri Address => new($"http://127.0.0.1:{Port}/");

    /// <summary>Picks the plan of each new connection; clean by default.</summary>
    public Func<ConnectionInfo, ConnectionPlan> Planner { get; set; } = _ => ConnectionPlan.Clean;

    public long BytesUp => Interlocked.Read(ref _bytesUp);

    public long BytesDown => Interlocked.Read(ref _bytesDown);

    public int ConnectionCount => Volatile.Read(ref _index);

    public IReadOnlyCollection<ConnectionRecord> Log => _log;

    /// <summary>Every later connection gets <paramref name="plan"/>.</summary>
    public void SetPlan(ConnectionPlan plan) => Planner = _ => plan;

    /// <summary>A seeded random number in [0, 1), shared by plans built from this proxy's seed.</summary>
    public double NextDouble()
    {
        lock (_randomLock)
        {
            return _random.NextDouble();
        }
    }

    public int Next(int maxExclusive)
    {
        lock (_randomLock)
        {
            return _random.Next(maxExclusive);
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            var index = Interlocked.Increment(ref _index);
            _connections.Add(Task.Run(() => HandleAsync(client, index)));
        }
    }

    private async Task HandleAsync(Socket client, int index)
    {
        client.NoDelay = true;
        var up = 0L;
        var down = 0L;
        var requestLine = "";
        var planName = "?";
        var outcome = "closed";
        Socket? server = null;
        try
        {
            // The first chunk of a request carries its request line: read it before choosing the plan.
            var first = new byte[16 * 1024];
            using var firstRead = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            firstRead.CancelAfter(TimeSpan.FromSeconds(30));
            var firstCount = await client.ReceiveAsync(first, SocketFlags.None, firstRead.Token);
            if (firstCount == 0)
            {
                outcome = "empty";
                return;
            }
            requestLine = FirstLine(first.AsSpan(0, firstCount));
            var plan = Planner(new ConnectionInfo(index, requestLine));
            planName = plan.Name;

            if (plan.Reset)
            {
                outcome = "reset";
                Abort(client);
                return;
            }
            if (plan.Blackhole)
            {
                outcome = "blackholed";
                await DiscardAsync(client, plan.BlackholeFor);
                Abort(client);
                return;
            }

            server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, UpstreamPort(), _stop.Token);
            }
            catch (SocketException)
            {
                // Central is down: the client sees its connection reset, as it would without a proxy (refused).
                outcome = "upstream-down";
                Abort(client);
                return;
            }

            using var cut = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var requestBytes = new long[1];
            var responseBytes = new long[1];
            var upstream = PumpAsync(client, server, plan, plan.CutRequestAfter, first.AsMemory(0, firstCount), requestBytes, isRequest: true, cut);
            var downstream = PumpAsync(server, client, plan, plan.CutResponseAfter, ReadOnlyMemory<byte>.Empty, responseBytes, isRequest: false, cut);
            var finished = await Task.WhenAny(upstream, downstream);
            var result = await finished;
            if (result == PumpResult.Cut)
            {
                outcome = finished == upstream ? "request-cut" : "response-cut";
                await cut.CancelAsync();
                Abort(client);
                Abort(server);
            }
            else if (finished == upstream)
            {
                // The client finished sending (half-close): let the response drain.
                var second = await downstream;
                outcome = second == PumpResult.Cut ? "response-cut" : "closed";
                if (second == PumpResult.Cut)
                {
                    Abort(client);
                    Abort(server);
                }
            }
            else
            {
                await cut.CancelAsync();
            }
            up = requestBytes[0];
            down = responseBytes[0];
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            outcome = "error: " + exception.GetType().Name;
        }
        finally
        {
            Close(client);
            if (server is not null)
            {
                Close(server);
            }
            _log.Enqueue(new ConnectionRecord(index, requestLine, planName, up, down, outcome));
        }
    }

    private enum PumpResult
    {
        Eof,
        Cut,
    }

    private async Task<PumpResult> PumpAsync(
        Socket from, Socket to, ConnectionPlan plan, long? cutAfter, ReadOnlyMemory<byte> initial, long[] count, bool isRequest,
        CancellationTokenSource cut)
    {
        var buffer = new byte[plan.BytesPerSecond is { } rate ? Math.Clamp(rate / 10, 256, 16 * 1024) : 16 * 1024];
        var pending = initial;
        try
        {
            while (true)
            {
                if (pending.IsEmpty)
                {
                    var read = await from.ReceiveAsync(buffer, SocketFlags.None, cut.Token);
                    if (read == 0)
                    {
                        try
                        {
                            to.Shutdown(SocketShutdown.Send);
                        }
                        catch (SocketException)
                        {
                            // The other side is gone already.
                        }
                        return PumpResult.Eof;
                    }
                    pending = buffer.AsMemory(0, read);
                }
                while (!pending.IsEmpty)
                {
                    var chunk = pending;
                    if (plan.BytesPerSecond is { } bytesPerSecond && chunk.Length > Math.Max(bytesPerSecond / 10, 256))
                    {
                        chunk = chunk[..Math.Max(bytesPerSecond / 10, 256)];
                    }
                    if (cutAfter is { } limit && count[0] + chunk.Length >= limit)
                    {
                        var allowed = (int)Math.Max(0, limit - count[0]);
                        if (allowed > 0)
                        {
                            await SendAsync(to, chunk[..allowed], plan, count, isRequest, cut.Token);
                        }
                        return PumpResult.Cut;
                    }
                    await SendAsync(to, chunk, plan, count, isRequest, cut.Token);
                    pending = pending[chunk.Length..];
                }
            }
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            return PumpResult.Eof;
        }
    }

    private async Task SendAsync(Socket to, ReadOnlyMemory<byte> chunk, ConnectionPlan plan, long[] count, bool isRequest, CancellationToken token)
    {
        var wait = plan.Delay;
        if (plan.Jitter > TimeSpan.Zero)
        {
            wait += TimeSpan.FromMilliseconds(NextDouble() * plan.Jitter.TotalMilliseconds);
        }
        if (plan.BytesPerSecond is { } rate)
        {
            wait += TimeSpan.FromSeconds((double)chunk.Length / rate);
        }
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, token);
        }
        var sent = 0;
        while (sent < chunk.Length)
        {
            sent += await to.SendAsync(chunk[sent..], SocketFlags.None, token);
        }
        count[0] += chunk.Length;
        if (isRequest)
        {
            Interlocked.Add(ref _bytesUp, chunk.Length);
        }
        else
        {
            Interlocked.Add(ref _bytesDown, chunk.Length);
        }
    }

    private async Task DiscardAsync(Socket client, TimeSpan? duration)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        if (duration is { } limit)
        {
            timeout.CancelAfter(limit);
        }
        var buffer = new byte[16 * 1024];
        try
        {
            while (await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
            }
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Time is up or the client gave up.
        }
    }

    private static string FirstLine(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)'\r');
        var line = end >= 0 ? bytes[..end] : bytes[..Math.Min(bytes.Length, 200)];
        return Encoding.ASCII.GetString(line[..Math.Min(line.Length, 300)]);
    }

    /// <summary>Closes with RST, so the peer sees "connection reset" rather than a clean end of stream.</summary>
    private static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
    }

    private static void Close(Socket socket)
    {
        try
        {
            socket.Dispose();
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
            await Task.WhenAll(_connections).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException or SocketException)
        {
            // Connections still open at the end are dropped.
        }
        _stop.Dispose();
    }
}

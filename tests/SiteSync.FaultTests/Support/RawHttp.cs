using System.Net.Sockets;
using System.Text;

namespace SiteSync.FaultTests.Support;

/// <summary>An HTTP response as bytes came back: status, headers (lower-case names), body text.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public override string ToString() => $"{Status} {(Body.Length > 600 ? Body[..600] + "…" : Body)}";
}

/// <summary>HTTP/1.1 written byte by byte on a socket: any header value (NUL, invalid UTF-8, 10 kB), any body bytes, no
/// client-side validation in the way — what an attacker's script sends. One request per connection.</summary>
public static class RawHttp
{
    public static byte[] Request(string method, string target, IEnumerable<(string Name, byte[] Value)> headers, byte[]? body)
    {
        using var stream = new MemoryStream();
        void Write(string text) => stream.Write(Encoding.ASCII.GetBytes(text));
        Write($"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        foreach (var (name, value) in headers)
        {
            Write(name + ": ");
            stream.Write(value);
            Write("\r\n");
        }
        if (body is not null)
        {
            Write($"Content-Length: {body.Length}\r\n");
        }
        Write("\r\n");
        if (body is not null)
        {
            stream.Write(body);
        }
        return stream.ToArray();
    }

    public static async Task<RawResponse> SendAsync(int port, byte[] request, TimeSpan? timeout = null)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(timeout ?? TimeSpan.FromSeconds(120));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(System.Net.IPAddress.Loopback, port, cancel.Token);
        var sending = SendAllAsync(socket, request, cancel.Token);
        using var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancel.Token);
            }
            catch (SocketException) when (received.Length > 0)
            {
                break; // The server answered early (413) and reset the connection while we were still uploading.
            }
            if (read == 0)
            {
                break;
            }
            received.Write(buffer, 0, read);
        }
        try
        {
            await sending;
        }
        catch (SocketException)
        {
            // The server stopped reading once it had answered.
        }
        return Parse(received.ToArray());
    }

    private static async Task SendAllAsync(Socket socket, byte[] request, CancellationToken cancellationToken)
    {
        var sent = 0;
        while (sent < request.Length)
        {
            sent += await socket.SendAsync(request.AsMemory(sent, Math.Min(64 * 1024, request.Length - sent)), SocketFlags.None, cancellationToken);
        }
    }

    private static RawResponse Parse(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            throw new InvalidOperationException($"No HTTP response (connection closed after {bytes.Length} bytes): {text}");
        }
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
            }
        }
        var body = bytes.AsSpan(end + 4).ToArray();
        if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }
        return new RawResponse(status, headers, Encoding.UTF8.GetString(body));
    }

    private static byte[] Dechunk(byte[] body)
    {
        using var output = new MemoryStream();
        var position = 0;
        while (position < body.Length)
        {
            var lineEnd = Array.IndexOf(body, (byte)'\r', position);
            if (lineEnd < 0)
            {
                break;
            }
            var size = Convert.ToInt32(Encoding.ASCII.GetString(body, position, lineEnd - position).Split(';')[0].Trim(), 16);
            if (size == 0)
            {
                break;
            }
            output.Write(body, lineEnd + 2, Math.Min(size, body.Length - lineEnd - 2));
            position = lineEnd + 2 + size + 2;
        }
        return output.ToArray();
    }
}

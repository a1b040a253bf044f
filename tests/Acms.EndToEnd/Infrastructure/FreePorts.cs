using System.Net;
using System.Net.Sockets;

namespace Acms.EndToEnd.Infrastructure;

/// <summary>Loopback ports nothing listens on, so several test runs can share a machine.</summary>
public static class FreePorts
{
    public static int One() => Range(1);

    /// <summary>The first of <paramref name="count"/> consecutive free ports (Azurite takes blob, queue and table in a row).</summary>
    public static int Range(int count)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var first = Listen(0, out var listener);
            using (listener)
            {
                if (first + count > IPEndPoint.MaxPort)
                {
                    continue;
                }

                if (Enumerable.Range(first + 1, count - 1).All(IsFree))
                {
                    return first;
                }
            }
        }

        throw new InvalidOperationException($"No {count} consecutive free loopback ports found.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            Listen(port, out var listener);
            listener.Dispose();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int Listen(int port, out TcpListener listener)
    {
        listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

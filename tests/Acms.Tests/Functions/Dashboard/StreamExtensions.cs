namespace Acms.Tests.Functions.Dashboard;

internal static class StreamExtensions
{
    public static byte[] ReadAllBytes(this Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        stream.Dispose();
        return buffer.ToArray();
    }
}

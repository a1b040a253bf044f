using System.Security.Cryptography;
using System.Text;

namespace Acms.Domain.Database;

/// <summary>A numbered SQL script embedded in this assembly (<c>Database/Migrations/NNNN_name.sql</c>).</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));
}

using System.Security.Cryptography;
using System.Text;

namespace Acms.Domain.Privacy;

/// <summary>
/// Keys of knowledge-gap insights: HMAC-SHA256 of the normalized question under the deployment's secret, 128 bits in
/// hex. Stable across runs (a re-run replaces the same insight), and nobody without the secret can test a guessed
/// question against a published key, as they could against a bare hash of the text.
/// </summary>
public sealed class InsightKeyer(byte[] secret)
{
    public string Key(string normalizedQuestion) =>
        "q:" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(normalizedQuestion)))[..32];
}

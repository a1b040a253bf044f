using System.ComponentModel.DataAnnotations;

namespace Acms.Domain.Privacy;

/// <summary><c>Privacy</c>: the deployment's choices within the privacy model. Validated at start.</summary>
public sealed class PrivacyOptions : IValidatableObject
{
    public const string Section = "Privacy";

    /// <summary>
    /// Lets answers of rows whose provenance is UNKNOWN (no matching <c>query_logs</c> row, or no declared level) feed
    /// organisation outputs and the LLM as INTERNAL. Off by default: an answer may quote a memory nobody can see.
    /// </summary>
    public bool ShareAnswersOfUnknownProvenance { get; set; }

    /// <summary>
    /// The HMAC-SHA256 key of knowledge-gap insight keys (at least 32 characters). When unset, a random key is
    /// generated once and kept in <c>acms_deployment_secrets</c>.
    /// </summary>
    public string? InsightKeySecret { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (InsightKeySecret is { } secret && secret.Length < 32)
        {
            // The value itself is never echoed: it is a secret.
            yield return new ValidationResult("InsightKeySecret must be at least 32 characters when set.", [nameof(InsightKeySecret)]);
        }
    }
}

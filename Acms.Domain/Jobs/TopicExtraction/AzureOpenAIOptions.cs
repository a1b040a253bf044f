using System.ComponentModel.DataAnnotations;

namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary><c>AzureOpenAI</c>: the optional LLM for topic extraction. Without an endpoint and deployment, no LLM is used.</summary>
public sealed class AzureOpenAIOptions : IValidatableObject
{
    public const string Section = "AzureOpenAI";

    /// <summary>The resource endpoint, e.g. <c>https://my-openai.openai.azure.com/</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The chat model deployment name.</summary>
    public string? Deployment { get; set; }

    /// <summary>Client id of a user-assigned managed identity (optional; else DefaultAzureCredential's choice).</summary>
    public string? ManagedIdentityClientId { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Endpoint) && !string.IsNullOrWhiteSpace(Deployment);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Endpoint) && (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
        {
            yield return new ValidationResult($"AzureOpenAI:Endpoint '{Endpoint}' must be an absolute https URL.", [nameof(Endpoint)]);
        }

        if (string.IsNullOrWhiteSpace(Endpoint) != string.IsNullOrWhiteSpace(Deployment))
        {
            yield return new ValidationResult("Set both AzureOpenAI:Endpoint and AzureOpenAI:Deployment, or neither.", [nameof(Deployment)]);
        }
    }
}

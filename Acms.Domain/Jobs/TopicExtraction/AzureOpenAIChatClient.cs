using System.ClientModel.Primitives;
using System.ComponentModel.DataAnnotations;
using Azure.Identity;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;

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

public static class AzureOpenAIChatClient
{
    /// <summary>The token audience of Azure OpenAI (Cognitive Services).</summary>
    public const string Scope = "https://cognitiveservices.azure.com/.default";

    /// <summary>Registers an <see cref="IChatClient"/> for Azure OpenAI (Entra ID, no key) when the section is configured.</summary>
    public static IServiceCollection AddAzureOpenAIChatClient(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AzureOpenAIOptions>().Bind(configuration.GetSection(AzureOpenAIOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(AzureOpenAIOptions.Section).Get<AzureOpenAIOptions>();
        if (options?.IsConfigured == true)
        {
            services.AddSingleton(sp => Create(sp.GetRequiredService<IOptions<AzureOpenAIOptions>>().Value));
        }

        return services;
    }

    /// <summary>A chat client on the resource's OpenAI v1 endpoint, authenticated with an Entra ID bearer token.</summary>
    public static IChatClient Create(AzureOpenAIOptions options)
    {
        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) ? null : options.ManagedIdentityClientId,
        });
        var endpoint = new Uri(new Uri(options.Endpoint!.TrimEnd('/') + "/"), "openai/v1/");
        // OpenAI's token-policy constructor is marked for evaluation (OPENAI001); it is the keyless way to reach Azure OpenAI's v1 API.
#pragma warning disable OPENAI001
        var chat = new ChatClient(options.Deployment!, new BearerTokenPolicy(credential, Scope), new OpenAIClientOptions { Endpoint = endpoint });
#pragma warning restore OPENAI001
        return chat.AsIChatClient();
    }
}

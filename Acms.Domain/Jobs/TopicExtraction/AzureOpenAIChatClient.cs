using System.ClientModel.Primitives;
using Azure.Identity;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;

namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>Registers and creates the optional LLM client of topic extraction: Azure OpenAI through Entra ID, no key.</summary>
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

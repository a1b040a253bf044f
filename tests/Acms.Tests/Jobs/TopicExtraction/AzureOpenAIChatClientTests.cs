using Acms.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Acms.Tests.Jobs.TopicExtraction;

public sealed class AzureOpenAIChatClientTests : DatabaseTest
{
    [Fact]
    public async Task Without_azure_openai_settings_no_llm_is_registered()
    {
        await using var services = TestHost.Build(Db);

        Assert.Null(services.GetService<IChatClient>());
    }

    [Fact]
    public async Task With_an_endpoint_and_a_deployment_an_entra_authenticated_chat_client_is_registered()
    {
        await using var services = TestHost.Build(Db, settings: new Dictionary<string, string?>
        {
            ["AzureOpenAI:Endpoint"] = "https://acms-openai.openai.azure.com/",
            ["AzureOpenAI:Deployment"] = "gpt-4o-mini",
        });

        var client = services.GetRequiredService<IChatClient>();

        var metadata = client.GetService<ChatClientMetadata>();
        Assert.Equal("gpt-4o-mini", metadata?.DefaultModelId);
        Assert.Equal(new Uri("https://acms-openai.openai.azure.com/openai/v1/"), metadata?.ProviderUri);
    }

    [Theory]
    [InlineData("http://acms-openai.openai.azure.com/", "gpt-4o-mini")]
    [InlineData("https://acms-openai.openai.azure.com/", null)]
    [InlineData(null, "gpt-4o-mini")]
    public async Task Half_or_insecure_azure_openai_settings_are_rejected_at_start(string? endpoint, string? deployment)
    {
        await using var services = TestHost.Build(Db, settings: new Dictionary<string, string?>
        {
            ["AzureOpenAI:Endpoint"] = endpoint,
            ["AzureOpenAI:Deployment"] = deployment,
        });

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
    }
}

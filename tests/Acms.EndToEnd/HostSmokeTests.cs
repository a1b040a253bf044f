using System.Net;
using Acms.EndToEnd.Infrastructure;

namespace Acms.EndToEnd;

[Collection(FunctionsHostCollection.Name)]
public sealed class HostSmokeTests(FunctionsHost host)
{
    [SkippableFact]
    public async Task Status_answers_with_the_key_and_401_without()
    {
        host.RequireHost();

        var with = await host.Client.GetAnswerAsync("api/v2/jobs/status");
        var without = await host.Anonymous.GetAnswerAsync("api/v2/jobs/status");

        Assert.True(with.Status == HttpStatusCode.OK, with.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, without.Status);
    }
}

using System.Text.Json;
using Acms.Domain.Common;
using Acms.Domain.Health;
using Acms.Functions.Health;
using Acms.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Acms.Tests.Functions.Health;

public sealed class HealthFunctionsTests : DatabaseTest
{
    private static (int Status, JsonElement Data) Read(IActionResult result)
    {
        var json = Assert.IsType<JsonResult>(result);
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(json.Value, Json.Options));
        return (json.StatusCode ?? 200, document.RootElement.GetProperty("data").Clone());
    }

    [Fact]
    public async Task Anonymous_health_says_only_healthy_and_details_need_the_function_key_route()
    {
        await using var services = TestHost.Build(Db, TimeProvider.System);
        var functions = ActivatorUtilities.CreateInstance<HealthFunctions>(services);

        var (status, data) = Read(await functions.Health(new DefaultHttpContext().Request, CancellationToken.None));
        Assert.Equal(200, status);
        Assert.Equal("healthy", data.GetProperty("status").GetString());
        Assert.Equal(["status"], data.EnumerateObject().Select(p => p.Name)); // nothing about jobs, data or settings

        var (detailStatus, details) = Read(await functions.HealthDetails(new DefaultHttpContext().Request, CancellationToken.None));
        Assert.Equal(200, detailStatus);
        Assert.Equal(6, details.GetProperty("jobs").GetArrayLength());
        Assert.Equal("healthy", details.GetProperty("database").GetProperty("status").GetString());
        Assert.True(details.TryGetProperty("topic_extraction", out _));
    }

    [Fact]
    public async Task An_unhealthy_service_answers_503_on_both_routes()
    {
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("DELETE FROM acms_schema_migrations WHERE version = (SELECT max(version) FROM acms_schema_migrations)");
        }

        await using var services = TestHost.Build(Db, TimeProvider.System);
        var functions = ActivatorUtilities.CreateInstance<HealthFunctions>(services);

        var (status, data) = Read(await functions.Health(new DefaultHttpContext().Request, CancellationToken.None));
        Assert.Equal((503, "unhealthy"), (status, data.GetProperty("status").GetString()));
        var (detailStatus, details) = Read(await functions.HealthDetails(new DefaultHttpContext().Request, CancellationToken.None));
        Assert.Equal(503, detailStatus);
        Assert.Equal(HealthReport.Unhealthy, details.GetProperty("migrations").GetProperty("status").GetString());
    }
}

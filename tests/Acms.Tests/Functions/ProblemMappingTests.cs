using Acms.Functions.Http;
using Npgsql;

namespace Acms.Tests.Functions;

public sealed class ProblemMappingTests
{
    [Fact]
    public void A_database_out_of_reach_past_the_retry_budget_is_a_503_without_the_driver_message()
    {
        var fault = new NpgsqlException("Failed to connect to 10.0.0.5:5432 for user secret_owner", new System.Net.Sockets.SocketException(111));

        var answer = ProblemMapping.ToProblem(fault, "inv-1");

        Assert.Equal(503, FunctionAnswers.Status(answer));
        var problem = FunctionAnswers.Problem(answer);
        Assert.Equal(Problems.DatabaseUnavailable, problem.Extensions["code"]);
        Assert.Contains("inv-1", problem.Detail);
        Assert.DoesNotContain("secret_owner", problem.Detail);
        Assert.DoesNotContain("5432", problem.Detail);
    }

    [Fact]
    public void A_permanent_database_error_stays_an_internal_error_with_no_sql_state_or_text()
    {
        var fault = new PostgresException("relation \"memory_items\" does not exist", "ERROR", "ERROR", PostgresErrorCodes.UndefinedTable);

        var answer = ProblemMapping.ToProblem(fault, "inv-2");

        Assert.Equal(500, FunctionAnswers.Status(answer));
        Assert.DoesNotContain("memory_items", FunctionAnswers.Problem(answer).Detail);
    }
}

using System.Net.Sockets;
using Npgsql;

namespace Acms.Domain.Jobs;

/// <summary>
/// What a failed run tells its callers (HTTP, CLI, <c>job_runs.error_summary</c>): a stable code, a sentence a person
/// can act on and the run id. Never the exception's text, which can name tables, constraints and SQL; the runner logs
/// the whole exception under the same run id.
/// </summary>
public static class JobFailure
{
    public const string DatabaseError = "database_error";
    public const string DatabaseUnavailable = "database_unavailable";
    public const string InternalError = "internal_error";

    public static (string Code, string Message) Describe(Exception exception) => exception switch
    {
        PostgresException postgres => (DatabaseError, $"the database refused a statement: {ClassOf(postgres.SqlState)} (SQLSTATE {postgres.SqlState})"),
        NpgsqlException or SocketException or TimeoutException => (DatabaseUnavailable, "the database could not be reached or stopped answering"),
        _ => (InternalError, "the job failed unexpectedly"),
    };

    /// <summary><c>code: message. Run id …</c>: the form stored in the ledger and returned to callers.</summary>
    public static string Summary(Exception exception, Guid runId)
    {
        var (code, message) = Describe(exception);
        return $"{code}: {message}; work committed before that is kept. The full error is logged under run {runId}.";
    }

    // SQLSTATE classes (the first two characters) in words; the class says what went wrong without naming any object.
    private static string ClassOf(string sqlState) => sqlState.Length < 2 ? "database error" : sqlState[..2] switch
    {
        "22" => "a value was out of range or malformed",
        "23" => "a data integrity rule was violated",
        "25" or "40" => "a transaction conflict or deadlock",
        "42" => "the schema does not match what the job expects (run the migrations)",
        "53" => "the server ran out of resources",
        "54" => "a program limit was exceeded",
        "57" => "the statement was cancelled or the server is shutting down",
        "58" or "XX" => "an internal server error",
        _ => "database error",
    };
}

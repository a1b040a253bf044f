using Npgsql;

namespace Acms.Tests.Jobs.TopicExtraction;

/// <summary>Many INTERNAL Q&amp;A rows about Kubernetes, one second apart from two days before the tests' epoch, none extracted yet.</summary>
internal static class KubernetesQa
{
    public static async Task InsertAsync(NpgsqlDataSource db, Guid user, int count, DateTimeOffset now)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO query_history (user_id, query_text, response_text, created_at, metadata)
            SELECT @user,
                   (ARRAY['How do I configure a Kubernetes ingress controller for service ',
                          'Why is my Kubernetes pod restarting in namespace ',
                          'How do I tune Kubernetes autoscaling for workload '])[1 + i % 3] || i || '?',
                   'Kubernetes answers: check the ingress controller logs, the pod events and the autoscaler metrics for item ' || i || '.',
                   @created + i * interval '1 second', '{"privacy_level": "INTERNAL", "est_cost_usd": 0.01}'
            FROM generate_series(1, @count) AS i
            """;
        command.Parameters.AddWithValue("user", user);
        command.Parameters.AddWithValue("created", now.AddDays(-2).UtcDateTime);
        command.Parameters.AddWithValue("count", count);
        await command.ExecuteNonQueryAsync();
    }
}

using System.Runtime.InteropServices;
using Acms.Domain.Insights;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// Writes one batch in one transaction: the extractions (COPY into a staging table, then <c>ON CONFLICT DO NOTHING</c>),
/// the corpus statistics and daily rollups of the rows actually inserted, and the watermark. A batch another run
/// inserted first counts only once.
/// </summary>
internal sealed class TopicExtractionWriter(NpgsqlDataSource dataSource)
{
    public readonly record struct Written(long Inserted, long Trivial, long Llm);

    /// <summary>Moves the watermark alone, for a batch whose rows were all extracted already.</summary>
    public async Task AdvanceAsync(string version, DateTime now, (DateTime At, Guid Id) to, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            TopicExtractionSql.AdvanceSql, new { Version = version, At = to.At, Id = to.Id, Now = now }, cancellationToken: ct));
    }

    /// <summary>Records that the run walked the whole table.</summary>
    public async Task MarkSweptAsync(string version, DateTime now, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(TopicExtractionSql.SweptSql, new { Version = version, Now = now }, cancellationToken: ct));
    }

    public async Task<Written> WriteAsync(ExtractedRow[] batch, string version, DateTime now, (DateTime At, Guid Id)? advanceTo, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(TopicExtractionSql.StagingSql, transaction: tx, cancellationToken: ct));
        await CopyAsync(connection, batch, ct);

        var insertedIds = (await connection.QueryAsync<Guid>(new CommandDefinition(
            TopicExtractionSql.InsertSql, new { Version = version, Now = now }, tx, cancellationToken: ct))).AsList();
        var inserted = batch;
        if (insertedIds.Count < batch.Length)
        {
            var ids = insertedIds.ToHashSet();
            inserted = Array.FindAll(batch, e => ids.Contains(e.Row.QueryId));
            await connection.ExecuteAsync(new CommandDefinition(
                TopicExtractionSql.KeepInsertedSql, new { Inserted = insertedIds.ToArray() }, tx, cancellationToken: ct));
        }

        var written = await WriteStatisticsAsync(connection, tx, inserted, version, ct);

        if (advanceTo is { } to)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                TopicExtractionSql.AdvanceSql, new { Version = version, At = to.At, Id = to.Id, Now = now }, tx, cancellationToken: ct));
        }

        await tx.CommitAsync(ct);
        return written;
    }

    private static async Task CopyAsync(NpgsqlConnection connection, ExtractedRow[] batch, CancellationToken ct)
    {
        await using var rows = await connection.BeginBinaryImportAsync(
            "COPY te_rows (source_id, user_id, topics, primary_topic, method, confidence, source_created_at, from_cache, cost_usd, privacy_level) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var e in batch)
        {
            await rows.StartRowAsync(ct);
            await rows.WriteAsync(e.Row.QueryId, NpgsqlDbType.Uuid, ct);
            await rows.WriteAsync(e.Row.UserId, NpgsqlDbType.Uuid, ct);
            await rows.WriteAsync(e.Result.Topics as string[] ?? [.. e.Result.Topics], NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            await WriteNullableAsync(rows, e.Result.PrimaryTopic, NpgsqlDbType.Text, ct);
            await rows.WriteAsync(e.Result.Method, NpgsqlDbType.Text, ct);
            await rows.WriteAsync(e.Result.Confidence, NpgsqlDbType.Double, ct);
            await WriteNullableAsync(rows, e.Row.CreatedAt is { } createdAt ? DateTime.SpecifyKind(createdAt, DateTimeKind.Utc) : (DateTime?)null, NpgsqlDbType.TimestampTz, ct);
            await rows.WriteAsync(e.Row.FromCache, NpgsqlDbType.Boolean, ct);
            await WriteNullableAsync(rows, e.Row.CostUsd, NpgsqlDbType.Double, ct);
            await rows.WriteAsync(e.Row.Privacy, NpgsqlDbType.Text, ct);
        }

        await rows.CompleteAsync(ct);
    }

    /// <summary>
    /// Document frequencies of the inserted rows that got topics (each distinct stem, and each distinct (stem, surface),
    /// once per row), counted here; the daily rollups are counted in SQL.
    /// </summary>
    private static async Task<Written> WriteStatisticsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, ExtractedRow[] inserted, string version, CancellationToken ct)
    {
        var documents = 0L;
        var termCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        var surfaceCounts = new Dictionary<(string Term, string Surface), long>();
        var seenTerms = new HashSet<string>(StringComparer.Ordinal);
        var seenSurfaces = new HashSet<(string, string)>();
        long trivial = 0, llmRows = 0;
        foreach (var e in inserted)
        {
            if (e.Result.Method == TopicResult.TrivialMethod)
            {
                trivial++;
                continue;
            }

            llmRows += e.Result.Method == TopicResult.Llm ? 1 : 0;
            documents++;
            if (e.Analysis.QuestionContentWords == 0)
            {
                continue;
            }

            seenTerms.Clear();
            seenSurfaces.Clear();
            foreach (var token in e.Analysis.Tokens)
            {
                if (seenTerms.Add(token.Stem))
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(termCounts, token.Stem, out _)++;
                }

                if (seenSurfaces.Add((token.Stem, token.Surface)))
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(surfaceCounts, (token.Stem, token.Surface), out _)++;
                }
            }
        }

        // Upserted in a fixed order, so two overlapping runs take the row locks in the same order.
        var terms = termCounts.Keys.Order(StringComparer.Ordinal).ToArray();
        var surfaces = surfaceCounts.Keys.OrderBy(k => k.Term, StringComparer.Ordinal).ThenBy(k => k.Surface, StringComparer.Ordinal).ToArray();
        await connection.ExecuteAsync(new CommandDefinition(TopicExtractionSql.StatisticsSql, new
        {
            Version = version,
            Org = QueryHistorySql.Org,
            Documents = documents,
            Terms = terms,
            TermCounts = Array.ConvertAll(terms, t => termCounts[t]),
            SurfaceTerms = Array.ConvertAll(surfaces, s => s.Term),
            Surfaces = Array.ConvertAll(surfaces, s => s.Surface),
            SurfaceCounts = Array.ConvertAll(surfaces, s => surfaceCounts[s]),
        }, tx, cancellationToken: ct));

        return new Written(inserted.Length, trivial, llmRows);
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken ct)
        where T : struct =>
        value is { } v ? importer.WriteAsync(v, type, ct) : importer.WriteNullAsync(ct);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type, CancellationToken ct) =>
        value is null ? importer.WriteNullAsync(ct) : importer.WriteAsync(value, type, ct);
}

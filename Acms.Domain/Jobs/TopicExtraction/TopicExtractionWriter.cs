using System.Runtime.InteropServices;
using Acms.Domain.Insights;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// The statements of topic extraction's batches, each run inside the one transaction <see cref="JobBatches.ApplyAsync{T}"/>
/// gives it (which renews the run's lease first): a batch's extractions (COPY into a staging table, then
/// <c>ON CONFLICT DO NOTHING</c>), the corpus statistics and daily rollups of the rows actually inserted, and the
/// watermark, together. A batch another run inserted first counts only once.
/// </summary>
internal static class TopicExtractionWriter
{
    public readonly record struct Written(long Inserted, long Trivial, long Llm);

    /// <summary>Moves the watermark alone, for a batch whose rows were all extracted already.</summary>
    public static Task<int> AdvanceAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string version, DateTime now, (DateTime At, Guid Id) to, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            TopicExtractionSql.AdvanceSql, new { Version = version, At = to.At, Id = to.Id, Now = now }, tx, cancellationToken: ct));

    /// <summary>Writes the lexicon's concepts into the vocabulary of the version (a no-op when they are there already).</summary>
    public static Task<int> SeedVocabularyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string version, TopicLexicon lexicon, CancellationToken ct)
    {
        var concepts = lexicon.Concepts.OrderBy(c => c.Name, StringComparer.Ordinal).ToArray();
        return connection.ExecuteAsync(new CommandDefinition(TopicExtractionSql.SeedVocabularySql, new
        {
            Version = version,
            Topics = Array.ConvertAll(concepts, c => c.Name),
            Aliases = Array.ConvertAll(concepts, c => string.Join('|', c.Aliases)),
            Kinds = Array.ConvertAll(concepts, c => c.Kind),
        }, tx, cancellationToken: ct));
    }

    /// <summary>Records that the run walked the whole table.</summary>
    public static Task<int> MarkSweptAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string version, DateTime now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(TopicExtractionSql.SweptSql, new { Version = version, Now = now }, tx, cancellationToken: ct));

    /// <summary>A batch's extractions, their statistics and (when the batch moves it) the watermark; the caller commits.</summary>
    public static async Task<Written> WriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, ExtractedRow[] batch, string version, DateTime now, (DateTime At, Guid Id)? advanceTo, CancellationToken ct)
    {
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
            await AdvanceAsync(connection, tx, version, now, to, ct);
        }

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
    /// Document frequencies of the inserted rows that got topics (each distinct key once per row) and the compound → head
    /// relations of the shareable ones, counted here; the daily rollups and the vocabulary are counted in SQL.
    /// </summary>
    private static async Task<Written> WriteStatisticsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, ExtractedRow[] inserted, string version, CancellationToken ct)
    {
        var documents = 0L;
        var termCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        var relationCounts = new Dictionary<(string Topic, string Head), long>();
        var seenTerms = new HashSet<string>(StringComparer.Ordinal);
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
            if (Privacy.PrivacyModel.QuestionShareable(e.Row.Privacy))
            {
                foreach (var relation in e.Result.Relations)
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(relationCounts, relation, out _)++;
                }
            }

            seenTerms.Clear();
            foreach (var token in e.Analysis.Tokens)
            {
                if (seenTerms.Add(token.Key))
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(termCounts, token.Key, out _)++;
                }
            }
        }

        // Upserted in a fixed order, so two overlapping runs take the row locks in the same order.
        var terms = termCounts.Keys.Order(StringComparer.Ordinal).ToArray();
        var relations = relationCounts.Keys.OrderBy(k => k.Topic, StringComparer.Ordinal).ThenBy(k => k.Head, StringComparer.Ordinal).ToArray();
        await connection.ExecuteAsync(new CommandDefinition(TopicExtractionSql.StatisticsSql, new
        {
            Version = version,
            Org = QueryHistorySql.Org,
            Documents = documents,
            Terms = terms,
            TermCounts = Array.ConvertAll(terms, t => termCounts[t]),
            RelationTopics = Array.ConvertAll(relations, r => r.Topic),
            RelationHeads = Array.ConvertAll(relations, r => r.Head),
            RelationCounts = Array.ConvertAll(relations, r => relationCounts[r]),
        }, tx, cancellationToken: ct));

        return new Written(inserted.Length, trivial, llmRows);
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken ct)
        where T : struct =>
        value is { } v ? importer.WriteAsync(v, type, ct) : importer.WriteNullAsync(ct);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type, CancellationToken ct) =>
        value is null ? importer.WriteNullAsync(ct) : importer.WriteAsync(value, type, ct);
}

using Acms.Domain.Privacy;
using Acms.Tests.Infrastructure;
using Dapper;

namespace Acms.Tests.Privacy;

/// <summary>The C# model and the SQL functions of migration 0030 give the same answer on the same inputs.</summary>
public sealed class PrivacyModelTests : DatabaseTest
{
    // Blank, whitespace, mixed case, unknown values, lookalikes (non-ASCII letters and spaces are not folded or trimmed).
    private static readonly string?[] RawLevels =
    [
        null, "", " ", "\t\n", "\v\f\r", "public", "Public", " PUBLIC ", "PUBLIC\t", "internal", "InTeRnAl", "INTERNAL",
        "confidential", "Confidential ", "CONFIDENTIAL", "local_only", "Local_Only", "LOCAL_ONLY", "LOCAL-ONLY", "LOCALONLY",
        "local only", "secret", "unknown", "UNKNOWN", "PUBLIC!", "PUBLIC INTERNAL", "\u00A0PUBLIC", "ＰＵＢＬＩＣ", "ınternal",
        "İnternal", "publıc", "'PUBLIC'", "\"INTERNAL\"", "0", "null", "PUBLIC\u200B",
    ];

    [Fact]
    public async Task Normalize_and_rank_agree_with_sql_on_every_raw_value()
    {
        var sql = await QueryAsync<(long I, string Level, int Rank)>(
            "SELECT i, acms_privacy_level(x), acms_privacy_rank(x) FROM unnest(@Cases::text[]) WITH ORDINALITY AS c(x, i) ORDER BY i",
            new { Cases = RawLevels });

        Assert.Equal(RawLevels.Length, sql.Count);
        for (var i = 0; i < RawLevels.Length; i++)
        {
            Assert.True(PrivacyModel.Normalize(RawLevels[i]) == sql[i].Level, $"case {i} '{RawLevels[i]}': C# {PrivacyModel.Normalize(RawLevels[i])}, SQL {sql[i].Level}");
            Assert.Equal(PrivacyModel.Rank(RawLevels[i]), sql[i].Rank);
        }
    }

    [Theory]
    [InlineData(null, "UNKNOWN")]
    [InlineData("", "UNKNOWN")]
    [InlineData("   ", "UNKNOWN")]
    [InlineData(" public ", "PUBLIC")]
    [InlineData("Internal", "INTERNAL")]
    [InlineData("confidential", "CONFIDENTIAL")]
    [InlineData("local_only", "LOCAL_ONLY")]
    [InlineData("SECRET", "UNKNOWN")]
    [InlineData("ＰＵＢＬＩＣ", "UNKNOWN")]
    public void Blank_and_unknown_values_are_never_public(string? raw, string expected) =>
        Assert.Equal(expected, PrivacyModel.Normalize(raw));

    [Fact]
    public async Task Strictest_agrees_with_sql_on_every_pair_and_is_symmetric()
    {
        var pairs = (from a in RawLevels from b in RawLevels select (A: a, B: b)).ToList();
        var sql = await QueryAsync<(long I, string Level)>(
            "SELECT i, acms_privacy_strictest(a, b) FROM unnest(@A::text[], @B::text[]) WITH ORDINALITY AS c(a, b, i) ORDER BY i",
            new { A = pairs.Select(p => p.A).ToArray(), B = pairs.Select(p => p.B).ToArray() });

        for (var i = 0; i < pairs.Count; i++)
        {
            Assert.Equal(PrivacyModel.Strictest(pairs[i].A, pairs[i].B), sql[i].Level);
            Assert.Equal(PrivacyModel.Strictest(pairs[i].A, pairs[i].B), PrivacyModel.Strictest(pairs[i].B, pairs[i].A));
        }

        // Conflicting signals: the stricter always wins, and an unknown one is never read as public.
        Assert.Equal("CONFIDENTIAL", PrivacyModel.Strictest("PUBLIC", "confidential"));
        Assert.Equal("LOCAL_ONLY", PrivacyModel.Strictest("LOCAL_ONLY", "CONFIDENTIAL"));
        Assert.Equal("UNKNOWN", PrivacyModel.Strictest("PUBLIC", ""));
        Assert.Equal("UNKNOWN", PrivacyModel.Strictest("INTERNAL", null));
    }

    [Fact]
    public async Task What_a_level_allows_agrees_with_sql()
    {
        string?[] levels = [.. PrivacyModel.Levels, null, "", "public", "Internal", "garbage"];
        var sql = await QueryAsync<(long I, bool Question, bool Answer, bool AnswerIfAllowed, bool Text)>("""
            SELECT i, acms_question_shareable(x), acms_answer_shareable(x, false), acms_answer_shareable(x, true), acms_text_public(x)
            FROM unnest(@Cases::text[]) WITH ORDINALITY AS c(x, i) ORDER BY i
            """, new { Cases = levels });

        for (var i = 0; i < levels.Length; i++)
        {
            var l = levels[i];
            Assert.Equal((PrivacyModel.QuestionShareable(l), PrivacyModel.AnswerShareable(l, false), PrivacyModel.AnswerShareable(l, true), PrivacyModel.TextPublic(l)),
                (sql[i].Question, sql[i].Answer, sql[i].AnswerIfAllowed, sql[i].Text));
        }

        Assert.True(PrivacyModel.QuestionShareable("UNKNOWN"));
        Assert.False(PrivacyModel.AnswerShareable("UNKNOWN", allowUnknown: false));
        Assert.False(PrivacyModel.QuestionShareable("CONFIDENTIAL"));
        Assert.False(PrivacyModel.QuestionShareable("LOCAL_ONLY"));
        Assert.False(PrivacyModel.AnswerShareable("LOCAL_ONLY", allowUnknown: true));
    }

    [Theory]
    [InlineData("""{"est_cost_usd": 0.01}""", "UNKNOWN")]
    [InlineData("""{"privacy_level": ""}""", "UNKNOWN")]
    [InlineData("""{"privacy_level": " public "}""", "PUBLIC")]
    [InlineData("""{"privacy_level": "Confidential"}""", "CONFIDENTIAL")]
    [InlineData("""{"privacy_level": 3}""", "UNKNOWN")]
    [InlineData("""{"privacy_level": null}""", "UNKNOWN")]
    [InlineData("""{"privacy_level": ["PUBLIC"]}""", "UNKNOWN")]
    [InlineData("""["PUBLIC"]""", "UNKNOWN")]
    [InlineData("\"PUBLIC\"", "UNKNOWN")]
    public async Task The_declared_level_is_read_from_metadata_and_anything_but_a_known_string_is_unknown(string metadata, string expected)
    {
        var level = await QaSeed.ScalarAsync<string>(Db.DataSource, "SELECT acms_declared_privacy(CAST(@metadata AS jsonb))", new { metadata });
        Assert.Equal(expected, level);
    }

    private async Task<List<T>> QueryAsync<T>(string sql, object parameters)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql, parameters)).AsList();
    }
}

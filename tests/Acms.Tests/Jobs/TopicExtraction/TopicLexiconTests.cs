using Acms.Domain.Jobs.TopicExtraction;

namespace Acms.Tests.Jobs.TopicExtraction;

public sealed class TopicLexiconTests
{
    private static readonly TopicLexicon Lexicon = TopicLexicon.Default;

    [Theory]
    [InlineData("k8s", "kubernetes")]
    [InlineData("Kubernetes", "kubernetes")]
    [InlineData("kuberentes", "kubernetes")]
    [InlineData("pg", "postgresql")]
    [InlineData("Postgres", "postgresql")]
    [InlineData("postgressql", "postgresql")]
    [InlineData("js", "javascript")]
    [InlineData("tf", "terraform")]
    [InlineData("Node.js", "nodejs")]
    [InlineData("C#", "csharp")]
    [InlineData("ASP.NET Core", "aspnet-core")]
    [InlineData("CI/CD", "ci-cd")]
    [InlineData("pull requests", "pull-request")]
    [InlineData("Horizontal Pod Autoscaler", "horizontal-pod-autoscaler")]
    [InlineData("HPA", "horizontal-pod-autoscaler")]
    [InlineData("postgres-queries", "postgresql-query")]
    [InlineData("Table Bloat", "table-bloat")]
    [InlineData("GitHub-Actions", "github-actions")]
    public void Aliases_case_plurals_hyphens_and_typos_fold_to_one_canonical_topic(string written, string canonical) =>
        Assert.Equal(canonical, Lexicon.Canonicalize(written));

    [Theory]
    [InlineData("queries", "query")]
    [InlineData("indexes", "index")]
    [InlineData("databases", "database")]
    [InlineData("caches", "cache")]
    [InlineData("branches", "branch")]
    [InlineData("kubernetes", "kubernetes")]
    [InlineData("redis", "redis")]
    [InlineData("analysis", "analysis")]
    [InlineData("status", "status")]
    [InlineData("coredns", "coredns")]
    public void Plurals_fold_and_words_that_only_look_plural_stay(string word, string singular) =>
        Assert.Equal(singular, Lexicon.Singular(word));

    [Theory]
    [InlineData("whats")]
    [InlineData("crazy")]
    [InlineData("super")]
    [InlineData("figure")]
    [InlineData("though")]
    [InlineData("minutes")]
    [InlineData("night")]
    [InlineData("analyze")]
    [InlineData("helps")]
    [InlineData("track")]
    [InlineData("incremental")]
    [InlineData("reproducibly")]
    public void Conversational_words_generic_verbs_adjectives_and_time_words_are_filler(string word) =>
        Assert.Equal(WordClass.Filler, Lexicon.Classify(Lexicon.Key(word)));

    [Theory]
    [InlineData("40m")]
    [InlineData("2024")]
    [InlineData("re")]
    [InlineData("x")]
    public void Numbers_and_fragments_are_never_topic_words(string word) =>
        Assert.True(Lexicon.Classify(Lexicon.Key(word)) is not (WordClass.Content or WordClass.Generic));

    [Fact]
    public void A_misspelt_filler_word_is_only_folded_by_a_transposition_and_known_words_are_never_corrected()
    {
        Assert.Equal("right", Lexicon.CorrectTypo("rigth"));
        Assert.Null(Lexicon.CorrectTypo("token"));
        Assert.Null(Lexicon.CorrectTypo("scale"));
        Assert.Null(Lexicon.CorrectTypo("stack"));
    }

    [Theory]
    [InlineData("terrafomr", "terraform")]
    [InlineData("sitio", null)]
    [InlineData("ubernetes", null)]
    public void A_typo_keeps_the_first_letter(string word, string? corrected) =>
        Assert.Equal(corrected, Lexicon.CorrectTypo(word));

    [Theory]
    [InlineData("lease")] // a database lease, a car lease: not relocation
    [InlineData("stock")] // inventory
    [InlineData("coverage")] // test coverage: not insurance
    [InlineData("feedback")]
    [InlineData("checkout")] // git checkout
    [InlineData("collectors")] // garbage collectors: not Java streams
    [InlineData("stress")] // stress tests: not burnout
    [InlineData("retention")] // log retention: not user retention
    [InlineData("prompt")] // an MFA prompt, a command prompt: not prompt engineering
    [InlineData("eviction")] // a pod eviction: not a cache eviction
    [InlineData("lookup")] // a lookup table: not a MongoDB aggregation
    [InlineData("kestrel")] // a project's codename: not ASP.NET's web server
    [InlineData("polly")] // a colleague: not the .NET resilience library
    [InlineData("ses")] // French "his, her": not Amazon SES
    [InlineData("attrition")] // customer attrition: not employee turnover
    [InlineData("chart")] // an org chart, a RACI chart, a Helm chart: not data visualization
    [InlineData("gift")] // gift cards, a gift tax: not gift ideas
    [InlineData("consensus")] // a team's consensus: not distributed systems
    [InlineData("survey")] // an employee survey: not customer feedback
    [InlineData("thread")] // an email or Slack thread: not multithreading
    [InlineData("leads")] // team leads, "this leads to": not lead generation
    [InlineData("breach")] // a breach of contract: not a security incident
    [InlineData("experiment")] // an ML experiment: not an A/B test
    [InlineData("certificate")] // a birth or A1 certificate: not TLS
    [InlineData("architecture")] // a city's architecture: not system design
    [InlineData("sessions")] // training or therapy sessions: not session management
    [InlineData("sam")] // a colleague, AWS SAM: not a market size
    [InlineData("notebook")] // a paper notebook, a laptop: not Jupyter
    [InlineData("paging")] // paging the on-call engineer: not pagination
    [InlineData("book")] // booking a room or a flight: not reading
    [InlineData("monitor")] // a monitor on a desk: not monitoring
    [InlineData("reporting")] // reporting a lost laptop: not BI reports
    public void A_common_word_with_several_senses_is_no_alias_of_one_of_them(string word) =>
        Assert.Null(Lexicon.Concept(Lexicon.Key(word)));

    [Fact]
    public void An_alias_written_with_a_sigil_is_not_a_common_word_once_the_sigil_is_gone()
    {
        // Words are matched without their punctuation: "@types" would be "types" and "!important" "important".
        var sigilWords = Lexicon.Concepts
            .SelectMany(c => c.Aliases.Select(a => (Alias: a, c.Name)))
            .Where(a => a.Alias.Length > 1 && !char.IsLetterOrDigit(a.Alias[0]) && a.Alias[1..].All(char.IsLetterOrDigit))
            .Where(a => Lexicon.Classify(Lexicon.Key(a.Alias[1..])) is not WordClass.Content)
            .ToList();

        Assert.Empty(sigilWords);
    }

    [Fact]
    public void Every_alias_folds_to_its_own_concept()
    {
        // The first concept to claim an alias keeps it: an alias that folds (plurals, typos, spacing) onto another
        // concept's alias would silently rename a question's subject.
        var misfolded = Lexicon.Concepts
            .SelectMany(c => c.Aliases.Select(a => (Alias: a, c.Name, Folded: Lexicon.Canonicalize(a))))
            .Where(x => x.Folded != x.Name)
            .Select(x => $"{x.Alias}: {x.Name} -> {x.Folded}")
            .ToList();
        Assert.True(misfolded.Count == 0, string.Join("; ", misfolded));
    }

    [Fact]
    public void The_shipped_lexicon_names_every_concept_once_in_canonical_form()
    {
        Assert.True(Lexicon.Concepts.Count >= 300, $"{Lexicon.Concepts.Count} concepts");
        Assert.All(Lexicon.Concepts, c => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", c.Name));
        Assert.Equal(Lexicon.Concepts.Count, Lexicon.Concepts.Select(c => c.Name).Distinct().Count());
        Assert.All(Lexicon.Concepts, c => Assert.Equal(c.Name, Lexicon.Canonicalize(c.Name)));
    }
}

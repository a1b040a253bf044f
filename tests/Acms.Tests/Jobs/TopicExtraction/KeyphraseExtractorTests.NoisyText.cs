using Acms.Domain.Jobs.TopicExtraction;

namespace Acms.Tests.Jobs.TopicExtraction;

/// <summary>Noisy text: other languages, code words, file and module names, identifiers and links.</summary>
public sealed partial class KeyphraseExtractorTests
{
    [Theory]
    [InlineData("wie richte ich einen nginx reverse proxy für websockets ein", "nginx", "richte")]
    [InlineData("wie beantrage ich eine neue zugangskarte für das büro", null, "beantrage,zugangskarte")]
    [InlineData("¿dónde descargo mi nómina de octubre?", null, "descargo,octubre")]
    [InlineData("comment récupérer mon mot de passe oublié", "password", "récupérer,oublié")]
    [InlineData("quels sont ses avantages pour terraform cloud", "terraform-cloud", "quel,sont,ses,avantage")]
    [InlineData("Qu'est-ce qu'une fuite de mémoire dans une application java ?", "java", "quest,quune")]
    public void In_a_question_in_another_language_only_concepts_and_english_words_are_topics(string question, string? concept, string forbidden)
    {
        var topics = Extract(question).Topics;

        if (concept is not null)
        {
            Assert.Contains(concept, topics);
        }

        AssertNoTopicHasAWordOf(topics, forbidden);
    }

    [Fact]
    public void A_question_in_another_language_is_not_small_talk()
    {
        Assert.NotEmpty(Extract("wie kann ich Urlaub beantragen").Topics);
    }

    [Fact]
    public void Code_words_the_lexicon_knows_and_settings_named_in_the_question_are_topics()
    {
        var dump = Extract("pg_dump is slow on our 300GB database");
        Assert.Equal("pg-dump", dump.PrimaryTopic);
        Assert.Contains(("pg-dump", "postgresql"), dump.Relations);

        // A snake_case setting is a topic of its own, not the start of a phrase with the next word.
        Assert.Contains("checkpoint-completion-target", Extract("what does checkpoint_completion_target control").Topics);
    }

    [Theory]
    // A file name and a camelCase call the lexicon does not know are code, never topic words.
    [InlineData("the build reads settings.toml and then crashes in loadSettingsFromDisk", "settingstoml,loadsettingsfromdisk")]
    // A short or irregular past form is no topic word ("named" of "No module named", "told").
    [InlineData("No module named requests in the worker, ops told me to pin it", "named,told")]
    public void Code_words_and_past_forms_in_noisy_text_are_not_topics(string question, string forbidden)
        => AssertNoTopicHasAWordOf(Extract(question).Topics, forbidden);

    [Theory]
    [InlineData("psycopg2.OperationalError: SSL SYSCALL error: EOF detected", "psycopg", "operationalerror")]
    [InlineData("pd.read_csv is slow on a 5GB file", "pandas", "pdread")]
    [InlineData("np.array vs a plain list for 1M floats", "numpy", "nparray")]
    [InlineData("tf.keras model won't load after upgrading", "tensorflow", "tfkera")]
    // A source file gives the language it is written in.
    [InlineData("UserController.cs line 57 throws when the id is missing", "csharp", "usercontrollercs")]
    [InlineData("deploy.sh exits with 127 on the build agent", "bash", "deploysh")]
    [InlineData("Cannot find module './utils' imported from server.mjs", "javascript", "servermjs")]
    [InlineData("panic: assignment to entry in nil map in main.go:31", "golang", "maingo")]
    public void A_dotted_code_name_gives_the_module_or_language_it_belongs_to(string question, string concept, string forbidden)
    {
        var topics = Extract(question).Topics;

        Assert.Contains(concept, topics);
        AssertNoTopicHasAWordOf(topics, forbidden);
    }

    [Theory]
    [InlineData("useEffect", true)]
    [InlineData("getServerSideProps", true)]
    [InlineData("ModuleNotFoundError", true)]
    [InlineData("NullPointerException", true)]
    [InlineData("iPhone", false)]
    [InlineData("GitHub", false)]
    [InlineData("CrashLoopBackOff", false)]
    [InlineData("Error", false)]
    public void An_identifier_is_told_by_its_letter_case(string word, bool identifier) =>
        Assert.Equal(identifier, WordShape.IsIdentifier(word));

    [Fact]
    public void A_links_path_names_its_concepts_and_nothing_else_of_it_becomes_a_topic()
    {
        var topics = Extract("saw https://learn.microsoft.com/de-de/azure/aks/cluster-autoscaler?tabs=cli#limits, why no scale down").Topics;

        Assert.Contains("azure-kubernetes-service", topics);
        Assert.Contains("cluster-autoscaler", topics);
        Assert.DoesNotContain(topics, t => t.Contains("learn", StringComparison.Ordinal) || t.Contains("tabs", StringComparison.Ordinal) || t == "germany");
        // An e-mail address gives nothing, not even its domain.
        Assert.DoesNotContain(topics, t => t.Contains("microsoft", StringComparison.Ordinal));
        Assert.Equal(["terraform"], Extract("ping jane.doe@terraform-consulting.example about the terraform review").Topics.Where(t => t != "code-review"));
    }

    [Fact]
    public void A_code_word_the_lexicon_knows_is_still_its_concept()
    {
        Assert.Contains("nodejs", Extract("Node.js event loop lag under load").Topics);
        // useEffect is a hook of its own (kp-10), stored as related to the family it belongs to.
        var hook = Extract("why does useEffect fire on every render");
        Assert.Contains("useeffect", hook.Topics);
        Assert.Contains(("useeffect", "react-hooks"), hook.Relations);
        Assert.Contains("out-of-memory", Extract("java.lang.OutOfMemoryError: Java heap space in the batch job").Topics);
    }

    [Fact]
    public void Go_capitalized_inside_a_sentence_is_the_language_and_at_its_start_the_verb()
    {
        Assert.Contains("golang", Extract("How do I cancel a context in Go?").Topics);
        Assert.Contains("golang", Extract("how do you lay out a large go project").Topics);
        Assert.DoesNotContain("golang", Extract("Go to settings and click save, then the export starts?").Topics);
    }
}

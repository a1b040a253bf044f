namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// Splits text into words without allocating per character: letters and digits, with inner dots, underscores and
/// apostrophes kept inside a word (<c>node.js</c> → <c>nodejs</c>, <c>don't</c> → <c>dont</c>), <c>#</c> and <c>++</c>
/// kept after a word (<c>c#</c>, <c>c++</c>), <c>.net</c> read as <c>dotnet</c>. URLs and e-mail addresses are skipped.
/// Hyphens join words of one run; other punctuation marks a break. Used for Q&amp;A text and for the lexicon's aliases
/// alike, so both normalize the same way.
/// </summary>
public static class TopicTokenizer
{
    public static void Tokenize(ReadOnlySpan<char> text, List<RawWord> words)
    {
        var pendingBreak = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (!char.IsLetterOrDigit(c))
            {
                if (c is not ' ' and not '-' and not '\t' and not '\'' and not '"' and not '*' and not '`')
                {
                    pendingBreak = true;
                }

                i++;
                continue;
            }

            var start = i;
            var code = false;
            var dots = 0;
            while (i < text.Length)
            {
                var d = text[i];
                if (char.IsLetterOrDigit(d))
                {
                    i++;
                }
                else if (d is '\'' or '’' && IsElision(text[start..i]))
                {
                    // French and Italian elision ("qu'une", "l'attaque", "c'est"): the article or pronoun is a word of its
                    // own, and so is what follows.
                    break;
                }
                else if (d is '.' or '_' or '\'' or '’' && i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1]))
                {
                    code |= d == '_';
                    dots += d == '.' ? 1 : 0;
                    i++;
                }
                else
                {
                    break;
                }
            }

            var end = i;
            if (i < text.Length && text[i] == '#')
            {
                end = ++i;
            }
            else if (i + 1 < text.Length && text[i] == '+' && text[i + 1] == '+')
            {
                i += 2;
                end = i;
            }

            // URLs (scheme://… or www.…) and e-mail addresses are not words: skip to the next blank. A link is kept as one
            // code word marked Url, whose path may name concepts; an e-mail address is dropped.
            var email = i < text.Length && text[i] == '@';
            if (email || (i + 2 < text.Length && text[i] == ':' && text[i + 1] == '/' && text[i + 2] == '/')
                || text[start..end].StartsWith("www.", StringComparison.OrdinalIgnoreCase))
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i]))
                {
                    i++;
                }

                if (!email)
                {
                    words.Add(new RawWord(start, i - start, pendingBreak, Code: true, DotNet: false, Url: true));
                }

                pendingBreak = true;
                continue;
            }

            // A path or call ("src/app.ts", "foo(bar)"), a dotted name with several parts or a file name ("app.py") is
            // code. A code word the lexicon knows is still a topic ("node.js" → nodejs).
            code |= dots >= 2 || (i < text.Length && text[i] is '(' or '/' or '\\' && dots > 0) || (dots == 1 && IsFileName(text[start..end]));
            var dotNet = end - start == 3 && start > 0 && text[start - 1] == '.' && text.Slice(start, 3).Equals("net", StringComparison.OrdinalIgnoreCase);
            words.Add(new RawWord(start, end - start, pendingBreak, code, dotNet));
            pendingBreak = false;
        }
    }

    private static readonly System.Collections.Frozen.FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> FileExtensions = System.Collections.Frozen.FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        ["py", "js", "mjs", "cjs", "ts", "tsx", "jsx", "java", "cs", "csproj", "json", "yaml", "yml", "md", "txt", "sql", "sh",
         "rb", "php", "html", "css", "scss", "xml", "csv", "log", "conf", "cfg", "ini", "toml", "lock", "tf", "tfvars",
         "env", "ps1", "bat", "exe", "dll", "jar", "zip", "gz", "tar", "pdf", "docx", "xlsx", "pptx", "png", "jpg", "svg",
         "ipynb", "go", "rs", "kt", "swift", "cpp", "vue", "svelte", "bicep", "proto", "gradle"])
        .GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>An elided French or Italian article or pronoun before an apostrophe: c, d, j, l, m, n, s, t or qu.</summary>
    private static bool IsElision(ReadOnlySpan<char> word) =>
        (word.Length == 1 && "cdjlmnstCDJLMNST".Contains(word[0]))
        || (word.Length == 2 && word.Equals("qu", StringComparison.OrdinalIgnoreCase));

    /// <summary>A word with one inner dot whose last part is a file extension ("app.py", "Program.cs").</summary>
    private static bool IsFileName(ReadOnlySpan<char> word)
    {
        var dot = word.LastIndexOf('.');
        return dot > 0 && FileExtensions.Contains(word[(dot + 1)..]);
    }

    /// <summary>The words of a text as normalized strings (for aliases and tags, where speed does not matter).</summary>
    public static List<string> Words(string text)
    {
        var raw = new List<RawWord>();
        Tokenize(text, raw);
        return raw.Where(w => !w.Url).Select(w => w.DotNet ? "dotnet" : Normalize(text.AsSpan(w.Start, w.Length))).ToList();
    }

    /// <summary>Lowercase; a possessive "'s" removed; apostrophes and dots inside the word dropped.</summary>
    public static string Normalize(ReadOnlySpan<char> word)
    {
        // Possessive "'s" goes; other apostrophes and dots are dropped inside the word.
        if (word.Length > 2 && word[^1] is 's' or 'S' && word[^2] is '\'' or '’')
        {
            word = word[..^2];
        }

        Span<char> buffer = word.Length <= 128 ? stackalloc char[word.Length] : new char[word.Length];
        var n = 0;
        foreach (var c in word)
        {
            if (c is not '.' and not '\'' and not '’')
            {
                buffer[n++] = char.ToLowerInvariant(c);
            }
        }

        return new string(buffer[..n]);
    }
}

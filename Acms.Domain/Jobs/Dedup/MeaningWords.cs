namespace Acms.Domain.Jobs.Dedup;

/// <summary>
/// The word classes the merge rule (<see cref="SameMeaningRule"/>) knows. Only <see cref="Fillers"/> may differ freely;
/// every other differing word must be an unambiguous typo of the same word. The other classes name the reason a pair was
/// kept apart (negation, opposite, number): the rule is an allow-list, so a word missing from them is still kept apart.
/// </summary>
public static class MeaningWords
{
    /// <summary>
    /// Stop words that may be added, dropped or swapped for one another without changing what a memory says. Deliberately
    /// small: pronouns (he/she), modals (must/may), quantifiers (all/some/only), prepositions (to/from, before/after),
    /// tense auxiliaries (was/will) and "or" are stop words too, but they carry meaning, so they are not in it.
    /// </summary>
    public static readonly HashSet<string> Fillers = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "is", "are", "be", "that", "and", "please", "kindly", "just", "really", "very", "actually",
        "basically", "also", "so", "um", "uh", "ok", "okay",
    };

    /// <summary>Words that negate (after "n't" is split off as "not").</summary>
    public static readonly HashSet<string> Negations = new(StringComparer.Ordinal)
    {
        "not", "no", "never", "without", "nor", "none", "nothing", "nobody", "nowhere", "neither", "cannot", "non",
        "nope", "nah", "neednt", "dont", "doesnt", "didnt", "isnt", "wasnt", "wont", "cant", "shouldnt", "wouldnt",
        "couldnt", "mustnt", "arent", "werent", "hasnt", "havent", "hadnt", "except", "unless", "instead", "stop",
    };

    /// <summary>Opposites: either word of a pair turns a memory into its contrary.</summary>
    public static readonly HashSet<string> Opposites = Pairs(
        "enable disable", "able unable", "enabled disabled", "allow deny", "allowed denied", "allow block", "before after",
        "increase decrease", "increased decreased", "add remove", "added removed", "on off", "min max", "minimum maximum",
        "true false", "yes no", "start stop", "started stopped", "open close", "opened closed", "include exclude",
        "included excluded", "accept reject", "accepted rejected", "above below", "over under", "up down", "in out",
        "inside outside", "high low", "higher lower", "more less", "most least", "first last", "earlier later",
        "early late", "asc desc", "ascending descending", "public private", "internal external", "success failure",
        "pass fail", "passed failed", "win lose", "buy sell", "push pull", "upload download", "import export",
        "input output", "read write", "lock unlock", "locked unlocked", "encrypt decrypt", "grant revoke", "approve reject",
        "approved rejected", "always never", "all none", "every none", "like dislike", "love hate", "prefer avoid",
        "can cannot", "must may", "should shouldnt", "will wont", "do dont", "does doesnt", "with without",
        "to from", "left right", "north south", "east west", "light dark", "hot cold", "fast slow", "new old",
        "newer older", "newest oldest", "large small", "big small", "long short", "longer shorter", "inbound outbound",
        "ingress egress", "online offline", "available unavailable", "valid invalid", "visible hidden", "show hide",
        "connect disconnect", "subscribe unsubscribe", "mount unmount", "install uninstall", "attach detach",
        "follow unfollow", "mute unmute", "pause resume", "freeze unfreeze", "upgrade downgrade", "promote demote",
        "primary secondary", "master replica", "leader follower", "sync async", "synchronous asynchronous",
        "permanent temporary", "mandatory optional", "required optional", "strict lenient", "same different",
        "agree disagree", "like unlike", "likely unlikely", "possible impossible", "legal illegal", "correct incorrect",
        "right wrong", "good bad", "better worse", "best worst", "safe unsafe", "secure insecure", "healthy unhealthy",
        "present absent", "arrive leave", "arrival departure", "inhale exhale", "win loss", "profit loss", "gain loss",
        "credit debit", "income expense", "plus minus", "positive negative", "forward backward", "next previous",
        "prev next", "past future", "today tomorrow", "yesterday today", "morning evening", "am pm", "day night",
        "weekday weekend", "include omit", "keep drop", "keep delete", "create delete", "created deleted", "insert delete",
        "merge split", "join leave", "hire fire", "send receive", "sent received", "give take", "lend borrow",
        "borrow return", "raise lower", "expand collapse", "grow shrink", "maximize minimize", "overestimate underestimate");

    /// <summary>Numbers, units, dates and times written as words: a different one is a different fact, never a typo.</summary>
    public static readonly HashSet<string> Quantities = new(StringComparer.Ordinal)
    {
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty",
        "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million", "billion", "trillion", "dozen",
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "once", "twice",
        "thrice", "half", "quarter", "double", "triple", "single", "couple", "several", "percent", "per",
        "ms", "msec", "millisecond", "milliseconds", "sec", "secs", "seconds", "min", "mins", "minute", "minutes", "hr",
        "hrs", "hour", "hours", "day", "days", "week", "weeks", "fortnight", "month", "months", "year", "years", "decade",
        "daily", "weekly", "biweekly", "monthly", "quarterly", "yearly", "annually", "hourly", "nightly",
        "byte", "bytes", "kb", "mb", "gb", "tb", "pb", "kib", "mib", "gib", "tib", "kilobyte", "kilobytes", "megabyte",
        "megabytes", "gigabyte", "gigabytes", "terabyte", "terabytes", "bit", "bits", "kbps", "mbps", "gbps",
        "mm", "cm", "meter", "meters", "metre", "metres", "km", "kilometer", "kilometers", "mile", "miles", "inch",
        "inches", "foot", "feet", "yard", "yards", "gram", "grams", "kg", "kilogram", "kilograms", "pound", "pounds",
        "ounce", "ounces", "lb", "lbs", "oz", "liter", "liters", "litre", "litres", "ml", "gallon", "gallons", "cup", "cups",
        "celsius", "fahrenheit", "degree", "degrees", "dollar", "dollars", "euro", "euros", "cent", "cents", "usd", "eur",
        "gbp", "yen", "rupee", "rupees", "cpu", "cpus", "core", "cores", "node", "nodes", "replica", "replicas",
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "tues", "wed",
        "thu", "thur", "thurs", "fri", "sat", "sun", "today", "tomorrow", "yesterday", "tonight", "morning", "afternoon",
        "evening", "night", "noon", "midnight", "midday", "weekend", "weekday", "am", "pm", "utc", "gmt", "cet", "est",
        "pst", "ist", "q1", "q2", "q3", "q4", "eod", "eow", "asap",
    };

    private static HashSet<string> Pairs(params string[] pairs)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            foreach (var word in pair.Split(' '))
            {
                words.Add(word);
            }
        }

        return words;
    }
}

namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>What a word can be in a topic.</summary>
public enum WordClass : byte
{
    /// <summary>A subject word: may be a topic alone or in a phrase.</summary>
    Content,

    /// <summary>A noun too general to be a topic alone ("table", "service"); may stand in a phrase ("table bloat").</summary>
    Generic,

    /// <summary>Never part of a topic: a conversational word, a generic verb, adjective or adverb, a time word, a unit.</summary>
    Filler,

    /// <summary>A function word.</summary>
    Stop,

    /// <summary>A number, a code identifier or a fragment: never part of a topic.</summary>
    Token,
}

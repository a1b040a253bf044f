#!/usr/bin/env python3
"""Derives Acms.Domain/Jobs/TopicExtraction/Lexicon/non-nouns.tsv.gz from WordNet 3.0.

Input: the Debian package wordnet-base (apt-get download wordnet-base; dpkg -x it into a folder) and the SCOWL word
list the dedup job ships. Output lines: word <TAB> v|a [<TAB> derived nouns, comma separated].
  v = WordNet knows the word only as a verb; a = only as an adjective or adverb (or as both); never as a noun;
  p = the past form of a verb (regular or irregular) that WordNet knows as neither a noun nor an adjective.
  The derived nouns of a verb are WordNet's derivationally related nouns ("resign" -> "resignation"), leaving out
  agent nouns (-er, -or, -ant, -ee, -ist, -ar, and -ent except -ment), which name a person, not a process.
Inflected forms (-s, -ed, -ing; -er, -est; WordNet's irregular forms) are listed when SCOWL has them and WordNet does
not know them as nouns ("scheduling" is a noun and is left out).

usage: make-non-nouns.py <wordnet-dir> <scowl.txt.gz> <out.tsv.gz>
"""
import collections
import gzip
import sys

wordnet, scowl_path, out_path = sys.argv[1:4]
VOWELS = 'aeiou'


def index(pos):
    with open(f'{wordnet}/index.{pos}', encoding='latin-1') as f:
        return {l.split()[0] for l in f if not l.startswith(' ') and l.split()[0].isalpha()}


def data(pos):
    synsets = {}
    with open(f'{wordnet}/data.{pos}', encoding='latin-1') as f:
        for line in f:
            if line.startswith(' '):
                continue
            f_ = line.split()
            count = int(f_[3], 16)
            words = [f_[4 + 2 * i].lower() for i in range(count)]
            i = 4 + 2 * count
            pointers = [tuple(f_[i + 1 + 4 * k:i + 5 + 4 * k]) for k in range(int(f_[i]))]
            synsets[f_[0]] = (words, pointers)
    return synsets


def exceptions(pos):
    forms = collections.defaultdict(set)
    with open(f'{wordnet}/{pos}.exc') as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and parts[0].isalpha():
                forms[parts[1]].add(parts[0])
    return forms


def is_agent(noun):
    return noun.endswith(('er', 'or', 'ant', 'ee', 'ist', 'ar')) or (noun.endswith('ent') and not noun.endswith('ment'))


def doubles_final(word):
    return len(word) >= 3 and word[-1] not in 'aeiouwxy' and word[-2] in VOWELS and word[-3] not in VOWELS


def verb_forms(v):
    stem = v[:-1] if v.endswith('e') else v
    y = v.endswith('y') and len(v) > 2 and v[-2] not in VOWELS
    forms = {v, stem + 'ing',
             v + 'es' if v.endswith(('s', 'sh', 'ch', 'x', 'z')) else v[:-1] + 'ies' if y else v + 's',
             v[:-1] + 'ied' if y else stem + 'ed'}
    if doubles_final(v):
        forms |= {v + v[-1] + 'ed', v + v[-1] + 'ing'}
    return forms | VERB_EXC.get(v, set())


def adjective_forms(a):
    stem = a[:-1] if a.endswith('e') else a
    y = a.endswith('y') and len(a) > 2 and a[-2] not in VOWELS
    forms = {a, a[:-1] + 'ier', a[:-1] + 'iest'} if y else {a, stem + 'er', stem + 'est'}
    if doubles_final(a):
        forms |= {a + a[-1] + 'er', a + a[-1] + 'est'}
    return forms | ADJ_EXC.get(a, set())


NOUNS, VERBS, ADJS, ADVS = index('noun'), index('verb'), index('adj'), index('adv')
VERB_EXC, ADJ_EXC = exceptions('verb'), exceptions('adj')
verb_data, noun_data = data('verb'), data('noun')
with gzip.open(scowl_path, 'rt') as f:
    scowl = {l.strip() for l in f if l.strip() and l[0].islower()}

derived = collections.defaultdict(set)
for words, pointers in verb_data.values():
    for symbol, target, pos, source_target in pointers:
        source, goal = int(source_target[:2], 16), int(source_target[2:], 16)
        if symbol == '+' and pos == 'n' and source and goal:
            verb, noun = words[source - 1], noun_data[target][0][goal - 1]
            if verb.isalpha() and noun.isalpha() and noun != verb and not is_agent(noun):
                derived[verb].add(noun)

classes, nouns_of = {}, collections.defaultdict(set)
for word in sorted((VERBS | ADJS | ADVS) - NOUNS):
    verb_only = word in VERBS and word not in ADJS and word not in ADVS
    kind = 'v' if verb_only else 'a'
    forms = (verb_forms(word) if word in VERBS else set()) | (adjective_forms(word) if word in ADJS else set()) | {word}
    for form in forms:
        if form in scowl and form not in NOUNS:
            classes[form] = 'a' if classes.get(form, kind) != kind else kind
            if verb_only:
                nouns_of[form] |= derived.get(word, set())

# Past forms of any verb, nouns or not ("named", "used", "built", "sent"): a participle names no subject. The extractor
# already takes words of six or more letters ending in -ed for participles; this adds the short and irregular ones.
for verb in VERBS:
    stem = verb[:-1] if verb.endswith('e') else verb
    y = verb.endswith('y') and len(verb) > 2 and verb[-2] not in VOWELS
    past = {verb[:-1] + 'ied' if y else stem + 'ed'} | ({verb + verb[-1] + 'ed'} if doubles_final(verb) else set())
    past |= {form for form in VERB_EXC.get(verb, set()) if not form.endswith('ing') and not form.endswith('s')}
    for form in past:
        if form in scowl and form not in NOUNS and form not in ADJS and form != verb and form not in classes:
            classes[form] = 'p'

with gzip.GzipFile(out_path, 'wb', mtime=0) as out:
    for word in sorted(classes):
        nouns = sorted(nouns_of[word]) if classes[word] == 'v' else []
        out.write((word + '\t' + classes[word] + ('\t' + ','.join(nouns) if nouns else '') + '\n').encode())

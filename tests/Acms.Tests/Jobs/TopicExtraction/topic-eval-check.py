#!/usr/bin/env python3
"""Checks topic-eval.jsonl: every line parses, the schema holds, ids are unique,
gold topics are canonical-looking, and prints counts per domain and split.
Usage: python3 topic-eval-check.py [path]   (exit 1 on any problem)"""
import json, re, sys, collections, os

path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "topic-eval.jsonl")
TOPIC = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Aliases that must never appear as a gold topic (the canonical name is used instead).
ALIASES = {"k8s", "kube", "postgres", "pg", "js", "ts", "tf", "gh-actions", "gha", "aws", "gcp", "az", "np", "pd",
           "sklearn", "mongo", "es", "node", "node-js", "reactjs", "vuejs", "go", "c#", "dotnet-core", "ms-teams", "aad",
           "azure-ad", "eks", "aks", "gke", "rds", "ec2", "s3", "mfa", "2fa", "sso", "llm", "llms", "rag", "pto"}
KEYS = {"id", "domain", "split", "question", "answer", "gold", "small_talk"}
errors, ids = [], set()
per = collections.Counter()
with open(path, encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        try:
            r = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"line {n}: not JSON ({e})"); continue
        if set(r) != KEYS: errors.append(f"line {n}: keys {sorted(r)}"); continue
        if r["id"] in ids: errors.append(f"line {n}: duplicate id {r['id']}")
        ids.add(r["id"])
        if r["split"] not in ("dev", "test"): errors.append(f"line {n}: split {r['split']}")
        if not r["question"].strip() or not r["answer"].strip(): errors.append(f"line {n}: empty text")
        g = r["gold"]
        if r["small_talk"]:
            if g or r["domain"] != "small_talk": errors.append(f"line {n}: small talk must have domain small_talk and no gold")
        else:
            if not 1 <= len(g) <= 4: errors.append(f"line {n}: {len(g)} gold topics")
            if len(set(g)) != len(g): errors.append(f"line {n}: repeated gold topic")
            for t in g:
                if not TOPIC.match(t): errors.append(f"line {n}: topic '{t}' is not lowercase-hyphenated")
                if t in ALIASES: errors.append(f"line {n}: topic '{t}' is an alias, use the canonical name")
        per[(r["domain"], r["split"])] += 1
domains = sorted({d for d, _ in per})
total = sum(per.values())
print(f"{'domain':24} {'dev':>5} {'test':>5} {'total':>6}")
for d in domains:
    print(f"{d:24} {per[(d,'dev')]:5} {per[(d,'test')]:5} {per[(d,'dev')]+per[(d,'test')]:6}")
print(f"{'all':24} {sum(v for (d,s),v in per.items() if s=='dev'):5} {sum(v for (d,s),v in per.items() if s=='test'):5} {total:6}")
small = per[("small_talk", "dev")] + per[("small_talk", "test")]
if small < 100: errors.append(f"only {small} small-talk rows")
for d in domains:
    if d != "small_talk" and per[(d, "dev")] + per[(d, "test")] < 80: errors.append(f"domain {d} has fewer than 80 rows")
if len([d for d in domains if d != "small_talk"]) < 10: errors.append("fewer than 10 topical domains")
if total < 1100: errors.append(f"only {total} rows")
for e in errors: print("ERROR", e)
sys.exit(1 if errors else 0)

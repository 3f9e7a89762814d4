#!/usr/bin/env python3
"""Validate blind probe sets (issue 20): format, labels and label spread.

Usage: check_probes.py ITEMS_JSONL SET_JSONL [SET_JSONL ...]
Checks: every line parses, ids unique, item ids exist, aspects valid, turns
without an item are out_of_scope/clarify with no aspect, every clarify is
followed by an item turn, no item labelled in more than two dialogues or two
turns of a file, and (with several files) that the files share no item.
"""
import collections
import json
import sys

ASPECTS = {"overview", "conditions", "materials", "process", "time_limit", "fee",
           "location", "online", "appointment", "contact", "legal_basis"}


def check(path, items):
    errs, ids = [], set()
    turns_by_item = collections.Counter()
    dlgs_by_item = collections.defaultdict(set)
    kinds = collections.Counter()
    aspects = 0
    n = 0
    for ln, line in enumerate(open(path, encoding="utf-8"), 1):
        d = json.loads(line)
        n += 1
        if d["id"] in ids:
            errs.append(f"{path}:{ln} duplicate id {d['id']}")
        ids.add(d["id"])
        turns = d["turns"]
        for i, t in enumerate(turns):
            if not t.get("q"):
                errs.append(f"{d['id']} turn {i}: empty q")
            if "item" in t:
                kinds["item"] += 1
                if t["item"] not in items:
                    errs.append(f"{d['id']} turn {i}: unknown item {t['item']}")
                if t.get("expect", "answer") != "answer":
                    errs.append(f"{d['id']} turn {i}: item with expect {t['expect']}")
                if "aspect" in t:
                    aspects += 1
                    if t["aspect"] not in ASPECTS:
                        errs.append(f"{d['id']} turn {i}: bad aspect {t['aspect']}")
                turns_by_item[t["item"]] += 1
                dlgs_by_item[t["item"]].add(d["id"])
            else:
                e = t.get("expect")
                if e not in ("out_of_scope", "clarify"):
                    errs.append(f"{d['id']} turn {i}: no item and expect {e}")
                if "aspect" in t:
                    errs.append(f"{d['id']} turn {i}: aspect without item")
                kinds[e] += 1
                if e == "clarify" and (i + 1 >= len(turns) or "item" not in turns[i + 1]):
                    errs.append(f"{d['id']} turn {i}: clarify not settled by an item turn")
    for it, c in turns_by_item.items():
        if c > 2 or len(dlgs_by_item[it]) > 2:
            errs.append(f"{path}: {it} in {c} turns / {len(dlgs_by_item[it])} dialogues")
    total = sum(kinds.values())
    print(f"{path}: {n} dialogues, {total} turns, item {kinds['item']} ({aspects} with aspect), "
          f"oos {kinds['out_of_scope']}, clarify {kinds['clarify']}, items {len(turns_by_item)}; "
          f"{100*kinds['item']/total:.0f}/{100*kinds['out_of_scope']/total:.0f}/{100*kinds['clarify']/total:.0f} %")
    return errs, set(turns_by_item)


def main():
    items = {json.loads(l)["id"] for l in open(sys.argv[1], encoding="utf-8")}
    errs, seen = [], []
    for p in sys.argv[2:]:
        e, s = check(p, items)
        errs += e
        seen.append((p, s))
    for i in range(len(seen)):
        for j in range(i + 1, len(seen)):
            shared = seen[i][1] & seen[j][1]
            if shared:
                errs.append(f"{seen[i][0]} and {seen[j][0]} share {sorted(shared)}")
    for e in errs:
        print("ERROR", e)
    sys.exit(1 if errs else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Everyday-words coverage of the catalogue's conditions (issue 20).

For each item, whether its name, which of its conditions and papers, and
its summary (who it is for)
hold a catalogue term that some everyday rule leads to: a right-hand
term of internal/zh/lexicon/synonyms.txt or a `terms =` of
internal/assistant/lexicon/situations.txt. Also whether the item is
the answer to a described life situation (`items =` / `cue =`).

usage: python3 docs/tools/everyday_coverage.py [-v]   (from the repo root)
"""
import json, re, sys

GENERIC = set("首次 申领 补贴 津贴 补助 证明 查询 变更 打印 发放 登记 备案 申报 报销 "
              "户籍 户口 居民户口簿 居民身份证 证书 换领 补领 补发 补办 注销 有效期满 到期 "
              "遗失 丢失 损坏 转入 入户 落户 提取 出生 子女 儿童 配偶 夫妻 老年人 "
              "用人单位 意外 困难 大病 退休 养老金 社会保险 医疗保险 医保 住房公积金 "
              "营业执照 住所 申请 个人身份 适配".split())

def rules():
    terms = set()
    for line in open("internal/zh/lexicon/synonyms.txt", encoding="utf-8"):
        line = line.split("#")[0].strip()
        if "=" not in line or line.startswith("@"):
            continue
        terms.update(line.split("=", 1)[1].split())
    sit_items, sit_terms = set(), set()
    for line in open("internal/assistant/lexicon/situations.txt", encoding="utf-8"):
        line = line.split("#")[0].strip()
        if line.startswith("terms ="):
            sit_terms.update(line.split("=", 1)[1].split())
        elif line.startswith("items ="):
            sit_items.update(line.split("=", 1)[1].split())
        elif line.startswith("cue ="):
            sit_items.add(line.split("=", 1)[1].split(":")[0].strip())
    return terms | sit_terms, sit_items

def main():
    verbose = "-v" in sys.argv
    terms, sit_items = rules()
    terms = {t for t in terms if len(t) >= 2 and t not in GENERIC}
    n_cond = n_cov = n_items_any = n_sit = n_target = n_mat = n_mat_cov = n_name = 0
    gaps = []
    for line in open("data/kb/items.jsonl", encoding="utf-8"):
        it = json.loads(line)
        conds = it["conditions"]
        hit = [sorted(t for t in terms if t in c) for c in conds]
        tgt = sorted(t for t in terms if t in it["summary"])
        cov = sum(1 for h in hit if h)
        n_cond += len(conds); n_cov += cov
        n_target += bool(tgt)
        mats = [m["name"] for m in it["materials"]]
        n_mat += len(mats)
        n_mat_cov += sum(1 for m in mats if any(t in m for t in terms))
        named = any(t in it["name"] for t in terms)
        n_name += named
        sit = it["name"] in sit_items
        n_sit += sit
        anyc = cov > 0 or bool(tgt) or named
        n_items_any += anyc
        if not anyc and not sit:
            gaps.append(it["id"] + " " + it["name"])
        if verbose:
            print(f'{it["id"]} {it["name"]}  name {"+" if named else "-"}  conds {cov}/{len(conds)}  target {"+" if tgt else "-"}  situation {"+" if sit else "-"}')
            for c, h in zip(conds, hit):
                print(f'    {"+" if h else "-"} {c}  {" ".join(h)}')
            print(f'    {"+" if tgt else "-"} [summary] {it["summary"]}  {" ".join(tgt)}')
    print(f"conditions with an everyday rule: {n_cov}/{n_cond} ({n_cov/n_cond:.2f})")
    print(f"items whose summary (target) holds a rule term: {n_target}/120")
    print(f"items whose name holds a rule term: {n_name}/120")
    print(f"materials (papers) with an everyday rule: {n_mat_cov}/{n_mat}")
    print(f"items with any name/condition/target rule: {n_items_any}/120")
    print(f"items answered by a life situation: {n_sit}/120")
    print(f"items with neither: {len(gaps)}")
    for g in gaps:
        print("   ", g)

main()

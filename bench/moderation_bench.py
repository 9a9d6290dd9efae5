"""Measure the moderation engine against stock baselines on the shared dev data.

Usage: python bench/moderation_bench.py [--data DIR] [--out bench/results.json] [--docs docs/moderation.md]

* PII: per-entity precision/recall on pii_presidio_synth, ours vs stock Presidio defaults.
* Spelling: top-1 correction accuracy on the spelling_* sets, ours vs SymSpell closest-edit.
* Toxicity: text-level precision/recall on TweetEval offensive/hate, check vs bare scorer.
* False alarms: share of real agent replies (twcs, IBM) that would be warned or blocked.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from moderation.checks import CHECKS, CheckContext
from moderation.checks.toxicity import _sentences
from moderation.engine import _get
from moderation.pii_recognizers import build_analyzer
from moderation.policy import Policy
from moderation.scores import score

ENTITIES = ("CREDIT_CARD", "EMAIL_ADDRESS", "PHONE_NUMBER", "US_SSN", "IBAN_CODE", "IP_ADDRESS",
            "STREET_ADDRESS", "PERSON")
SPELL_SETS = ("norvig", "wikipedia_common", "aspell_orig", "birkbeck")
REPLY_SETS = ("twcs_agent_replies", "ibm_custcare_agent_replies")


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    """Precision, recall and F1 from counts."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f1, 3),
            "support": n_gold}


def _score_spans(rows: list[dict[str, Any]], predict: Any) -> dict[str, dict[str, float]]:
    """Per-entity P/R: a prediction counts when it overlaps a gold span of the same entity."""
    tp_pred: Counter[str] = Counter()
    tp_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    for row in rows:
        gold = [(s["entity_type"], s["start_position"], s["end_position"]) for s in row["spans"]]
        pred = [p for p in predict(row["full_text"]) if p[0] in ENTITIES]
        for label, s, e in pred:
            n_pred[label] += 1
            tp_pred[label] += any(g[0] == label and g[1] < e and s < g[2] for g in gold)
        for label, s, e in gold:
            n_gold[label] += 1
            tp_gold[label] += any(p[0] == label and p[1] < e and s < p[2] for p in pred)
    out = {}
    for ent in ENTITIES:
        res = _prf(tp_pred[ent], n_pred[ent], n_gold[ent])
        res["recall"] = round(tp_gold[ent] / n_gold[ent], 3) if n_gold[ent] else 0.0
        out[ent] = res
    return out


def bench_pii(data: Path) -> dict[str, Any]:
    """PII precision/recall per entity: ours vs stock Presidio (default recognizers, no NER model)."""
    rows = json.loads((data / "pii_presidio_synth" / "dev.json").read_text())
    stock = build_analyzer(stock=True)
    ours = _get("pii")
    ctx = CheckContext(policy=Policy())

    def stock_pred(text: str) -> list[tuple[str, int, int]]:
        """Stock Presidio spans."""
        return [(r.entity_type, r.start, r.end) for r in stock.analyze(text, language="en")]

    def our_pred(text: str) -> list[tuple[str, int, int]]:
        """Our check's spans."""
        return [(f.label, f.start, f.end) for f in ours.analyze(text, ctx)]

    return {"n_texts": len(rows), "stock": _score_spans(rows, stock_pred),
            "ours": _score_spans(rows, our_pred)}


def bench_spelling(data: Path) -> dict[str, Any]:
    """Top-1 correction accuracy and auto-fix precision on each spelling set."""
    speller = _get("spelling")._speller("en")  # type: ignore[attr-defined]
    out = {}
    for name in SPELL_SETS:
        df = pd.read_csv(data / f"spelling_{name}" / "dev.csv", keep_default_na=False)
        pairs = [(m.lower(), c.lower()) for m, c in zip(df.misspelling, df.correct, strict=True)
                 if " " not in c]
        ours = stock = fixed = fixed_ok = 0
        for typo, right in pairs:
            found = speller.index().lookup(typo, 2)  # SymSpell "closest": fewest edits, then most frequent
            closest = min(found, key=lambda c: (c[1], -speller.counts.get(c[0], 0)))[0] if found else None
            stock += closest == right
            corr = speller.correct(typo)
            if corr:
                ours += corr.suggestions[0] == right
                if corr.confident:
                    fixed += 1
                    fixed_ok += corr.suggestions[0] == right
        n = len(pairs)
        out[name] = {"pairs": n, "stock_top1": round(stock / n, 3), "ours_top1": round(ours / n, 3),
                     "autofix_rate": round(fixed / n, 3),
                     "autofix_precision": round(fixed_ok / max(fixed, 1), 3)}
    return out


def bench_toxicity(data: Path, limit: int = 3000) -> dict[str, Any]:
    """Text-level P/R of the toxicity check vs the bare scorer on whole texts (TweetEval dev)."""
    policy = Policy()
    ctx = CheckContext(policy=policy)
    check = _get("toxicity")
    out: dict[str, Any] = {}
    for name in ("tweeteval_offensive", "tweeteval_hate"):
        df = pd.read_csv(data / name / "dev.csv", keep_default_na=False).head(limit)
        texts, gold = df.text.tolist(), [int(x) == 1 for x in df.label]
        stock = [r.toxicity.score >= policy.toxicity.warn for r in score(texts)]
        ours = [any(f.severity != "info" for f in check.analyze(t, ctx)) for t in texts]
        out[name] = {}
        for who, pred in (("stock", stock), ("ours", ours)):
            tp = sum(p and g for p, g in zip(pred, gold, strict=True))
            res = _prf(tp, sum(pred), sum(gold))
            negatives = len(gold) - sum(gold)
            res["false_positive_rate"] = round(sum(p and not g for p, g in zip(pred, gold, strict=True))
                                               / max(negatives, 1), 3)
            out[name][who] = res
    return out


def _stock_alarms(text: str, analyzer: Any, speller: Any, policy: Policy) -> set[str]:
    """Checks a naive setup would raise: raw Presidio, unmasked scorer, every unknown token.

    `pii` counts any Presidio result (its default threshold is 0); `pii_same_entities` only the entity
    types and minimum score our check uses, to separate the filtering from the entity choice.
    """
    fired = set()
    found = analyzer.analyze(text, language="en")
    if found:
        fired.add("pii")
    wanted = {*policy.pii.block, *policy.pii.warn}
    if any(r.entity_type in wanted and r.score >= policy.pii.min_score for r in found):
        fired.add("pii_same_entities")
    spans = _sentences(text)
    if spans and any(r.toxicity.score >= policy.toxicity.warn for r in score([text[s:e] for s, e in spans])):
        fired.add("toxicity")
    tokens = [t.strip(".,!?:;()\"'").lower() for t in text.split()]
    if any(t.isalpha() and not speller.known(t) for t in tokens):
        fired.add("spelling")
    return fired


def bench_false_alarms(data: Path) -> dict[str, Any]:
    """Share of real agent replies that get a warn/block finding, per check; ours vs stock."""
    policy = Policy()
    analyzer = build_analyzer(stock=True)
    speller = _get("spelling")._speller("en")  # type: ignore[attr-defined]
    out: dict[str, Any] = {}
    for name in REPLY_SETS:
        texts = pd.read_csv(data / name / "dev.csv", keep_default_na=False).text.tolist()
        ours: Counter[str] = Counter()
        stock: Counter[str] = Counter()
        examples: dict[str, list[str]] = {}
        for text in texts:
            ctx = CheckContext(policy=policy)
            fired = set()
            for check in policy.checks:
                hits = [f for f in _get(check).analyze(text, ctx) if f.severity != "info"]
                if hits:
                    fired.add(check)
                    examples.setdefault(check, []).append(f"{hits[0].label}: {hits[0].text!r}")
            ours.update(fired | ({"any"} if fired else set()))
            s = _stock_alarms(text, analyzer, speller, policy)
            stock.update(s | ({"any"} if s - {"pii_same_entities"} else set()))
        n = len(texts)
        out[name] = {"replies": n,
                     "ours": {k: round(ours[k] / n, 4) for k in ["any", *CHECKS]},
                     "stock": {k: round(stock[k] / n, 4)
                               for k in ("any", "toxicity", "spelling", "pii", "pii_same_entities")},
                     "examples": {k: v[:8] for k, v in examples.items()}}
    return out


def markdown(results: dict[str, Any]) -> dict[str, str]:
    """Render the results as the three tables of docs/moderation.md."""
    out = {}
    if "pii" in results:
        rows = ["| entity | gold spans | stock P | stock R | stock F1 | ours P | ours R | ours F1 |",
                "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for ent, s in results["pii"]["stock"].items():
            o = results["pii"]["ours"][ent]
            rows.append(f"| {ent} | {s['support']} | {s['precision']:.3f} | {s['recall']:.3f} "
                        f"| {s['f1']:.3f} | {o['precision']:.3f} | {o['recall']:.3f} | {o['f1']:.3f} |")
        out["PII_TABLE"] = "\n".join(rows)
    if "spelling" in results:
        rows = ["| set | pairs | stock top-1 | ours top-1 | auto-fixed | auto-fix precision |",
                "|---|---:|---:|---:|---:|---:|"]
        rows += [f"| spelling_{k} | {v['pairs']} | {v['stock_top1']:.1%} | {v['ours_top1']:.1%} "
                 f"| {v['autofix_rate']:.1%} | {v['autofix_precision']:.1%} |"
                 for k, v in results["spelling"].items()]
        out["SPELL_TABLE"] = "\n".join(rows)
    if "toxicity" in results:
        rows = ["| set | positives | who | precision | recall | F1 | false-positive rate |",
                "|---|---:|---|---:|---:|---:|---:|"]
        for name, v in results["toxicity"].items():
            for who in ("stock", "ours"):
                r = v[who]
                rows.append(f"| {name} | {r['support']} | {who} | {r['precision']:.3f} | "
                            f"{r['recall']:.3f} | {r['f1']:.3f} | {r['false_positive_rate']:.1%} |")
        out["TOX_TABLE"] = "\n".join(rows)
    if "alarms" in results:
        rows = ["| replies | n | check | stock | ours |", "|---|---:|---|---:|---:|"]
        for name, v in results["alarms"].items():
            for check in ("any", "toxicity", "spelling", "pii", "policy", "tone"):
                stock = v["stock"].get(check)
                shown = "–" if stock is None else f"{stock:.1%}"
                if check == "pii":
                    shown += f" ({v['stock']['pii_same_entities']:.1%})"
                rows.append(f"| {name} | {v['replies']} | {check} | {shown} | {v['ours'][check]:.1%} |")
        out["ALARM_TABLE"] = "\n".join(rows)
    return out


def update_docs(path: Path, tables: dict[str, str]) -> None:
    """Replace each table in the docs page whose header row matches a freshly rendered one."""
    text = path.read_text()
    for table in tables.values():
        header = table.splitlines()[0]
        start = text.find(header)
        if start < 0:
            continue
        end = text.find("\n\n", start)
        text = text[:start] + table + text[end if end >= 0 else len(text):]
    path.write_text(text)


def main() -> None:
    """Run every benchmark and write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/benchdata"))
    parser.add_argument("--out", type=Path, default=Path("bench/results.json"))
    parser.add_argument("--docs", type=Path, default=None, help="rewrite the tables in this markdown page")
    parser.add_argument("--only", choices=["pii", "spelling", "toxicity", "alarms"], default=None)
    args = parser.parse_args()
    results: dict[str, Any] = {}
    benches = (("pii", bench_pii), ("spelling", bench_spelling), ("toxicity", bench_toxicity),
               ("alarms", bench_false_alarms))
    for key, fn in benches:
        if args.only in (None, key):
            t0 = time.time()
            results[key] = fn(args.data)
            results[key + "_seconds"] = round(time.time() - t0, 1)
            print(json.dumps({key: results[key]}, indent=1))
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    tables = markdown(results)
    for table in tables.values():
        print(table + "\n")
    if args.docs:
        update_docs(args.docs, tables)
    print(re.sub(r"\s+", " ", f"wrote {args.out}"))


if __name__ == "__main__":
    main()

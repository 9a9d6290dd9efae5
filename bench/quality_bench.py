"""Detection quality of the reply checks on the project's own harder sets, dev and test side by side.

Usage: python bench/quality_bench.py [--only toxicity|pii|spelling|langid] [--show dev] [--out FILE]

The sets live in bench/data/ (written for this project, or generated from shared data by a fixed
seed). Each row is carved into dev or test by a hash of its text (bench/splits.py); rules were tuned
on dev only. `--show dev` prints the dev misses (never print test misses while tuning).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pandas as pd
from splits import carve

from moderation import Policy, check

DATA = Path(__file__).resolve().parent / "data"
TOX_LANGS = ("th", "ur", "fr", "vi", "bg", "es", "de", "pt", "id", "ar")


def _flagged(text: str, checks: list[str], **policy: Any) -> str:
    """The action of the given checks on a reply."""
    return check(text, policy=Policy(checks=checks, **policy)).action


def bench_toxicity(show: str | None) -> dict[str, Any]:
    """Hostile replies without swear words flagged; benign look-alikes flagged; insults per language."""
    rows = list(csv.reader((DATA / "replies_toxicity.tsv").open(encoding="utf-8"), delimiter="\t"))
    hits: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for label, lang, text in rows:
        half = carve(text)
        langs = ["en"] if lang == "en" else [lang, "en"]
        flagged = _flagged(text, ["toxicity", "tone"], languages=langs) != "pass"
        group = lang if lang != "en" else "en"
        hits[(half, group, label)].append(int(flagged))
        if show == half and flagged != (label != "benign"):
            print(f"MISS {half} {label} {lang}: {text}")
    out: dict[str, Any] = {}
    for (half, group, label), vals in sorted(hits.items()):
        out.setdefault(half, {}).setdefault(group, {})[label] = {"n": len(vals), "flagged": sum(vals) / len(vals)}
    return out


LEAK_CRITICAL = ("CREDIT_CARD", "PHONE_NUMBER", "EMAIL_ADDRESS", "IBAN_CODE", "STREET_ADDRESS")
REPORTED = (*LEAK_CRITICAL, "US_SSN", "IP_ADDRESS", "PERSON")


def bench_pii_replies(show: str | None, name: str = "replies_pii.tsv") -> dict[str, Any]:
    """Adversarial leaks in replies blocked, and look-alikes (SKUs, versions, prices) left alone.

    The late sets (replies_pii_late*_test.tsv) were each written before the rules they measure; all of them
    is test. replies_pii_dev2.tsv to replies_pii_dev8.tsv were written while tuning rounds 2, 3, 8, 9, 10 and
    11: all dev.
    An optional fourth column holds policy fields as JSON (the brand's own support lines, for instance).
    """
    rows = list(csv.reader((DATA / name).open(encoding="utf-8"), delimiter="\t"))
    res: dict[tuple[str, str], list[int]] = defaultdict(list)
    dev_name = next((d for d in ("dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8") if d in name), None)
    for kind, _entity, text, *extra in rows:
        half = carve(text) if name == "replies_pii.tsv" else (dev_name or "late")
        blocked = _flagged(text, ["pii"], **(json.loads(extra[0]) if extra else {})) == "block"
        res[(half, kind)].append(int(blocked))
        if show and half.startswith(show) and blocked != (kind == "leak"):
            print(f"MISS {half} {kind}: {text}")
    return {f"{half}_{kind}": {"n": len(v), "blocked": round(sum(v) / len(v), 3)} for (half, kind), v in res.items()}


def bench_pii_synth(show: str | None, data: Path) -> dict[str, Any]:
    """Recall per entity on pii_presidio_synth (overlap), leak-critical pooled, micro-F1 over reported types."""
    from moderation.checks import CheckContext
    from moderation.engine import _get

    pii, ctx = _get("pii"), CheckContext()
    rows = json.loads((data / "pii_presidio_synth" / "dev.json").read_text())
    out: dict[str, Any] = {}
    for half in ("dev", "test"):
        gold_n: Counter[str] = Counter()
        gold_hit: Counter[str] = Counter()
        pred_n = pred_ok = 0
        for row in rows:
            if carve(str(row["template_id"])) != half:
                continue
            text = row["full_text"]
            pred = [(f.label, f.start, f.end) for f in pii.analyze(text, ctx)]
            gold = [(s["entity_type"], s["start_position"], s["end_position"]) for s in row["spans"]
                    if s["entity_type"] in REPORTED]
            for label, s, e in gold:
                gold_n[label] += 1
                gold_hit[label] += any(p[0] == label and p[1] < e and s < p[2] for p in pred)
                if show == half and not any(p[0] == label and p[1] < e and s < p[2] for p in pred):
                    print(f"MISS {label}: {text[s:e]!r} in {text[:120]!r}")
            pred_n += len(pred)
            pred_ok += sum(any(g[0] == p[0] and g[1] < p[2] and p[1] < g[2] for g in gold) for p in pred)
        recall = sum(gold_hit.values()) / max(1, sum(gold_n.values()))
        precision = pred_ok / max(1, pred_n)
        out[half] = {
            "recall": {k: round(gold_hit[k] / gold_n[k], 3) for k in REPORTED if gold_n[k]},
            "support": dict(gold_n),
            "leak_critical_pooled": round(sum(gold_hit[k] for k in LEAK_CRITICAL)
                                          / max(1, sum(gold_n[k] for k in LEAK_CRITICAL)), 3),
            "micro_precision": round(precision, 3), "micro_recall": round(recall, 3),
            "micro_f1": round(2 * precision * recall / max(1e-9, precision + recall), 3),
        }
    return out


KEYS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours(c: str) -> str:
    """Letters next to `c` on a QWERTY keyboard."""
    for r, row in enumerate(KEYS):
        if c in row:
            i = row.index(c)
            near = row[max(0, i - 1):i] + row[i + 1:i + 2]
            for other in (r - 1, r + 1):
                if 0 <= other < len(KEYS):
                    near += KEYS[other][max(0, i - 1):i + 2]
            return near
    return ""


def inject(word: str, rng: random.Random) -> str:
    """One realistic typo: keyboard slip, dropped or doubled letter, swap, vowel slip or sound-alike."""
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("key", "drop", "double", "swap", "vowel", "sound"))
    if kind == "key" and _neighbours(word[i]):
        return word[:i] + rng.choice(_neighbours(word[i])) + word[i + 1:]
    if kind == "drop":
        return word[:i] + word[i + 1:]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "vowel" and any(c in "aeiou" for c in word[1:]):
        j = rng.choice([k for k, c in enumerate(word) if c in "aeiou" and k])
        return word[:j] + rng.choice([v for v in "aeiou" if v != word[j]]) + word[j + 1:]
    for a, b in (("ph", "f"), ("c", "k"), ("ie", "ei"), ("ee", "ea"), ("tion", "shun"), ("s", "z")):
        if a in word[1:]:
            return word[0] + word[1:].replace(a, b, 1)
    return word[:i] + word[i + 1:]


def bench_spelling(show: str | None, data: Path) -> dict[str, Any]:
    """Typos injected into real replies: flagged and corrected at rank 1; native text false alarms."""
    from moderation.checks import CheckContext
    from moderation.checks.spelling import _prose_words
    from moderation.engine import _get

    speller = _get("spelling")._speller("en")  # type: ignore[attr-defined]
    rng = random.Random(20261130)
    texts = [t for t in pd.read_csv(data / "twcs_agent_replies" / "dev.csv", keep_default_na=False).text
             if check(t, policy=Policy(checks=["spelling"])).action == "pass"]
    res: dict[str, list[tuple[int, int]]] = defaultdict(list)
    ctx = CheckContext()
    for text in texts:
        words = [(s, e, w) for s, e, w in _prose_words(text, ctx) if len(w) >= 4 and w.islower()]
        if not words:
            continue
        s, e, word = rng.choice(words)
        typo = inject(word, rng)
        if speller.plausible(typo):
            continue  # the slip made another real word: no checker can see it without meaning
        draft = text[:s] + typo + text[e:]
        found = [f for f in check(draft, policy=Policy(checks=["spelling"])).findings if f.start == s]
        flagged = bool(found) and found[0].label == "misspelling"
        right = flagged and found[0].suggestions[:1] == (word,)
        res[carve(text)].append((int(flagged), int(right)))
        if show == carve(text) and not right:
            print(f"MISS {word} -> {typo}: {found[0].suggestions[:3] if found else 'not flagged'}")
    out: dict[str, Any] = {h: {"n": len(v), "flagged": round(sum(a for a, _ in v) / len(v), 3),
                               "rank1": round(sum(b for _, b in v) / len(v), 3)} for h, v in res.items()}
    out["native_false_alarms"] = _native_false_alarms(data)
    out["isolated"] = bench_isolated(data)
    return out


def bench_isolated(data: Path) -> dict[str, Any]:
    """Isolated misspelled words corrected at rank 1 (Norvig, Wikipedia), per half of the carve."""
    from moderation.engine import _get

    speller = _get("spelling")._speller("en")  # type: ignore[attr-defined]
    out: dict[str, Any] = {}
    for name in ("norvig", "wikipedia_common"):
        df = pd.read_csv(data / f"spelling_{name}" / "dev.csv", keep_default_na=False)
        hits: dict[str, list[int]] = defaultdict(list)
        for typo, right in zip(df.misspelling.str.lower(), df.correct.str.lower(), strict=True):
            if " " not in right:
                corr = speller.correct(typo)
                hits[carve(right)].append(int(bool(corr) and corr.suggestions[0] == right))
        out[name] = {h: {"n": len(v), "rank1": round(sum(v) / len(v), 3)} for h, v in hits.items()}
    return out


def _native_false_alarms(data: Path, per_lang: int = 400) -> dict[str, Any]:
    """Share of correct native sentences (subtitle lines) with a spelling warning, per language."""
    out = {}
    for lang in ("fr", "es", "de", "pt"):
        lines = [t for t in pd.read_csv(data / f"multilingual_xed_{lang}" / "dev.csv", keep_default_na=False).text
                 if len(t.split()) >= 4][:per_lang]
        policy = Policy(checks=["spelling"], languages=[lang])
        verdicts = [check(t, policy=policy) for t in lines]
        out[lang] = {"n": len(lines), "warn": round(sum(v.action != "pass" for v in verdicts) / len(lines), 3),
                     "any_note": round(sum(bool(v.findings) for v in verdicts) / len(lines), 3),
                     "checked_in_lang": round(sum(not any(f.label == "language_skipped" for f in v.findings)
                                                  for v in verdicts) / len(lines), 3)}
    return out


def bench_alarms(data: Path) -> dict[str, Any]:
    """Real, already-posted agent replies with a spelling flag or a block-level PII flag, per half."""
    res: dict[tuple[str, str], list[int]] = defaultdict(list)
    for name in ("twcs_agent_replies", "ibm_custcare_agent_replies"):
        for text in pd.read_csv(data / name / "dev.csv", keep_default_na=False).text:
            half = carve(text)
            res[(half, "spelling_flag")].append(int(_flagged(text, ["spelling"]) != "pass"))
            res[(half, "pii_block")].append(int(_flagged(text, ["pii"]) == "block"))
            res[(half, "toxicity_or_tone_flag")].append(int(_flagged(text, ["toxicity", "tone"]) != "pass"))
    return {f"{h}_{k}": {"n": len(v), "share": round(sum(v) / len(v), 4)} for (h, k), v in sorted(res.items())}


def bench_late(name: str = "replies_late_test.tsv") -> dict[str, Any]:
    """A set written after the rules were frozen: measured once, then (late) used as dev, (late2-4) never."""
    rows = list(csv.reader((DATA / name).open(encoding="utf-8"), delimiter="\t"))
    res: dict[str, list[int]] = defaultdict(list)
    for kind, _entity, text in rows:  # the middle column: entity (PII rows) or language (the others)
        if kind in ("hostile", "benign", "insult"):
            langs = [_entity, "en"] if kind == "insult" or _entity not in ("en", "") else ["en"]
            flagged = _flagged(text, ["toxicity", "tone"], languages=langs) != "pass"
            res[kind if _entity in ("en", "") or kind == "insult" else "benign_other"].append(int(flagged))
        else:
            res[kind].append(int(_flagged(text, ["pii"]) == "block"))
    return {k: {"n": len(v), "share": round(sum(v) / len(v), 3)} for k, v in res.items()}


def main() -> None:
    """Run the selected benchmarks and print/write the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["toxicity", "pii", "spelling", "late", "alarms"], default=None)
    parser.add_argument("--show", choices=["dev"], default=None)
    parser.add_argument("--data", type=Path, default=Path("../shared/benchdata"))
    parser.add_argument("--out", type=Path, default=Path("bench/quality_results.json"))
    args = parser.parse_args()
    results: dict[str, Any] = {}
    benches: dict[str, Any] = {
        "toxicity": lambda: bench_toxicity(args.show),
        "late": lambda: {"late": bench_late(), "late2": bench_late("replies_late2_test.tsv"),
                         "late3": bench_late("replies_late3_test.tsv"),
                         "late4": bench_late("replies_late4_test.tsv"),
                         "late5": bench_late("replies_late5_test.tsv"),
                         "late6": bench_late("replies_late6_test.tsv"),
                         "late7": bench_late("replies_late7_test.tsv"),
                         "late8": bench_late("replies_late8_test.tsv"),
                         "late9": bench_late("replies_late9_test.tsv"),
                         "late10": bench_late("replies_late10_test.tsv"),
                         "late11": bench_late("replies_late11_test.tsv")},
        "alarms": lambda: bench_alarms(args.data),
        "spelling": lambda: bench_spelling(args.show, args.data),
        "pii": lambda: {"replies": bench_pii_replies(args.show), "synth": bench_pii_synth(args.show, args.data),
                        "late": bench_pii_replies(None, "replies_pii_late_test.tsv"),
                        "late2": bench_pii_replies(None, "replies_pii_late2_test.tsv"),
                        "late3": bench_pii_replies(None, "replies_pii_late3_test.tsv"),
                        "dev2": bench_pii_replies(args.show, "replies_pii_dev2.tsv"),
                        "dev3": bench_pii_replies(args.show, "replies_pii_dev3.tsv"),
                        "dev4": bench_pii_replies(args.show, "replies_pii_dev4.tsv"),
                        "late4": bench_pii_replies(None, "replies_pii_late4_test.tsv"),
                        "dev5": bench_pii_replies(args.show, "replies_pii_dev5.tsv"),
                        "late5": bench_pii_replies(None, "replies_pii_late5_test.tsv"),
                        "late6": bench_pii_replies(None, "replies_pii_late6_test.tsv"),
                        "dev6": bench_pii_replies(args.show, "replies_pii_dev6.tsv"),
                        "dev7": bench_pii_replies(args.show, "replies_pii_dev7.tsv"),
                        "late7": bench_pii_replies(None, "replies_pii_late7_test.tsv"),
                        "dev8": bench_pii_replies(args.show, "replies_pii_dev8.tsv")},
    }
    for key, fn in benches.items():
        if args.only in (None, key):
            results[key] = fn()
    print(json.dumps(results, indent=1))
    args.out.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()

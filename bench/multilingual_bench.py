"""Per-language benchmark on the project's own hand-written mentions and replies (dev or held-out test set).

Speed: wall and CPU milliseconds per text for one `score()` call over a language's texts, one inference thread.

    python bench/multilingual_bench.py [--data bench/data/multilingual_test] [--backend onnx] [--checks]
        [--json bench/multilingual_results.json]

`--data` defaults to the dev set `bench/data/multilingual` (looked at while building the heads);
`bench/data/multilingual_test` and `multilingual_test2` were held-out sets in round 1 and have since been
looked at; `bench/data/multilingual_test3` was written before round 2 and measured only before and after it
and, for its replies, after round 3; `bench/data/multilingual_test4` (replies only: its mention columns read
nan) was written before round 3 and measured only before and after it; `bench/data/multilingual_test5` was written
before round 4 and measured only before and after it, while `multilingual_dev5`, `_dev5r` (es/id/th replies) and
`_dev5p` (praise) are round-4 dev rows (docs/textmodels.md, Languages); `multilingual_test6` was written before
round 6 and measured only before and after it, `multilingual_dev7` is round 6's dev set (and round 7's);
`multilingual_test8` was written before round 7 and measured before it and twice after; `multilingual_test9`
(a mobile network, @Kestrel) was written before round 8.

Per language: negative-mention recall, 3-class macro-recall, positive mentions called negative, language-id
accuracy, insults flagged / benign replies flagged by the scorer (toxicity >= 0.5) and, with --checks, by the
full reply check (`moderation.check`, a warn or block toxicity finding). All sets were written for this
benchmark and are never used to train the model.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from moderation import check
from moderation.scores import SENTIMENT_LABELS, score

DATA = Path(__file__).resolve().parent / "data" / "multilingual"
THRESHOLD = 0.5  # rules.yaml default `toxicity.warn`
TARGET_LANGUAGES = ("th", "ur", "fr", "vi", "bg", "es", "de", "pt", "id", "ar")


def pct(values: list[bool]) -> float:
    """Percentage of True values (nan for an empty list)."""
    return 100 * float(np.mean(values)) if values else float("nan")


def language_row(lang: str, df: pd.DataFrame, backend: str | None, checks: bool) -> dict[str, float]:
    """Score one language's mentions and replies and return its figures."""
    start, cpu = time.perf_counter(), time.process_time()
    res = score(list(df["text"]), backend=backend)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    mention = (df["kind"] == "mention").to_numpy()
    gold = df["label"].to_numpy()
    pred = np.asarray([r.sentiment.label for r in res])
    recalls = [pct(list(pred[mention & (gold == c)] == c)) for c in SENTIMENT_LABELS]
    tox = np.asarray([r.toxicity.score >= THRESHOLD for r in res])
    row = {
        "negative_recall": recalls[0], "macro_recall": float(np.mean(recalls)),
        "pos_to_neg": pct(list(pred[mention & (gold == "positive")] == "negative")),
        "langid": pct([r.language.code == lang for r in res]),
        "insult_flagged": pct(list(tox[gold == "insult"])), "benign_flagged": pct(list(tox[gold == "benign"])),
        "ms_per_text": 1000 * seconds / len(df), "cpu_ms_per_text": 1000 * cpu_seconds / len(df), "n": len(df),
    }
    if checks:
        flagged = [any(f.check == "toxicity" for f in check(t).findings) for t in df["text"]]
        row["check_insult_flagged"] = pct([f for f, g in zip(flagged, gold, strict=True) if g == "insult"])
        row["check_benign_flagged"] = pct([f for f, g in zip(flagged, gold, strict=True) if g == "benign"])
    return row


def table(rows: dict[str, dict[str, float]]) -> str:
    """Markdown table, one line per language plus the mean over the ten target languages."""
    cols = [c for c in next(iter(rows.values())) if c not in ("n", "ms_per_text", "cpu_ms_per_text")]
    lines = ["| language | " + " | ".join(cols) + " | ms/text (CPU) |", "|---" * (len(cols) + 2) + "|"]
    for lang, row in rows.items():
        cells = " | ".join(f"{row[c]:.0f}" for c in cols)
        lines.append(f"| {lang} | {cells} | {row['ms_per_text']:.0f} ({row['cpu_ms_per_text']:.0f}) |")
    return "\n".join(lines)


def summary(rows: dict[str, dict[str, float]]) -> dict[str, float]:
    """Mean and worst over the ten target languages."""
    target = [rows[lang] for lang in TARGET_LANGUAGES if lang in rows]
    out = {f"mean_{k}": float(np.mean([r[k] for r in target])) for k in target[0] if k not in ("n",)}
    out["worst_negative_recall"] = min(r["negative_recall"] for r in target)
    out["worst_macro_recall"] = min(r["macro_recall"] for r in target)
    return out


def main() -> None:
    """Run every language file and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backend", default=None)
    ap.add_argument("--checks", action="store_true", help="also run the full reply check on every reply")
    ap.add_argument("--data", type=Path, default=DATA, help="folder of <lang>.csv files (default: the dev set)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    score(["warm-up"], backend=args.backend)
    rows = {}
    for path in sorted(args.data.glob("*.csv")):
        rows[path.stem] = language_row(path.stem, pd.read_csv(path, keep_default_na=False), args.backend, args.checks)
    mean = summary(rows)
    print(table(rows))
    print(json.dumps({k: round(v, 1) for k, v in mean.items()}, indent=1))
    if args.json:
        out = {"data": str(args.data), "languages": rows, "summary": mean}
        args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

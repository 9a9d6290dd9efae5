"""Score the round-4 English held-out set (bench/data/english_r4_test/): offensive macro-F1, brand sentiment.

    python bench/english_r4_bench.py [--json FILE]

Offensive: a text counts as offensive when `toxicity.score` >= 0.5 (the default `toxicity.warn`).
Sentiment: three-way macro-recall and the F1 of the `negative` class.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from score_bench import macro

from moderation import score
from moderation.scores import SENTIMENT_LABELS

DATA = Path(__file__).resolve().parent / "data" / "english_r4_test"
THRESHOLD = 0.5


def rows(name: str) -> list[tuple[str, str]]:
    """(label, text) pairs of one TSV file with a header."""
    with (DATA / name).open(encoding="utf-8") as fh:
        return [(r["label"], r["text"]) for r in csv.DictReader(fh, delimiter="\t")]


def offensive() -> dict[str, float]:
    """Binary macro scores of toxicity.score >= THRESHOLD."""
    data = rows("offensive.tsv")
    res = score([t for _, t in data], backend="onnx")
    return macro([int(lab) for lab, _ in data], [int(r.toxicity.score >= THRESHOLD) for r in res], 2)


def sentiment() -> dict[str, float]:
    """Three-way macro scores; class_f1[0] is the negative class."""
    data = rows("sentiment.tsv")
    res = score([t for _, t in data], backend="onnx")
    return macro([SENTIMENT_LABELS.index(lab) for lab, _ in data],
                 [SENTIMENT_LABELS.index(r.sentiment.label) for r in res], 3)


def main(argv: list[str] | None = None) -> int:
    """Print (and optionally write) both figures."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--json", type=Path, default=None)
    args = p.parse_args(argv)
    report = {"offensive": offensive(), "sentiment": sentiment()}
    text = json.dumps(report, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""English held-out carves: how many texts language id sends to the multilingual heads, and what that changes.

    python bench/english_routing_bench.py --data-dir ../shared/benchdata

Texts identified as English are scored exactly as before (the MiniLM model); only the others change, so the
before/after figures are computed on those texts with the multilingual heads switched off and on.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from moderation.scores import SENTIMENT_LABELS
from moderation.splits import is_heldout
from moderation.textmodel import LanguageModel, OnnxScorer

# name -> (folder, text column, held-out carve only, gold labels of the texts)
SETS = {
    "tweeteval_sentiment": ("tweeteval_sentiment", "text", True),
    "tweeteval_offensive": ("tweeteval_offensive", "text", True),
    "tweeteval_hate": ("tweeteval_hate", "text", True),
    "airline_sentiment": ("airline_sentiment", "text", False),
}


def gold(df: pd.DataFrame, name: str) -> np.ndarray:
    """Sentiment label names, or 1/0 toxic for the toxicity sets."""
    if name == "airline_sentiment":
        return df["airline_sentiment"].to_numpy(dtype=str)
    if name == "tweeteval_sentiment":
        return np.asarray([SENTIMENT_LABELS[int(v)] for v in df["label"]])
    return df["label"].to_numpy(dtype=int)


def main() -> None:
    """Print, per set, the share routed away from English and the correct answers on those texts."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=Path("../shared/benchdata"))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    lang = LanguageModel()
    off, on = OnnxScorer(multilingual=False), OnnxScorer()
    out = {}
    for name, (folder, col, held) in SETS.items():
        df = pd.read_csv(args.data_dir / folder / "dev.csv", keep_default_na=False)
        if held:
            df = df[[is_heldout(str(t)) for t in df[col]]]
        df = df[[lang.classify(str(t)).code in on.languages - {"en"} for t in df[col]]].reset_index(drop=True)
        texts, y = list(df[col].astype(str)), gold(df, name)
        row: dict[str, float] = {"routed": len(texts)}
        for tag, scorer in (("before", off), ("after", on)):
            res = scorer.score(texts) if texts else []
            if name.endswith("sentiment"):
                pred = np.asarray([r.sentiment.label for r in res])
            else:
                pred = np.asarray([int(r.toxicity.score >= 0.5) for r in res])
            row[f"correct_{tag}"] = int(np.sum(pred == y))
        out[name] = row
        print(name, row, flush=True)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

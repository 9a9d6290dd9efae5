"""Fit the sentiment stacker: logistic regression over ONNX sentiment log-probs and VADER features.

Reproducible: fixed seed, the same held-out carve as training (`moderation.splits`), data paths as
arguments. Needs the `train` extra (scikit-learn, pandas); the result is plain JSON applied with numpy.

    python scripts/fit_sentiment_stacker.py --data-dir ../shared/benchdata --out moderation/data

Fits ONLY on the training part (80 %) of TweetEval sentiment dev; the held-out 20 % stays unseen.
C and class weighting are chosen by stratified 5-fold cross-validation on that training part.
Airline sentiment and TWCS (CC BY-NC-SA) are never used here. `--oof` takes the tweets' sentiment-head
outputs from `scripts/kfold_heads.py` (encoders that never saw the tweet) instead of the shipped model's
in-sample ones; the brand mentions, which the encoder never trained on, always use the shipped model.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from moderation.scores import SENTIMENT_LABELS
from moderation.splits import is_heldout
from moderation.stacker import FEATURES, STACKER_FILE, features, vader_analyser
from moderation.textmodel import TextModel
from scripts.oof import oof_probs

SEED = 20260501
GRID_C = (0.01, 0.03, 0.1, 0.3, 1.0)
GRID_WEIGHT = (None, "balanced")


def load_training(data_dir: Path, mentions: Path | None) -> tuple[list[str], np.ndarray, int]:
    """Texts and labels of the non-held-out part of TweetEval sentiment dev, then project-written mentions.

    The third value is how many of the texts are tweets (they come first).
    """
    df = pd.read_csv(data_dir / "tweeteval_sentiment" / "dev.csv", keep_default_na=False)
    df = df[[not is_heldout(str(t)) for t in df["text"]]]
    texts, labels = [str(t) for t in df["text"]], [int(v) for v in df["label"]]
    n_tweets = len(texts)
    if mentions is not None:
        extra = pd.read_csv(mentions, sep="\t", keep_default_na=False, quoting=3)
        texts += [str(t) for t in extra["text"]]
        labels += [SENTIMENT_LABELS.index(str(v)) for v in extra["label"]]
    return texts, np.asarray(labels, dtype=np.int64), n_tweets


def macro_recall(y: np.ndarray, pred: np.ndarray) -> float:
    """Mean per-class recall in percent."""
    return 100 * float(np.mean([np.mean(pred[y == c] == c) for c in range(len(SENTIMENT_LABELS))]))


def select(x: np.ndarray, y: np.ndarray, seed: int) -> tuple[float, str | None, float]:
    """Pick (C, class_weight) by cross-validated macro-recall on the training part only."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    best: tuple[float, str | None, float] = (GRID_C[0], None, -1.0)
    for weight in GRID_WEIGHT:
        for c in GRID_C:
            model = LogisticRegression(C=c, class_weight=weight, max_iter=5000)
            score = macro_recall(y, cross_val_predict(model, x, y, cv=folds))
            print(f"C={c} class_weight={weight}: cv macro-recall {score:.2f}", flush=True)
            if score > best[2]:
                best = (c, weight, score)
    return best


def fit(x_raw: np.ndarray, y: np.ndarray, seed: int) -> dict[str, Any]:
    """Standardise, select hyper-parameters, refit on all training rows; return the JSON spec."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = x_raw.mean(axis=0), x_raw.std(axis=0)
    scale[scale == 0] = 1.0
    x = (x_raw - mean) / scale
    c, weight, cv_score = select(x, y, seed)
    model = LogisticRegression(C=c, class_weight=weight, max_iter=5000).fit(x, y)
    return {
        "labels": list(SENTIMENT_LABELS), "features": list(FEATURES),
        "mean": mean.tolist(), "scale": scale.tolist(),
        "coef": model.coef_.tolist(), "intercept": model.intercept_.tolist(),
        "fit": {"C": c, "class_weight": weight, "cv_macro_recall": round(cv_score, 2), "seed": seed,
                "data": "TweetEval sentiment dev (SemEval-2017 4A val), non-held-out part; "
                        "project-written brand mentions (scripts/make_brand_mentions.py)",
                "n": len(y)},
    }


def main(argv: list[str] | None = None) -> int:
    """Compute features on the training part, fit, write the stacker JSON."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=Path, required=True, help="folder holding tweeteval_sentiment/dev.csv")
    p.add_argument("--out", type=Path, required=True, help="output folder (e.g. moderation/data)")
    p.add_argument("--model-dir", type=Path, default=None, help="ONNX artefact folder (default: shipped)")
    p.add_argument("--mentions", type=Path, default=Path("bench/data/brand_mentions_en.tsv"),
                   help="project-written brand mentions (scripts/make_brand_mentions.py); 'none' to skip")
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--oof", type=Path, default=None, help="out-of-fold head outputs (scripts/kfold_heads.py)")
    args = p.parse_args(argv)
    texts, y, n_tweets = load_training(args.data_dir, None if str(args.mentions) == "none" else args.mentions)
    probs = TextModel(args.model_dir, threads=args.threads).predict(texts)["sentiment"]
    if args.oof is not None:
        probs[:n_tweets] = oof_probs(args.oof, "sentiment", texts[:n_tweets], ("sentiment",))["sentiment"]
    spec = fit(features(probs, texts, vader_analyser()), y, args.seed)
    spec["fit"]["head_outputs"] = "out-of-fold for the tweets" if args.oof is not None else "in-sample"
    out = args.out / STACKER_FILE
    out.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}: {spec['fit']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

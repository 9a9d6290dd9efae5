"""Fit the offensive stacker: ONNX toxicity heads + word/char n-gram logistic model + insult cues.

    python scripts/fit_offensive_stacker.py --data-dir ../shared/benchdata --out moderation/data [--cache F.npz]

Fits ONLY on the training part (80 %) of OffensEval/OLID dev (TweetEval offensive); the held-out 20 %
carve (`moderation.splits`) is never read. Everything is chosen by stratified 5-fold cross-validation on
the training part (seed below): the n-gram model's C, then the stacker's C on out-of-fold n-gram margins,
then the decision threshold that maximises out-of-fold macro-F1, which is folded into the intercept so
that 0.5 stays the decision point. Needs the `train` extra (scikit-learn, scipy, pandas).

The shipped head's probabilities on those tweets are in-sample (the encoder trained on them). `--oof`
replaces them by out-of-fold outputs from `scripts/kfold_heads.py` (encoders that never saw the tweet), so
that the stacker learns how far to trust the head on new text. `--report` also scores a second dev set the
encoder never saw: the Davidson training-part tweets left out of the 3,000 the encoder trained on (abusive
vs neither; a related but different label definition).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from moderation.offensive import FEATURES, OFFENSIVE_FILE, cues, head_features, ngrams
from moderation.splits import is_heldout
from moderation.textmodel import TextModel
from scripts.oof import oof_probs

SEED = 20260501
MIN_DF = 3  # an n-gram must occur in three training tweets: keeps the file small and drops names
GRID_NGRAM_C = (1.0, 3.0, 10.0)
GRID_STACK_C = (0.1, 1.0)
PRUNE = 0.01  # n-gram weights smaller than this change a margin by less than 0.01: not shipped


def load_training(data_dir: Path) -> tuple[list[str], np.ndarray]:
    """Texts and labels of the non-held-out part of TweetEval offensive dev."""
    df = pd.read_csv(data_dir / "tweeteval_offensive" / "dev.csv", keep_default_na=False)
    df = df[[not is_heldout(str(t)) for t in df["text"]]]
    return [str(t) for t in df["text"]], np.asarray(df["label"], dtype=np.int64)


def head_probs(texts: list[str], cache: Path | None, model_dir: Path | None) -> dict[str, np.ndarray]:
    """ONNX head probabilities for the texts, read from / written to an optional cache file."""
    if cache is not None and cache.is_file():
        stored = np.load(cache)
        return {k: stored[k] for k in ("offensive", "hate", "davidson")}
    probs = TextModel(model_dir, threads=2).predict(texts)
    if cache is not None:
        np.savez(cache, offensive=probs["offensive"], hate=probs["hate"], davidson=probs["davidson"])
    return probs


def ngram_matrix(texts: list[str]) -> tuple[Any, list[str]]:
    """Sparse n-gram matrix over the n-grams seen in at least MIN_DF texts, and that vocabulary."""
    from scipy.sparse import csr_matrix

    feats = [ngrams(t) for t in texts]
    df = Counter(f for row in feats for f in row)
    vocab = sorted(f for f, n in df.items() if n >= MIN_DF)
    index = {f: i for i, f in enumerate(vocab)}
    rows, cols, vals = [], [], []
    for r, row in enumerate(feats):
        for f, v in row.items():
            if f in index:
                rows.append(r)
                cols.append(index[f])
                vals.append(v)
    return csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocab))), vocab


def macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    """Binary macro-F1 in percent."""
    f1s = []
    for c in (0, 1):
        tp = float(np.sum((y == c) & (pred == c)))
        denom = float(np.sum(y == c) + np.sum(pred == c))
        f1s.append(2 * tp / denom if denom else 0.0)
    return 100 * float(np.mean(f1s))


def out_of_fold(x: Any, y: np.ndarray, c: float, folds: list[Any]) -> np.ndarray:
    """Out-of-fold decision values of a logistic regression with inverse regularisation c."""
    from sklearn.linear_model import LogisticRegression

    out = np.zeros(len(y))
    for train, test in folds:
        model = LogisticRegression(C=c, max_iter=5000).fit(x[train], y[train])
        out[test] = model.decision_function(x[test])
    return out


def log_loss(y: np.ndarray, margin: np.ndarray) -> float:
    """Mean binary log-loss of decision values."""
    return float(np.mean(np.logaddexp(0.0, -np.where(y == 1, margin, -margin))))


def pick(x: Any, y: np.ndarray, grid: tuple[float, ...], folds: list[Any], name: str) -> tuple[float, np.ndarray]:
    """The C with the lowest out-of-fold log-loss, and its out-of-fold decision values."""
    best: tuple[float, float, np.ndarray] = (float("inf"), grid[0], np.zeros(len(y)))
    for c in grid:
        oof = out_of_fold(x, y, c, folds)
        loss = log_loss(y, oof)
        print(f"{name} C={c}: out-of-fold log-loss {loss:.4f}", flush=True)
        if loss < best[0]:
            best = (loss, c, oof)
    return best[1], best[2]


def best_threshold(y: np.ndarray, margin: np.ndarray) -> tuple[float, float]:
    """The probability threshold with the highest out-of-fold macro-F1, and that F1."""
    probs = 1.0 / (1.0 + np.exp(-margin))
    grid = np.round(np.arange(0.20, 0.81, 0.01), 2)
    scores = [macro_f1(y, (probs >= t).astype(np.int64)) for t in grid]
    i = int(np.argmax(scores))
    return float(grid[i]), scores[i]


def fit(texts: list[str], y: np.ndarray, probs: dict[str, np.ndarray], seed: int,
        heads: str = "in-sample") -> dict[str, Any]:
    """Cross-validate and fit both levels; return the JSON spec."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    folds = list(StratifiedKFold(n_splits=5, shuffle=True, random_state=seed).split(np.zeros(len(y)), y))
    x_ng, vocab = ngram_matrix(texts)
    c_ng, margin = pick(x_ng, y, GRID_NGRAM_C, folds, "n-gram")
    raw = np.hstack([head_features(probs), margin[:, None], np.asarray([cues(t) for t in texts])])
    mean, scale = raw.mean(axis=0), raw.std(axis=0)
    scale[scale == 0] = 1.0
    x = (raw - mean) / scale
    c_st, oof = pick(x, y, GRID_STACK_C, folds, "stacker")
    threshold, cv_f1 = best_threshold(y, oof)
    head_f1 = macro_f1(y, (probs["offensive"][:, 1] >= 0.5).astype(np.int64))
    print(f"threshold {threshold}: out-of-fold macro-F1 {cv_f1:.2f} (head alone at 0.5, {heads}: {head_f1:.2f})")
    fit_info = {f"head_{heads.replace('-', '_')}_macro_f1": round(head_f1, 2), "head_outputs": heads}
    ng = LogisticRegression(C=c_ng, max_iter=5000).fit(x_ng, y)
    stack = LogisticRegression(C=c_st, max_iter=5000).fit(x, y)
    coef = {f: round(float(w), 4) for f, w in zip(vocab, ng.coef_[0], strict=True) if abs(w) >= PRUNE}
    return {
        "features": list(FEATURES), "mean": mean.tolist(), "scale": scale.tolist(),
        "coef": stack.coef_[0].tolist(),
        "intercept": float(stack.intercept_[0]) - float(np.log(threshold / (1 - threshold))),
        "ngram": {"intercept": float(ng.intercept_[0]), "coef": coef},
        "fit": {"ngram_C": c_ng, "stacker_C": c_st, "threshold": threshold, "cv_macro_f1": round(cv_f1, 2),
                **fit_info, "seed": seed, "min_df": MIN_DF, "ngrams_kept": len(coef), "n": len(y),
                "data": "TweetEval offensive dev (OffensEval-2019 / OLID train+val), non-held-out part"},
    }


def davidson_unseen(data_dir: Path, model_dir: Path | None) -> tuple[list[str], np.ndarray]:
    """Davidson non-held-out tweets outside train_textmodels.py's 3,000-tweet sample; 1 = abusive."""
    import random

    df = pd.read_csv(data_dir / "davidson_hate_offensive" / "dev.csv", keep_default_na=False)
    df = df[[not is_heldout(str(t)) for t in df["tweet"]]].reset_index(drop=True)
    picked = set(random.Random(SEED).sample(range(len(df)), min(3000, len(df))))  # as in train_textmodels.py
    rest = df[[i not in picked for i in range(len(df))]]
    return [str(t) for t in rest["tweet"]], np.asarray(rest["class"] != 2, dtype=np.int64)


def report(spec: dict[str, Any], data_dir: Path, model_dir: Path | None, cache: Path | None) -> dict[str, Any]:
    """Macro-F1 of the raw head at 0.5 and of the stacker on the Davidson tweets the encoder never saw."""
    from moderation.offensive import OffensiveStacker

    texts, y = davidson_unseen(data_dir, model_dir)
    probs = head_probs(texts, cache, model_dir)
    stacked = OffensiveStacker(spec).apply(probs, texts)
    return {"davidson_unseen_n": len(y),
            "davidson_unseen_head_macro_f1": round(macro_f1(y, (probs["offensive"][:, 1] >= 0.5).astype(int)), 2),
            "davidson_unseen_stacker_macro_f1": round(macro_f1(y, (stacked >= 0.5).astype(int)), 2)}


def main(argv: list[str] | None = None) -> int:
    """Compute features on the training part, fit, write the gzipped stacker JSON."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=Path, required=True, help="folder holding tweeteval_offensive/dev.csv")
    p.add_argument("--out", type=Path, required=True, help="output folder (e.g. moderation/data)")
    p.add_argument("--model-dir", type=Path, default=None, help="ONNX artefact folder (default: shipped)")
    p.add_argument("--cache", type=Path, default=None, help="npz cache of the head probabilities")
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--report", type=Path, default=None, help="write the dev figures (JSON) here")
    p.add_argument("--davidson-cache", type=Path, default=None, help="npz cache of the Davidson head outputs")
    p.add_argument("--oof", type=Path, default=None, help="out-of-fold head outputs (scripts/kfold_heads.py)")
    args = p.parse_args(argv)
    texts, y = load_training(args.data_dir)
    if args.oof is not None:
        probs, heads = oof_probs(args.oof, "offensive", texts, ("offensive", "hate", "davidson")), "out-of-fold"
    else:
        probs, heads = head_probs(texts, args.cache, args.model_dir), "in-sample"
    spec = fit(texts, y, probs, args.seed, heads)
    out = args.out / OFFENSIVE_FILE
    with gzip.GzipFile(out, "wb", mtime=0) as fh:  # mtime=0: the same fit gives the same bytes
        fh.write(json.dumps(spec, sort_keys=True).encode("utf-8"))
    print(f"wrote {out} ({out.stat().st_size} bytes): {spec['fit']}")
    if args.report:
        figures = {**spec["fit"], **report(spec, args.data_dir, args.model_dir, args.davidson_cache)}
        args.report.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
        print(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

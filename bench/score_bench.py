"""Benchmark the scoring backends: accuracy on held-out dev carves, false alarms on agent replies, speed.

    python bench/score_bench.py --data-dir ../shared/benchdata [--backends onnx-base onnx lexicon] [--json out.json]

`onnx-base` is the `onnx` backend without the sentiment stacker (the raw ONNX sentiment head), for
before/after comparisons; `--sentiment-only` runs just the two sentiment tasks and the speed runs.

Held-out = the 20 % of each dev file that `moderation.splits.is_heldout` keeps out of training.
Airline sentiment, TWCS and IBM agent replies are never trained on: they measure transfer and false alarms.
Speed is measured pinned to one CPU core with one inference thread.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from moderation.scores import BACKENDS, SENTIMENT_LABELS, Scores, get_scorer
from moderation.splits import is_heldout
from moderation.textmodel import OnnxScorer

BACKENDS.setdefault("onnx-base", lambda: OnnxScorer(stacker=False))

THRESHOLD = 0.5  # rules.yaml default `toxicity.warn`


def macro(y_true: Sequence[int], y_pred: Sequence[int], n: int) -> dict[str, float]:
    """Macro-F1 and macro-recall over n classes, in percent."""
    t, p = np.asarray(y_true), np.asarray(y_pred)
    f1s, recs = [], []
    for c in range(n):
        tp = float(np.sum((t == c) & (p == c)))
        prec = tp / max(float(np.sum(p == c)), 1.0)
        rec = tp / max(float(np.sum(t == c)), 1.0)
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
        recs.append(rec)
    # class 0 is `negative` for sentiment and `not offensive` for toxicity; the report keeps both classes' F1
    return {"macro_f1": 100 * float(np.mean(f1s)), "macro_recall": 100 * float(np.mean(recs)),
            "accuracy": 100 * float(np.mean(t == p)), "class_f1": [round(100 * f, 2) for f in f1s], "n": len(t)}


def load(data_dir: Path, folder: str, text_col: str, heldout_only: bool, part: str = "") -> pd.DataFrame:
    """Read one dev.csv, optionally keeping only its held-out carve (or, with part="train", the rest)."""
    df = pd.read_csv(data_dir / folder / "dev.csv", keep_default_na=False)
    if heldout_only or part:
        keep = part != "train"
        df = df[[is_heldout(str(t)) == keep for t in df[text_col]]]
    return df.reset_index(drop=True)


def run_scorer(backend: str, texts: list[str]) -> list[Scores]:
    """Score texts in batches of 256."""
    scorer = get_scorer(backend)
    out: list[Scores] = []
    for i in range(0, len(texts), 256):
        out.extend(scorer.score(texts[i:i + 256]))
    return out


Labeller = Callable[[pd.DataFrame], list[int]]


def sentiment_task(data_dir: Path, backend: str, folder: str, text_col: str, label: Labeller,
                   heldout: bool) -> dict[str, float]:
    """Macro scores of the three-way sentiment label."""
    df = load(data_dir, folder, text_col, heldout)
    res = run_scorer(backend, [str(t) for t in df[text_col]])
    pred = [SENTIMENT_LABELS.index(r.sentiment.label) for r in res]
    return macro(label(df), pred, 3)


def toxicity_task(data_dir: Path, backend: str, folder: str, text_col: str, label: Labeller,
                  key: str | None = None) -> dict[str, float]:
    """Binary macro scores of the overall toxicity score (or sub-label `key`) at THRESHOLD."""
    df = load(data_dir, folder, text_col, True)
    res = run_scorer(backend, [str(t) for t in df[text_col]])
    probs = [r.toxicity.labels.get(key, r.toxicity.score) if key else r.toxicity.score for r in res]
    return macro(label(df), [int(p >= THRESHOLD) for p in probs], 2)


def carve_suite(data_dir: Path, backend: str) -> dict[str, dict[str, float]]:
    """The English model's figures on the part it trained on (dev) and on the held-out carve (test)."""
    out: dict[str, dict[str, float]] = {}
    for part in ("train", "heldout"):
        sent = load(data_dir, "tweeteval_sentiment", "text", False, part)
        pred = [SENTIMENT_LABELS.index(r.sentiment.label) for r in run_scorer(backend, list(sent["text"]))]
        out[f"tweeteval_sentiment ({part})"] = macro(list(sent["label"]), pred, 3)
        for folder, key in (("tweeteval_offensive", None), ("tweeteval_hate", "identity_attack")):
            df = load(data_dir, folder, "text", False, part)
            res = run_scorer(backend, [str(t) for t in df["text"]])
            probs = [r.toxicity.labels.get(key, r.toxicity.score) if key else r.toxicity.score for r in res]
            out[f"{folder} ({part})"] = macro(list(df["label"]), [int(p >= THRESHOLD) for p in probs], 2)
    return out


def false_alarms(data_dir: Path, backend: str, folder: str) -> dict[str, float]:
    """Share of brand-agent replies (all benign by construction) flagged at warn 0.5 and block 0.8."""
    df = load(data_dir, folder, "text", False)
    scores = np.asarray([r.toxicity.score for r in run_scorer(backend, [str(t) for t in df["text"]])])
    return {"warn_rate": 100 * float(np.mean(scores >= THRESHOLD)),
            "block_rate": 100 * float(np.mean(scores >= 0.8)), "n": len(scores)}


def throughput(backend: str, texts: list[str], batch: int) -> dict[str, float]:
    """Texts per CPU-second on one pinned core, one inference thread (and wall-clock rate)."""
    os.environ["REPGUARD_TEXTMODEL_THREADS"] = "1"
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    scorer = get_scorer(backend)
    scorer.score(texts[:batch])  # warm-up
    start, cpu_start = time.perf_counter(), time.process_time()
    for i in range(0, len(texts), batch):
        scorer.score(texts[i:i + batch])
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    # CPU time is what one core spends; wall time also counts waiting for other processes on a shared box.
    return {"texts_per_s": len(texts) / cpu, "ms_per_text": 1000 * cpu / len(texts),
            "wall_texts_per_s": len(texts) / elapsed, "batch": batch}


def sentiment_suite(data_dir: Path, backend: str) -> dict[str, dict[str, float]]:
    """The two sentiment figures for one backend: held-out TweetEval and airline transfer."""
    air = {"negative": 0, "neutral": 1, "positive": 2}
    airline: Labeller = lambda d: [air[s] for s in d["airline_sentiment"]]  # noqa: E731
    return {
        "tweeteval_sentiment (held-out)": sentiment_task(
            data_dir, backend, "tweeteval_sentiment", "text", lambda d: list(d["label"]), True),
        "airline_sentiment (all dev, never trained on)": sentiment_task(
            data_dir, backend, "airline_sentiment", "text", airline, False),
    }


def accuracy_suite(data_dir: Path, backend: str) -> dict[str, dict[str, float]]:
    """Every accuracy figure for one backend."""
    abusive: Labeller = lambda d: [int(c != 2) for c in d["class"]]  # noqa: E731
    sentiment = sentiment_suite(data_dir, backend)
    return {
        "tweeteval_sentiment (held-out)": sentiment["tweeteval_sentiment (held-out)"],
        "tweeteval_offensive (held-out)": toxicity_task(
            data_dir, backend, "tweeteval_offensive", "text", lambda d: list(d["label"])),
        "tweeteval_hate (held-out, identity_attack)": toxicity_task(
            data_dir, backend, "tweeteval_hate", "text", lambda d: list(d["label"]), key="identity_attack"),
        "davidson abusive vs neither (held-out)": toxicity_task(
            data_dir, backend, "davidson_hate_offensive", "tweet", abusive),
        "airline_sentiment (all dev, never trained on)": sentiment["airline_sentiment (all dev, never trained on)"],
        "twcs agent replies false alarms": false_alarms(data_dir, backend, "twcs_agent_replies"),
        "ibm agent replies false alarms": false_alarms(data_dir, backend, "ibm_custcare_agent_replies"),
    }


def markdown(report: dict[str, dict[str, dict[str, float]]]) -> str:
    """Render the report as one markdown table: a row per measurement, a column per backend."""
    backends = list(report)
    rows = list(dict.fromkeys(k for b in backends for k in report[b]))
    out = ["| measurement | " + " | ".join(f"`{b}`" for b in backends) + " |",
           "|---|" + "---|" * len(backends)]
    for row in rows:
        cells = []
        for b in backends:
            m = report[b].get(row, {})
            if "macro_f1" in m:
                neg = f" · negative F1 {m['class_f1'][0]:.1f}" if len(m.get("class_f1", [])) == 3 else ""
                cells.append(f"F1 {m['macro_f1']:.1f} · recall {m['macro_recall']:.1f}{neg} (n={m['n']})")
            elif "warn_rate" in m:
                cells.append(f"{m['warn_rate']:.1f} % warn · {m['block_rate']:.1f} % block (n={m['n']})")
            elif "texts_per_s" in m:
                cells.append(f"{m['texts_per_s']:.0f} texts/s ({m['ms_per_text']:.2f} ms CPU/text; "
                             f"wall {m['wall_texts_per_s']:.0f}/s)")
            else:
                cells.append("")
        out.append(f"| {row} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Run the suite for each backend and print a JSON report."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--backends", nargs="+", default=["onnx", "lexicon"])
    p.add_argument("--speed-texts", type=int, default=1000)
    p.add_argument("--speed-only", action="store_true", help="skip the accuracy suite")
    p.add_argument("--sentiment-only", action="store_true", help="accuracy: only the sentiment tasks")
    p.add_argument("--carves", action="store_true",
                   help="accuracy: TweetEval sentiment/offensive/hate on the trained-on part and the held-out carve")
    p.add_argument("--json", type=Path, default=None, help="also write the report here")
    args = p.parse_args(argv)
    report: dict[str, dict[str, dict[str, float]]] = {}
    for backend in args.backends:
        suite = carve_suite if args.carves else sentiment_suite if args.sentiment_only else accuracy_suite
        report[backend] = {} if args.speed_only else suite(args.data_dir, backend)
        if args.carves:
            report[backend]["airline_sentiment (all dev, never trained on)"] = sentiment_suite(
                args.data_dir, backend)["airline_sentiment (all dev, never trained on)"]
        print(json.dumps({backend: report[backend]}, indent=1), flush=True)
    df = load(args.data_dir, "tweeteval_offensive", "text", True)
    texts = [str(t) for t in df["text"]][:args.speed_texts]
    for backend in [] if args.carves else args.backends:  # speed last: it pins the process to one core
        for batch in (1, 32, 256):
            report[backend][f"speed batch={batch} (1 core)"] = throughput(backend, texts, batch)
        print(json.dumps({backend: report[backend]}, indent=1), flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

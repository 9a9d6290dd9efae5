"""Train the multilingual reply-insult head (moderation/data/reply_insults_e5.json) and measure it on dev.

Usage: python scripts/train_reply_insults.py [--c 1.0] [--write]

A logistic head over multilingual-e5-small vectors (`moderation.embed`) that reads an agent's reply in any of the
ten languages and says whether it insults, mocks or brushes off the customer. It learns from: the hand-written
English hostile and benign replies (scripts/data/hostile_authored, read across languages by the shared vector
space), the authored insult and benign fragments of every language (scripts/data/multilingual_authored), the
round-11, round-12 and round-13 training replies (scripts/data/reply_insults and its round12 and round13 folders,
written for training by writers who wrote nothing else for the project) and the earlier multilingual insult DEV sets
(bench/data/multilingual_insults_dev6 and _dev10). English rows weigh ENGLISH_WEIGHT of the total (0.5 in round 11;
0.15 since round 12, the best of {0.5, 0.3, 0.15} by dev13 AUC). Since round 12 a hashed character n-gram model
(`moderation.replyngrams`, fitted on the non-English rows only, C = 30, 2^18 buckets, its logit weighted 2: the best
dev13 AUC of C in {3, 10, 30}, weight in {0.5, 1, 2}, 2^18 or 2^20 buckets) is stacked on the head. It is measured
on bench/data/multilingual_insults_dev13 (dev, never trained on); the test sets are never read. `--write` stores the
head with two operating points chosen on dev13 by rules: `threshold`, the lowest score at which the head alone flags
at most MAX_BENIGN of dev13's benign replies, and `veto_below`, the highest score under which at most MAX_MISSED of
dev13's insults fall (1 % and 1 % in round 11; since round 12 3 % and 5 %, chosen on dev13 with the whole check from
{1, 2, 3, 5} % each: the stacked score separates better, and the strict veto let block-level head findings on warm
slang through).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import authored_multilingual as authored  # noqa: E402
from train_hostile import authored as english_authored  # noqa: E402
from train_hostile import cached  # noqa: E402

from moderation.embed import embed  # noqa: E402
from moderation.hostility import features  # noqa: E402
from moderation.replyhead import ReplyHead  # noqa: E402
from moderation.replyngrams import ReplyNgrams, buckets  # noqa: E402

BENCH = ROOT / "bench" / "data"
TRAIN_DIR = ROOT / "scripts" / "data" / "reply_insults"
ROUND12_DIR = TRAIN_DIR / "round12"  # 1,000 more training replies, other writers, wider insult kinds
ROUND13_DIR = TRAIN_DIR / "round13"  # 1,000 more, two further writers, same brief
DEV_TRAIN = ("multilingual_insults_dev6", "multilingual_insults_dev10")
DEV = "multilingual_insults_dev13"
OUT = ROOT / "moderation" / "data" / "reply_insults_e5.json"
NGRAM_OUT = OUT.with_name("reply_insults_ngrams.npz")
ENGLISH_WEIGHT, NGRAM_C, NGRAM_WEIGHT, NGRAM_BITS = 0.15, 30.0, 2.0, 18
MAX_BENIGN, MAX_MISSED = 0.03, 0.05


def replies(folder: Path) -> list[tuple[str, int, str]]:
    """(text, 1 for an insult, language) for every reply row of a folder of `<lang>.csv` files."""
    rows = []
    for path in sorted(folder.glob("*.csv")):
        for row in csv.DictReader(path.open(encoding="utf-8")):
            if row["kind"] == "reply" and row["label"] in ("insult", "benign"):
                rows.append((row["text"], int(row["label"] == "insult"), path.stem))
    return rows


def training_rows(with_round12: bool = True, with_round13: bool = True) -> list[tuple[str, int, str]]:
    """Every training reply: English authored, the languages' authored fragments, round-11 rows, old dev."""
    rows = [(t, y, "en") for t, y in english_authored()]
    for lang in authored.languages():
        frame = authored.frame(lang, "toxicity")
        rows += [(t, int(lab == "toxic"), lang) for t, lab in zip(frame.text, frame.label, strict=True)]
    rows += replies(TRAIN_DIR)
    if with_round12:
        rows += replies(ROUND12_DIR)
    if with_round12 and with_round13:
        rows += replies(ROUND13_DIR)
    for name in DEV_TRAIN:
        rows += replies(BENCH / name)
    return rows


def e5(texts: list[str]) -> np.ndarray:
    """e5 vectors, cached on disk per text."""
    return cached("e5", texts, lambda new: np.concatenate([embed(new[i:i + 64]) for i in range(0, len(new), 64)]))


def fit(x: np.ndarray, y: np.ndarray, weight: np.ndarray, c: float) -> dict[str, object]:
    """Standardise unit vectors and fit a weighted logistic regression."""
    from sklearn.linear_model import LogisticRegression

    feats = features(x)
    mean, scale = feats.mean(axis=0), feats.std(axis=0) + 1e-6
    clf = LogisticRegression(C=c, max_iter=3000, random_state=20261202)
    clf.fit((feats - mean) / scale, y, sample_weight=weight)
    return {"mean": mean.tolist(), "scale": scale.tolist(), "coef": clf.coef_[0].tolist(),
            "intercept": float(clf.intercept_[0])}


def fit_ngrams(texts: list[str], y: np.ndarray, c: float, bits: int) -> ReplyNgrams:
    """Sublinear tf-idf over hashed character n-grams and a balanced logistic regression."""
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.linear_model import LogisticRegression

    rows, cols, vals = [], [], []
    for r, text in enumerate(texts):
        for col, n in buckets(text, bits).items():
            rows.append(r)
            cols.append(col)
            vals.append(n)
    counts = csr_matrix((vals, (rows, cols)), shape=(len(texts), 1 << bits), dtype=np.float64)
    tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
    clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced", random_state=20261202)
    clf.fit(tfidf.transform(counts), y)
    as_shipped = [np.asarray(a, dtype=np.float32).astype(np.float64) for a in (tfidf.idf_, clf.coef_[0])]
    return ReplyNgrams(*as_shipped, float(clf.intercept_[0]), NGRAM_WEIGHT, bits)


def as_head(head: dict[str, object], ngrams: ReplyNgrams | None) -> ReplyHead:
    """The check's ReplyHead for a fitted head (operating points not chosen yet)."""
    arrays = (np.asarray(head[k], dtype=np.float32) for k in ("mean", "scale", "coef"))
    return ReplyHead(*arrays, float(head["intercept"]), 1.0, 0.0, frozenset(), ngrams)  # type: ignore[arg-type]


def probs(head: dict[str, object], x: np.ndarray, ngrams: ReplyNgrams | None = None,
          texts: list[str] | None = None) -> np.ndarray:
    """P(insult) per row, as the check computes it."""
    return as_head(head, ngrams).predict(x, texts)


def operating_points(p: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(threshold, veto_below) on dev by the module's fixed rules."""
    benign, insults = np.sort(p[y == 0]), np.sort(p[y == 1])
    threshold = float(benign[min(len(benign) - 1, int(np.ceil((1 - MAX_BENIGN) * len(benign))))]) + 1e-4
    veto = float(insults[int(np.floor(MAX_MISSED * len(insults)))])
    return round(min(threshold, 0.9999), 4), round(veto, 4)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--c", type=float, default=1.0)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--without-round12", action="store_true", help="the round-11 recipe, for comparison")
    ap.add_argument("--without-round13", action="store_true", help="the round-12 recipe, for comparison")
    args = ap.parse_args()
    rows = training_rows(not args.without_round12, not args.without_round13)
    texts, y = [t for t, _, _ in rows], np.asarray([lab for _, lab, _ in rows])
    english = np.asarray([lang == "en" for _, _, lang in rows])
    share = 0.5 if args.without_round12 else ENGLISH_WEIGHT
    weight = np.where(english, share / english.sum(), (1 - share) / (~english).sum()) * len(rows)
    head = fit(e5(texts), y, weight, args.c)
    ngrams = None if args.without_round12 else fit_ngrams([t for t, e in zip(texts, english, strict=True) if not e],
                                                           y[~english], NGRAM_C, NGRAM_BITS)
    dev = replies(BENCH / DEV)
    dev_texts = [t for t, _, _ in dev]
    p, dev_y = probs(head, e5(dev_texts), ngrams, dev_texts), np.asarray([lab for _, lab, _ in dev])
    from sklearn.metrics import roc_auc_score

    threshold, veto = operating_points(p, dev_y)
    print(json.dumps({"train_rows": len(rows), "english": int(english.sum()), "C": args.c,
                      "dev13_auc": round(float(roc_auc_score(dev_y, p)), 4), "threshold": threshold,
                      "insults_at_threshold": round(float((p[dev_y == 1] >= threshold).mean()), 3),
                      "veto_below": veto,
                      "benign_under_veto": round(float((p[dev_y == 0] < veto).mean()), 3)}))
    if args.write:
        spec = {**head, "threshold": threshold, "veto_below": veto, "C": args.c, "english_weight": share,
                "languages": sorted(authored.languages())}
        if ngrams is not None:
            np.savez_compressed(NGRAM_OUT, idf=ngrams.idf.astype(np.float32), coef=ngrams.coef.astype(np.float32))
            spec["ngrams"] = {"file": NGRAM_OUT.name, "intercept": ngrams.intercept, "weight": ngrams.weight,
                              "bits": ngrams.bits, "C": NGRAM_C}
        OUT.write_text(json.dumps(spec) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

"""Train the word n-gram model stacked on the hostility head (moderation/data/hostile_ngrams.json).

Usage: python scripts/train_hostile_ngrams.py [--seed 20261130] [--data ../shared/benchdata] [--dry-run] [--pairs-only]

Fits a logistic regression over tf-idf word 1-2 grams on the same training rows as scripts/train_hostile.py
(generated replies from scripts/hostile_corpus.py, IBM dev-half replies and TweetEval tweets as benign; all
usable commercially) plus everyday care sentences as benign rows (scripts/data/stock_agent_replies.txt,
--stock-repeat, chosen on dev), caps the coefficient of a single word or a pair of function words at
--plain-cap (2.0, chosen on dev: the dev rows below and bench/data/replies_hostile_probe_dev.tsv), then stacks
it on the shipped head: stacked logit = head logit (re-centred on the head's threshold) + weight x n-gram
logit. The weight is chosen and the operating point placed on dev data only: the point lets at most MAX_ALARMS
of real agent replies (twcs + IBM, dev half, per-reply maximum over the chunks the check scores) through, and
the weight maximises dev hostile recall minus dev look-alikes flagged (dev half of replies_toxicity.tsv,
replies_late_test.tsv, replies_hostile_dev5.tsv). Never read: the late2-late5 sets and the test halves. Writes
the model, names it in textmodel_hostile.json and sets the floor of the band in which the e5 second opinion is
asked (hostile_e5.json, `band_low`, on the stacked score; and the e5 head's threshold: 0.1 and 0.98 were
chosen on dev (against no second opinion: +4 of 128 dev hostile rows, +2 of 161 dev look-alikes, no dev real
reply; the old threshold 0.9 added 4 look-alikes of the 30 in replies_hostile_dev7.tsv; a floor of 0.05 found
nothing more and sent twice as many replies to the e5 pass; at 0.1 about 1 % of real replies fall in the
band). Round 7 (authored whole replies in the training rows): `--raises 1.0 --e5-threshold 0.99`, chosen on dev
with bench/hostile_dev.py (dev hostile found minus dev look-alikes flagged, the probe and stock sentences and
dev8 included; 0.99 equals 0.98 there and leaves the idiom "Nobody cares more about your privacy than we do"
alone, which the retrained e5 head reads as hostile). Round 8 (six more writers) reran the round-7 commands;
with their replies the second opinion decides 1 of the 5,175 authored replies and none of the dev rows.
Round 10 (two more writers) reran train_hostile.py and train_hostile_e5.py with the round-7 commands but not this
stage: rerun on the new rows it placed its operating point higher (offset -0.86 -> -0.33) and bench/hostile_dev.py
fell from 441 dev hostile found / 21 look-alikes flagged (the new head and e5 stage with the round-9 n-grams)
to 423 / 15; the shipped n-gram model is round 9's.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from train_hostile import alarm_units, dev_sets, pooled, scored, training_set  # noqa: E402

from moderation.hostility import HOSTILITY_FILE, SECOND_FILE, HostilityHead  # noqa: E402
from moderation.hostility_ngrams import NGRAM_FILE, NgramModel, analyse, analyse_pairs  # noqa: E402
from moderation.textmodel import TextModel  # noqa: E402

WEIGHTS = (0.5, 1.0, 1.5, 2.0, 3.0)
# The check's other rules already flag about 0.4 % of real replies (target: at most 0.5 %), so the stack may
# add none on dev.
MAX_ALARMS = 0.0
MARGIN = 0.05  # logit margin over the last real reply let through: rounding in the file must not tip it
RAISES = (0.0, 0.25, 0.5, 1.0)  # operating points tried above the real-reply one


def stock_replies() -> list[str]:
    """Everyday care sentences ("Thanks for bringing this to our attention") as benign training rows."""
    lines = (ROOT / "scripts" / "data" / "stock_agent_replies.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def fit_ngrams(texts: list[str], y: np.ndarray, c: float, seed: int, unigrams: bool = True) -> dict[str, object]:
    """Fit tf-idf content words (unless off) and word pairs (terms in >= 2 texts) and a balanced logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(analyzer=analyse if unigrams else analyse_pairs, min_df=2, sublinear_tf=True)
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=3000, random_state=seed)
    clf.fit(vec.fit_transform(texts), y)
    coef = clf.coef_[0]
    vocab = {t: [round(float(vec.idf_[i]), 5), round(float(coef[i]), 5)] for t, i in vec.vocabulary_.items()}
    check = [NgramModel(dict(vocab), float(clf.intercept_[0]), 1.0, 0.0, unigrams).logit(t) for t in texts[:200]]
    assert np.allclose(check, clf.decision_function(vec.transform(texts[:200])), atol=1e-3), "feature mismatch"
    return {"vocab": vocab, "intercept": round(float(clf.intercept_[0]), 6), "unigrams": unigrams}


def operating_point(real: np.ndarray) -> float:
    """The stacked logit that lets at most MAX_ALARMS of the real replies (per-reply maxima) through."""
    ranked = np.sort(real)[::-1]
    return float(ranked[int(np.floor(MAX_ALARMS * len(ranked)))]) + MARGIN


def choose(head_dev: np.ndarray, ngram_dev: np.ndarray, dev_y: np.ndarray, head_real: np.ndarray,
           ngram_real: np.ndarray, owner: np.ndarray, raises: tuple[float, ...] = RAISES) -> tuple[float, float]:
    """The weight and operating point (at or above the real-reply one) with the best dev recall minus dev
    look-alikes flagged."""
    best = (-1.0, 0.0, 0.0)
    for w in WEIGHTS:
        per_reply = np.full(int(owner.max()) + 1, -np.inf)
        np.maximum.at(per_reply, owner, head_real + w * ngram_real)
        floor = operating_point(per_reply)
        for offset in floor + np.asarray(raises):
            flagged = head_dev + w * ngram_dev >= offset
            recall, benign = float(flagged[dev_y == 1].mean()), float(flagged[dev_y == 0].mean())
            print(f"weight {w}: offset {offset:.3f}, dev hostile {recall:.3f}, dev look-alikes {benign:.3f}")
            if recall - benign > best[0] + 1e-9:
                best = (recall - benign, w, float(offset))
    return best[1], best[2]


def main() -> None:
    """Fit the n-gram model, choose the stacking weight and operating point on dev, write both files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--data", type=Path, default=Path("../shared/benchdata"))
    parser.add_argument("--n", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=None, help="copies of each authored whole reply (default 2)")
    parser.add_argument("--tweets", type=int, default=2500)
    parser.add_argument("--c", type=float, default=3.0)
    parser.add_argument("--band-low", type=float, default=0.1,
                        help="floor of the stacked-score band the e5 second opinion is asked about (chosen on dev)")
    parser.add_argument("--e5-threshold", type=float, default=0.98,
                        help="e5 probability at which the second opinion flags (chosen on dev; was 0.9)")
    parser.add_argument("--stock-repeat", type=int, default=1,
                        help="times each stock care sentence is added as a benign row (chosen on dev)")
    parser.add_argument("--raises", type=float, nargs="+", default=list(RAISES),
                        help="operating points tried above the real-reply one (round 7: 1.0, chosen on dev "
                             "with bench/hostile_dev.py: the probe sentences and dev8 are not in the choice here)")
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--pairs-only", action="store_true", help="word pairs only, no single content words")
    parser.add_argument("--plain-cap", type=float, default=2.0,
                        help="cap on the coefficient of a single word or function-word pair (chosen on dev; 0: none)")
    args = parser.parse_args()
    texts, y, _ = training_set(args.data, args.n, args.tweets, args.seed, args.repeat)
    stock = [scored(t) for t in stock_replies()] * args.stock_repeat
    texts, y = texts + stock, np.concatenate([y, np.zeros(len(stock), dtype=y.dtype)])
    spec = fit_ngrams(texts, y, args.c, args.seed, unigrams=not args.pairs_only)
    cap = args.plain_cap or None
    plain = NgramModel({t: (i, c) for t, (i, c) in spec["vocab"].items()},  # type: ignore[attr-defined]
                       float(spec["intercept"]), 1.0, 0.0, not args.pairs_only, cap)  # type: ignore[arg-type]
    head_path = ROOT / "moderation" / "data" / HOSTILITY_FILE
    head = HostilityHead.load(head_path)
    model = TextModel(threads=1)
    dev_texts = [scored(t) for rows in dev_sets().values() for t, _ in rows]
    dev_y = np.asarray([label for rows in dev_sets().values() for _, label in rows])
    units, owner = alarm_units(args.data)
    weight, offset = choose(head.logits(pooled(model, dev_texts, 1)), np.asarray([plain.logit(t) for t in dev_texts]),
                            dev_y, head.logits(pooled(model, units, 1)), np.asarray([plain.logit(t) for t in units]),
                            owner, tuple(args.raises))
    print(f"chosen weight {weight}, offset {offset:.3f}, {len(spec['vocab'])} terms")  # type: ignore[arg-type]
    if args.dry_run:
        return
    spec.update(weight=weight, offset=round(offset, 6), plain_cap=cap, C=args.c, seed=args.seed,
                n_train=len(texts), stock_repeat=args.stock_repeat,
                features="tf-idf content words and word pairs (sublinear tf, l2), min_df 2")
    (ROOT / "moderation" / "data" / NGRAM_FILE).write_text(json.dumps(spec, separators=(",", ":")) + "\n",
                                                           encoding="utf-8")
    head_spec = json.loads(head_path.read_text(encoding="utf-8"))
    head_spec["ngrams"] = NGRAM_FILE
    head_path.write_text(json.dumps(head_spec) + "\n", encoding="utf-8")
    e5_path = ROOT / "moderation" / "data" / SECOND_FILE
    e5_spec = json.loads(e5_path.read_text(encoding="utf-8"))
    e5_spec.pop("band_low_raw", None)  # a floor on the head's raw probability no longer applies
    e5_spec.update(band_low=args.band_low, threshold=args.e5_threshold,
                   band_on="stacked score (head + n-grams), re-centred")
    e5_path.write_text(json.dumps(e5_spec) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

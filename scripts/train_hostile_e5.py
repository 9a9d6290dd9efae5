"""Train and measure the e5 second opinion for the hostility head (moderation/data/hostile_e5.json).

Usage: python scripts/train_hostile_e5.py [--seed 20261130] [--data ../shared/benchdata] [--write 0.7 0.9]

Fits a logistic head over multilingual-e5-small vectors (`moderation.embed`) on the same training rows as
scripts/train_hostile.py, then simulates the check: a reply whose MiniLM hostility (raw probability, max
over the chunks the check scores) is in [low, threshold) gets a second opinion from the e5 head. For each
band it prints the share of real agent replies (twcs + IBM, dev half) that would pay for the e5 pass, and
the dev hostile recall reachable with the e5 threshold placed so that real replies flagged stay at the
MiniLM head's cap. `--write LOW THRESHOLD` writes the shipped file: band floor LOW (raw MiniLM
probability; 0.7 puts 1.3-1.8 % of real replies in the band) and e5 threshold THRESHOLD (0.9: the lowest that,
in the check, flagged no more dev real replies and no late look-alike). Reads only dev data; never the
late2/late3/late4 sets or the test halves. Since round 4 the check asks on the stacked score (head plus word
n-grams): run scripts/train_hostile_ngrams.py after --write, which sets the band floor on that score.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from train_hostile import (  # noqa: E402
    MAX_ALARMS,
    alarm_units,
    cached,
    dev_sets,
    fit,
    pooled,
    scored,
    training_set,
)

from moderation.embed import embed  # noqa: E402
from moderation.hostility import HOSTILITY_FILE, SECOND_FILE, HostilityHead, predict_proba  # noqa: E402
from moderation.textmodel import TextModel  # noqa: E402


def e5(texts: list[str]) -> np.ndarray:
    """e5 vectors, cached on disk per text."""
    return cached("e5", texts, lambda new: np.concatenate([embed(new[i:i + 64]) for i in range(0, len(new), 64)]))


def main() -> None:
    """Fit the e5 head, then sweep the band and report the trade-off."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--data", type=Path, default=Path("../shared/benchdata"))
    parser.add_argument("--n", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=None, help="copies of each authored whole reply (default 2)")
    parser.add_argument("--tweets", type=int, default=2500)
    parser.add_argument("--c", type=float, default=0.01)
    parser.add_argument("--write", type=float, nargs=2, default=None, metavar=("LOW", "THRESHOLD"),
                        help="write the e5 head: band floor (raw MiniLM probability) and e5 threshold")
    args = parser.parse_args()
    texts, y, _ = training_set(args.data, args.n, args.tweets, args.seed, args.repeat)
    print(f"embedding {len(texts)} training texts", flush=True)
    head = fit(e5(texts), y, args.c, args.seed)
    model = TextModel(threads=1)
    mini = HostilityHead.load(ROOT / "moderation" / "data" / HOSTILITY_FILE)
    thr = mini.threshold

    def both(texts_: list[str], owner: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        m = predict_proba(pooled(model, texts_, 1), mini.mean, mini.scale, mini.coef, mini.intercept)
        e = predict_proba(e5(texts_), head["mean"], head["scale"], head["coef"], head["intercept"])  # type: ignore[arg-type]
        if owner is None:
            return m, e
        pm, pe = np.zeros(int(owner.max()) + 1), np.zeros(int(owner.max()) + 1)
        np.maximum.at(pm, owner, m)
        np.maximum.at(pe, owner, e)
        return pm, pe

    dev = dev_sets()
    dev_m, dev_e = both([scored(t) for r in dev.values() for t, _ in r])
    dev_y = np.asarray([label for r in dev.values() for _, label in r])
    units, owner = alarm_units(args.data)
    real_m, real_e = both(units, owner)
    base = real_m >= thr
    print(f"MiniLM alone: dev hostile {(dev_m[dev_y == 1] >= thr).mean():.3f}, dev benign "
          f"{(dev_m[dev_y == 0] >= thr).mean():.3f}, real {base.mean():.4f} (n={len(real_m)})")
    print(f"e5 alone at 0.5: dev hostile {(dev_e[dev_y == 1] >= 0.5).mean():.3f}, "
          f"dev benign {(dev_e[dev_y == 0] >= 0.5).mean():.3f}, real {(real_e >= 0.5).mean():.4f}")
    for low in (0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        band = (real_m >= low) & (real_m < thr)
        room = max(0, int(np.floor(MAX_ALARMS * len(real_m))) - int(base.sum()))
        cand = np.sort(real_e[band])[::-1]
        e_thr = float(cand[room]) + 1e-4 if room < len(cand) else 0.5
        e_thr = max(e_thr, 0.5)
        flag = (dev_m >= thr) | ((dev_m >= low) & (dev_e >= e_thr))
        real_flag = base | (band & (real_e >= e_thr))
        print(f"band [{low:.2f}, {thr:.3f}): real in band {band.mean():.4f}, e5 threshold {e_thr:.3f}, dev hostile "
              f"{flag[dev_y == 1].mean():.3f}, dev benign {flag[dev_y == 0].mean():.3f}, real {real_flag.mean():.4f}")
    print(json.dumps({"n_train": len(texts), "c": args.c}))
    if args.write is not None:
        low, e5_thr = args.write
        logit = float(np.log(low / (1 - low)) - np.log(thr / (1 - thr)))
        spec = {k: (v.round(6).tolist() if isinstance(v, np.ndarray) else v) for k, v in head.items()}
        spec.update(threshold=e5_thr, C=args.c, seed=args.seed, band_low=round(1 / (1 + np.exp(-logit)), 4),
                    band_low_raw=low, n_train=len(texts), features="unit e5 vector, standardised")
        (ROOT / "moderation" / "data" / SECOND_FILE).write_text(json.dumps(spec) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

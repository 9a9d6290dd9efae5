"""Tune the spelling error-model weights on the dev half of the isolated-misspelling sets.

Usage: python bench/tune_speller.py [--data DIR]
Coordinate search over moderation.errormodel.WEIGHTS maximising top-1 accuracy; prints both halves.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from splits import carve

from moderation.errormodel import WEIGHTS, rank_score
from moderation.speller import Speller

SETS = ("norvig", "wikipedia_common")


def load(data: Path, speller: Speller) -> dict[str, list[tuple[str, list[tuple[str, tuple[float, ...]]]]]]:
    """Per half: (correct word, candidates with features) for every pair."""
    halves: dict[str, list] = {"dev": [], "test": []}
    for name in SETS:
        df = pd.read_csv(data / f"spelling_{name}" / "dev.csv", keep_default_na=False)
        for typo, right in zip(df.misspelling.str.lower(), df.correct.str.lower(), strict=True):
            if " " not in right:
                halves[carve(right)].append((right, speller.candidates(typo)))
    return halves


def accuracy(rows: list, weights: tuple[float, ...]) -> float:
    """Top-1 accuracy of the ranking with these weights."""
    ok = 0
    for right, cands in rows:
        if cands:
            ok += max(cands, key=lambda c: rank_score(c[1], weights))[0] == right
    return ok / len(rows)


def main() -> None:
    """Search the weights on dev, report dev and test."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("/work/shared/benchdata"))
    args = parser.parse_args()
    speller = Speller("en_unigrams.txt.gz", "en_bigrams.txt.gz", "en_extra_words.txt.gz")
    halves = load(args.data, speller)
    best = list(WEIGHTS)
    score = accuracy(halves["dev"], tuple(best))
    print("start", best, round(score, 4))
    for _ in range(3):
        for i in range(len(best) - 1):  # the context weight stays at 1: no context in isolated words
            for step in (-0.4, -0.2, -0.1, 0.1, 0.2, 0.4):
                trial = list(best)
                trial[i] = round(trial[i] + step, 3)
                s = accuracy(halves["dev"], tuple(trial))
                if s > score:
                    best, score = trial, s
        print("round", best, round(score, 4))
    print("dev", round(score, 4), "test", round(accuracy(halves["test"], tuple(best)), 4), "n",
          len(halves["dev"]), len(halves["test"]))


if __name__ == "__main__":
    main()

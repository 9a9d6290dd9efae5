"""Tune the spelling ranking weights by two-fold cross-validation inside the dev carve.

Usage: python bench/tune_speller.py [--data DIR] [--final]

The dev carve of the isolated-misspelling sets is split in two by the intended word; each half is scored
with a channel model (scripts/train_errormodel.py) trained on the other half, so the figures show how the
learned edits carry over to words they never saw. A coordinate search over moderation.errormodel.WEIGHTS
(the prior's weight stays 1, so scores stay in log10 units) maximises top-1 accuracy on those
out-of-fold candidates. `--final` also prints the shipped model on the dev and test carves: run it once,
at the end; never tune on what it prints.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from splits import carve
from train_errormodel import dev_fold, synthetic, train, training_pairs

from moderation.checks.spelling import EN_FILES
from moderation.errormodel import WEIGHTS, EditModel, rank_score
from moderation.speller import Speller, _data_lines

SETS = ("norvig", "wikipedia_common")
Row = tuple[str, str, list[tuple[str, tuple[float, ...]]]]  # set, intended word, candidates


def pairs_of(data: Path, half: str) -> list[tuple[str, str, str]]:
    """(set, typo, intended) for the one-word pairs of one carve."""
    out = []
    for name in SETS:
        df = pd.read_csv(data / f"spelling_{name}" / "dev.csv", keep_default_na=False)
        for typo, right in zip(df.misspelling.str.lower(), df.correct.str.lower(), strict=True):
            if " " not in right and carve(right) == half:
                out.append((name, typo, right))
    return out


def fold_model(data: Path, fold: int) -> EditModel:
    """A channel model trained on one half of the dev carve only."""
    words = [w.split()[0] for w in _data_lines("en_unigrams.txt.gz")[:30000] if len(w.split()[0]) >= 4]
    table = train(training_pairs(data, fold), synthetic(words, random.Random(13), 20000))
    model: dict[str, dict[str, float]] = {}
    for (alpha, beta), logp in table.items():
        model.setdefault(alpha, {})[beta] = logp
    return EditModel(model)


def out_of_fold(data: Path, speller: Speller) -> list[Row]:
    """Dev rows with candidates scored by the channel model of the other fold."""
    models = {fold: fold_model(data, fold) for fold in (0, 1)}
    rows = []
    for name, typo, right in pairs_of(data, "dev"):
        speller.use_edits(models[1 - dev_fold(right)])
        rows.append((name, right, speller.candidates(typo)))
    return rows


def accuracy(rows: list[Row], weights: tuple[float, ...], name: str | None = None) -> float:
    """Top-1 accuracy of the ranking with these weights (optionally on one set only)."""
    picked = [r for r in rows if name in (None, r[0])]
    ok = sum(bool(c) and max(c, key=lambda x: rank_score(x[1], weights))[0] == right for _, right, c in picked)
    return ok / max(1, len(picked))


def search(rows: list[Row]) -> tuple[float, ...]:
    """Coordinate search from the shipped weights; the prior (0) and context (last) weights stay."""
    best, score = list(WEIGHTS), accuracy(rows, WEIGHTS)
    for _ in range(3):
        for i in range(1, len(best) - 1):
            for step in (-0.4, -0.2, -0.1, -0.05, 0.05, 0.1, 0.2, 0.4):
                trial = list(best)
                trial[i] = round(trial[i] + step, 3)
                s = accuracy(rows, tuple(trial))
                if s > score:
                    best, score = trial, s
        print("round", best, round(score, 4))
    return tuple(best)


def main() -> None:
    """Cross-validate on dev, search the weights, and (with --final) report the shipped model."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/benchdata"))
    parser.add_argument("--final", action="store_true")
    args = parser.parse_args()
    speller = Speller(*EN_FILES)
    shipped = speller.edits
    rows = out_of_fold(args.data, speller)
    for name in SETS:
        print(f"dev, out-of-fold, shipped weights: {name} {accuracy(rows, WEIGHTS, name):.4f}")
    best = search(rows)
    for name in SETS:
        print(f"dev, out-of-fold, searched weights: {name} {accuracy(rows, best, name):.4f}")
    if args.final:
        speller.use_edits(shipped)
        for half in ("dev", "test"):
            final = [(n, right, speller.candidates(typo)) for n, typo, right in pairs_of(args.data, half)]
            for name in SETS:
                print(f"{half}, shipped model: {name} {accuracy(final, WEIGHTS, name):.4f}")


if __name__ == "__main__":
    main()

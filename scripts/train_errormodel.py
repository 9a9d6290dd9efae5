"""Learn the spelling channel model: Brill & Moore substring edits from (typo, intended word) pairs.

Usage: python scripts/train_errormodel.py [--data DIR] [--fold N] [--out FILE]

Training pairs (licence-clean only): the DEV carve of the Wikipedia common-misspellings list (CC BY-SA)
and of Norvig's set (Apache-2.0), plus typos generated here from a keyboard and sound-alike model. Birkbeck
and the original Aspell list are never used. Each pair is aligned letter by letter; every edit is
expanded with up to two letters of context on each side into rules "intended -> typed", and a rule's
probability is its count over how often its left side occurs in the intended words.
Writes moderation/data/en_edits.tsv.gz: `intended<TAB>typed<TAB>log10 p`.
"""

from __future__ import annotations

import argparse
import gzip
import math
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from splits import carve  # noqa: E402

from moderation.errormodel import MAX_SIDE, adjacent  # noqa: E402
from moderation.speller import _data_lines  # noqa: E402

CONTEXT = 2  # letters of context added around an edit
SYNTH_WEIGHT = 0.25  # a generated pair counts a quarter of a real one
MIN_COUNT = 1.0
SMOOTH = 5.0
SOUND_SWAPS = (("ie", "ei"), ("ei", "ie"), ("ance", "ence"), ("ence", "ance"), ("able", "ible"),
               ("ible", "able"), ("ph", "f"), ("c", "s"), ("s", "c"), ("ise", "ize"), ("ant", "ent"),
               ("ent", "ant"), ("er", "or"), ("or", "er"), ("ary", "ery"), ("tion", "sion"))


def align(word: str, typo: str) -> list[tuple[int, int, int, int]]:
    """Edit blocks (word start, word end, typo start, typo end) of a cheapest Damerau alignment."""
    n, m = len(word), len(typo)
    d = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        d[i][0] = i
    for j in range(m + 1):
        d[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (word[i - 1] != typo[j - 1]))
            if i > 1 and j > 1 and word[i - 1] == typo[j - 2] and word[i - 2] == typo[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    ops: list[tuple[int, int, int, int]] = []
    i, j = n, m
    while i or j:
        if i and j and word[i - 1] == typo[j - 1] and d[i][j] == d[i - 1][j - 1]:
            i, j = i - 1, j - 1
            continue
        if (i > 1 and j > 1 and word[i - 1] == typo[j - 2] and word[i - 2] == typo[j - 1]
                and d[i][j] == d[i - 2][j - 2] + 1):
            ops.append((i - 2, i, j - 2, j))
            i, j = i - 2, j - 2
        elif i and j and d[i][j] == d[i - 1][j - 1] + 1:
            ops.append((i - 1, i, j - 1, j))
            i, j = i - 1, j - 1
        elif i and d[i][j] == d[i - 1][j] + 1:
            ops.append((i - 1, i, j, j))
            i -= 1
        else:
            ops.append((i, i, j - 1, j))
            j -= 1
    return _merge(sorted(ops))


def _merge(ops: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Join touching edits into one block ("ance" -> "ence" stays one rule, not two)."""
    out: list[tuple[int, int, int, int]] = []
    for op in ops:
        if out and out[-1][1] == op[0] and out[-1][3] == op[2]:
            out[-1] = (out[-1][0], op[1], out[-1][2], op[3])
        else:
            out.append(op)
    return out


def rules(word: str, typo: str, context: int = CONTEXT) -> set[tuple[str, str]]:
    """Every rule (intended part, typed part) one pair supports, with up to `context` letters around it."""
    w, t = f"^{word}$", f"^{typo}$"
    found: set[tuple[str, str]] = set()
    for a, b, c, d in align(w, t):
        for left in range(context + 1):
            for right in range(context + 1):
                if a - left < 0 or b + right > len(w) or (left + right == 0 and a == b):
                    continue
                alpha, beta = w[a - left:b + right], t[c - left:d + right]
                if len(alpha) <= MAX_SIDE and len(beta) <= MAX_SIDE and alpha != beta:
                    found.add((alpha, beta))
    return found


def synthetic(words: list[str], rng: random.Random, n: int) -> list[tuple[str, str]]:
    """Typos from a keyboard and sound-alike model: neighbour keys, drops, doubles, swaps, swaps of sounds."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    pairs = []
    for _ in range(n):
        word = rng.choice(words)
        i = rng.randrange(1, len(word) - 1)
        kind = rng.random()
        if kind < 0.25:
            near = [c for c in letters if adjacent(word[i], c)]
            typo = word[:i] + rng.choice(near) + word[i + 1:] if near else word
        elif kind < 0.45:
            typo = word[:i] + word[i + 1:]
        elif kind < 0.6:
            typo = word[:i] + word[i] + word[i:]
        elif kind < 0.7:
            typo = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        else:
            swaps = [(a, b) for a, b in SOUND_SWAPS if a in word[1:]]
            a, b = rng.choice(swaps) if swaps else ("", "")
            typo = word[0] + word[1:].replace(a, b, 1) if a else word
        if typo != word:
            pairs.append((word, typo))
    # Dropped apostrophes ("dont", "wasnt"): each contraction in the word list, a few times over.
    pairs += [(w, w.replace("'", "")) for w in words if "'" in w] * 5
    return pairs


def training_pairs(data: Path, fold: int | None) -> list[tuple[str, str]]:
    """(intended, typed) pairs from the dev carve; with --fold, only that half of dev (for checking)."""
    import pandas as pd  # only for training: not a runtime dependency
    pairs = []
    for name in ("wikipedia_common", "norvig"):
        df = pd.read_csv(data / f"spelling_{name}" / "dev.csv", keep_default_na=False)
        for typo, right in zip(df.misspelling.str.lower(), df.correct.str.lower(), strict=True):
            if " " in right or carve(right) != "dev":
                continue
            if fold is not None and dev_fold(right) != fold:
                continue
            pairs.append((right, typo))
    return pairs


def dev_fold(word: str) -> int:
    """Split the dev carve in two by the intended word, to measure generalisation while tuning."""
    return int(carve("fold:" + word) == "test")


def train(pairs: list[tuple[str, str]], synth: list[tuple[str, str]], synth_weight: float = SYNTH_WEIGHT,
          smooth: float = SMOOTH) -> dict[tuple[str, str], float]:
    """Rule log-probabilities from real and generated pairs; `smooth` shrinks rules seen on few words."""
    counts: Counter[tuple[str, str]] = Counter()
    alphas: Counter[str] = Counter()
    for weight, group in ((1.0, pairs), (synth_weight, synth)):
        for word, typo in group:
            for rule in rules(word, typo):
                counts[rule] += weight
            w = f"^{word}$"
            for size in range(1, MAX_SIDE + 1):
                for k in range(len(w) - size + 1):
                    alphas[w[k:k + size]] += weight
    return {(a, b): round(math.log10(c / (alphas[a] + smooth)), 3) for (a, b), c in counts.items()
            if c >= MIN_COUNT and alphas[a]}


def main() -> None:
    """Train and write the rule table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/benchdata"))
    parser.add_argument("--fold", type=int, choices=[0, 1], default=None)
    parser.add_argument("--synth-weight", type=float, default=SYNTH_WEIGHT)
    parser.add_argument("--synth-n", type=int, default=20000)
    parser.add_argument("--smooth", type=float, default=SMOOTH)
    parser.add_argument("--out", type=Path, default=ROOT / "moderation" / "data" / "en_edits.tsv.gz")
    args = parser.parse_args()
    words = [w.split()[0] for w in _data_lines("en_unigrams.txt.gz")[:30000] if len(w.split()[0]) >= 4]
    words += [w.split()[0] for w in _data_lines("en_unigrams.txt.gz") if "'" in w and len(w.split()[0]) < 4]
    pairs = training_pairs(args.data, args.fold)
    table = train(pairs, synthetic(words, random.Random(13), args.synth_n), args.synth_weight, args.smooth)
    lines = [f"{a}\t{b}\t{p}" for (a, b), p in sorted(table.items())]
    with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=args.out.open("wb"), mtime=0) as out:
        out.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(f"{len(pairs)} pairs, {len(table)} rules -> {args.out}")


if __name__ == "__main__":
    main()

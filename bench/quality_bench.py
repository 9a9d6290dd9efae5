"""Detection quality of the reply checks on the project's own harder sets, dev and test side by side.

Usage: python bench/quality_bench.py [--only toxicity|pii|spelling|langid] [--show dev] [--out FILE]

The sets live in bench/data/ (written for this project, or generated from shared data by a fixed
seed). Each row is carved into dev or test by a hash of its text (bench/splits.py); rules were tuned
on dev only. `--show dev` prints the dev misses (never print test misses while tuning).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from splits import carve  # noqa: E402

from moderation import Policy, check  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
TOX_LANGS = ("th", "ur", "fr", "vi", "bg", "es", "de", "pt", "id", "ar")


def _flagged(text: str, checks: list[str], **policy: Any) -> str:
    """The action of the given checks on a reply."""
    return check(text, policy=Policy(checks=checks, **policy)).action


def bench_toxicity(show: str | None) -> dict[str, Any]:
    """Hostile replies without swear words flagged; benign look-alikes flagged; insults per language."""
    rows = list(csv.reader((DATA / "replies_toxicity.tsv").open(encoding="utf-8"), delimiter="\t"))
    hits: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for label, lang, text in rows:
        half = carve(text)
        langs = ["en"] if lang == "en" else [lang, "en"]
        flagged = _flagged(text, ["toxicity", "tone"], languages=langs) != "pass"
        group = lang if lang != "en" else "en"
        hits[(half, group, label)].append(int(flagged))
        if show == half and flagged != (label != "benign"):
            print(f"MISS {half} {label} {lang}: {text}")
    out: dict[str, Any] = {}
    for (half, group, label), vals in sorted(hits.items()):
        out.setdefault(half, {}).setdefault(group, {})[label] = {"n": len(vals), "flagged": sum(vals) / len(vals)}
    return out


def main() -> None:
    """Run the selected benchmarks and print/write the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["toxicity", "pii", "spelling", "langid"], default=None)
    parser.add_argument("--show", choices=["dev"], default=None)
    parser.add_argument("--out", type=Path, default=Path("bench/quality_results.json"))
    args = parser.parse_args()
    results: dict[str, Any] = {}
    for key, fn in (("toxicity", bench_toxicity),):
        if args.only in (None, key):
            results[key] = fn(args.show)
    print(json.dumps(results, indent=1))
    args.out.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()

"""Every check() verdict on the bench's reply sets as JSON lines and a digest: proof that findings did not change.

    python bench/findings_digest.py [--data ../shared/benchdata] --out /tmp/findings.jsonl
    python bench/findings_digest.py --compare before.jsonl after.jsonl

Texts: the speed bench's 600 twcs replies, every reply set under bench/data (*.tsv: the text is the last
column) and every non-English reply of bench/data/multilingual*. Default policy (every check on).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import sys
from pathlib import Path

import pandas as pd

os.environ.setdefault("REPGUARD_TEXTMODEL_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
DATA = Path(__file__).resolve().parent / "data"


def texts(shared: Path) -> list[tuple[str, str]]:
    """(source, text) for every reply the digest covers."""
    rows = [("twcs", str(t)) for t in pd.read_csv(shared / "twcs_agent_replies" / "dev.csv",
                                                  keep_default_na=False).text.tolist()[:600]]
    for path in sorted(DATA.glob("*.tsv")):
        rows += [(path.name, r[-1]) for r in csv.reader(path.open(encoding="utf-8"), delimiter="\t") if r]
    for folder in sorted(DATA.glob("multilingual*")):
        for path in sorted(folder.glob("*.csv")):
            df = pd.read_csv(path, keep_default_na=False)
            rows += [(f"{folder.name}/{path.stem}", str(t)) for t in df.loc[df["kind"] == "reply", "text"]]
    return rows


def dump(shared: Path, out: Path) -> str:
    """Write one JSON line per text (source, text, verdict) and return the digest of the file."""
    from moderation import check

    with out.open("w", encoding="utf-8") as fh:
        for source, text in texts(shared):
            line = json.dumps({"source": source, "text": text, "verdict": check(text).to_dict()},
                              ensure_ascii=False, sort_keys=True)
            fh.write(line + "\n")
    return hashlib.sha256(out.read_bytes()).hexdigest()


def compare(before: Path, after: Path) -> int:
    """Print the texts whose verdicts differ; return their count."""
    a = before.read_text(encoding="utf-8").splitlines()
    b = after.read_text(encoding="utf-8").splitlines()
    if len(a) != len(b):
        print(f"different text counts: {len(a)} vs {len(b)}")
        return max(len(a), len(b))
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    for x, y in diff:
        print("-", x, "\n+", y)
    print(f"{len(diff)} of {len(a)} verdicts differ; {sum(map(_decision_differs, diff))} in more than a score")
    return len(diff)


def _decision_differs(pair: tuple[str, str]) -> bool:
    """True when two verdict lines differ in anything but the findings' scores."""
    def strip(line: str) -> str:
        verdict = json.loads(line)["verdict"]
        for f in verdict["findings"]:
            f.pop("score")
        return json.dumps(verdict, sort_keys=True)
    return strip(pair[0]) != strip(pair[1])


def main() -> int:
    """Dump or compare."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, default=Path("../shared/benchdata"))
    p.add_argument("--out", type=Path)
    p.add_argument("--compare", type=Path, nargs=2)
    args = p.parse_args()
    if args.compare:
        return 1 if compare(*args.compare) else 0
    print(dump(args.data, args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

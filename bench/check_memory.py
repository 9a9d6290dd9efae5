"""Resident memory of each moderation check's warm-up, in-process, the way `repguard serve` loads them.

    python bench/check_memory.py [--json FILE]

Builds the web app (`create_app()`), then warms each check in the engine's order (`_get(name).warm()`) and
reads VmRSS from /proc after each step; then loads the spellers of the six other languages with a word list.
Runs twice in one temporary REPGUARD_HOME and reports the second run, so the cached spelling indexes are
loaded, not built (a server builds them once, on its first start). Linux only (reads /proc).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

OTHER_LANGS = ("es", "fr", "de", "pt", "it", "nl")


def rss_mb() -> float:
    """This process's resident memory in MB."""
    status = Path("/proc/self/status").read_text(encoding="utf-8")
    return round(int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1)) / 1024, 1)  # type: ignore[union-attr]


def measure() -> dict[str, Any]:
    """RSS after the app and after each check's warm-up, as deltas in MB."""
    report: dict[str, Any] = {"python": rss_mb()}
    last = report["python"]

    def step(label: str) -> None:
        nonlocal last
        now = rss_mb()
        report[label] = round(now - last, 1)
        last = now

    from web import create_app

    create_app()
    step("app")
    from moderation.checks import CHECKS
    from moderation.engine import _get

    for name in CHECKS:
        _get(name).warm()
        step(f"{name} warm")
    spelling = _get("spelling")
    for lang in OTHER_LANGS:
        spelling._speller(lang).warm()  # type: ignore[attr-defined]
    step("spellers of six more languages")
    report["total"] = last
    return report


def main(argv: list[str] | None = None) -> int:
    """Measure in a child process (twice: the first builds the caches) and print the second run."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--json", type=Path, default=None)
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        print(json.dumps(measure()))
        return 0
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "REPGUARD_HOME": home, "OMP_NUM_THREADS": "1"}
        for _ in range(2):
            out = subprocess.run([sys.executable, __file__, "--child"], env=env, check=True,
                                 capture_output=True, text=True).stdout
    report = json.loads(out.strip().splitlines()[-1])
    print(json.dumps(report, indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

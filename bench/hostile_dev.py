"""Hostility figures on dev data only, for tuning: never reads the late2-late6 sets or the test halves.

Usage: python bench/hostile_dev.py [--show] [--alarms] [--data ../shared/benchdata]

English rows of the dev half of replies_toxicity.tsv, all of replies_late_test.tsv (used as dev since
round 1), replies_hostile_dev5.tsv to replies_hostile_dev7.tsv (round-4 dev rows) and replies_hostile_dev8.tsv
(round 6; the shipped n-gram stack was fitted without it), replies_hostile_dev9.tsv (193 + 210: half of 800 replies
written at the end of round 7 by two writers who read nothing of the project; the other half, carved by hash,
was added to the training rows; the round-8 writers' briefs named styles seen among its misses, so it is dev
data, not an untrained measure), replies_hostile_dev10.tsv (round 9: 98 + 100 replies by a writer who read
nothing of the project, written with the held-out late9 set), replies_hostile_dev11.tsv (round 10: 95 + 100
replies by a writer who read nothing of the project, from the brief of the held-out late10 set),
replies_hostile_dev12.tsv (round 10: 93 + 99 by a third writer; its first reading, 71 hostile found and 14
look-alikes flagged, was taken before its rows were looked at), the probe of
ordinary sentences and the stock care sentences (benign only); `--alarms` adds the dev half of the real agent replies
(twcs + IBM) flagged by the toxicity or tone check; `--show` prints the dev misses.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pandas as pd
from splits import carve

from moderation import Policy, check

DATA = Path(__file__).resolve().parent / "data"
DEV_SETS = (("replies_toxicity.tsv", True), ("replies_late_test.tsv", False), ("replies_hostile_dev5.tsv", False),
            ("replies_hostile_dev6.tsv", False), ("replies_hostile_dev7.tsv", False),
            ("replies_hostile_dev8.tsv", False), ("replies_hostile_dev9.tsv", False),
            ("replies_hostile_dev10.tsv", False), ("replies_hostile_dev11.tsv", False),
            ("replies_hostile_dev12.tsv", False),
            ("replies_hostile_probe_dev.tsv", False),
            ("replies_stock_dev.tsv", False))


def flagged(text: str) -> bool:
    """True when the toxicity or tone check warns or blocks an English reply."""
    return check(text, policy=Policy(checks=["toxicity", "tone"], languages=["en"])).action != "pass"


def dev_rows(show: bool) -> dict[str, dict[str, str]]:
    """Hostile and benign rows flagged, per dev set, as 'flagged/n'."""
    out = {}
    for name, carved in DEV_SETS:
        res: dict[str, list[bool]] = {"hostile": [], "benign": []}
        for kind, lang, text in csv.reader((DATA / name).open(encoding="utf-8"), delimiter="\t"):
            if lang != "en" or kind not in res or (carved and carve(text) != "dev"):
                continue
            res[kind].append(flagged(text))
            if show and res[kind][-1] != (kind == "hostile"):
                print("MISS", name, kind, text)
        out[name] = {k: f"{sum(v)}/{len(v)}" for k, v in res.items()}
    return out


def alarms(data: Path, show: bool) -> str:
    """Real agent replies (dev half) with a toxicity or tone flag, as 'flagged/n'."""
    hits = []
    for name in ("twcs_agent_replies", "ibm_custcare_agent_replies"):
        for text in pd.read_csv(data / name / "dev.csv", keep_default_na=False).text:
            if carve(text) == "dev":
                hits.append(flagged(text))
                if show and hits[-1]:
                    print("ALARM", text)
    return f"{sum(hits)}/{len(hits)}"


def main() -> None:
    """Print the dev figures as one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--alarms", action="store_true")
    parser.add_argument("--data", type=Path, default=Path("../shared/benchdata"))
    args = parser.parse_args()
    out: dict[str, object] = dict(dev_rows(args.show))
    if args.alarms:
        out["alarms_dev"] = alarms(args.data, args.show)
    print(json.dumps(out))


if __name__ == "__main__":
    main()

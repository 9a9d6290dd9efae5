"""Train the address/name sequence tagger (moderation/data/pii_tagger.json.gz).

Usage: python scripts/train_pii_tagger.py [--data ../shared/benchdata] [--fills 8]
Needs `python-crfsuite` (train time only). Training data, all licence-clean:
* the DEV carve (bench/splits.py, by template) of presidio-research's synthetic sentences (MIT): every dev
  template as written, plus each template re-filled `--fills` times with values drawn from dev sentences;
* the DEV carve of the IBM customer-care agent replies (Apache-2.0), as text with no address or name;
* the DEV carve of the look-alike rows in bench/data/replies_pii.tsv (written for this project);
* replies with addresses in many countries' formats and look-alikes, generated from word lists and templates
  written for this project (scripts/pii_tagger_replies.py).
The test carves are never read.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pycrfsuite

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from splits import carve  # noqa: E402

from moderation.langid import common_words  # noqa: E402
from moderation.pii_tagger import MODEL, featurize, tokens  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
from pii_tagger_replies import written_examples  # noqa: E402

TAGS = {"STREET_ADDRESS": "ADDR", "PERSON": "PER"}
SLOT = re.compile(r"\{\{(\w+)\}\}")


def _labelled(text: str, spans: list[tuple[int, int, str]]) -> tuple[list[list[str]], list[str]]:
    """Features and BIO labels for one text with gold (start, end, entity) spans."""
    toks = tokens(text)
    labels, prev = [], None
    for s, e, _ in toks:
        hit = next((g for g in spans if g[2] in TAGS and g[0] <= s and e <= g[1]), None)
        labels.append("O" if hit is None else ("I-" if hit == prev else "B-") + TAGS[hit[2]])
        prev = hit
    return featurize(text, toks, common_words("en")), labels


def _fill(masked: str, values: list[tuple[str, str]]) -> tuple[str, list[tuple[int, int, str]]]:
    """Put the values into the template's slots, returning the text and the gold spans."""
    out, spans, pos = [], [], 0
    it = iter(values)
    for m in SLOT.finditer(masked):
        out.append(masked[pos:m.start()])
        ent, val = next(it)
        start = sum(map(len, out))
        out.append(val)
        spans.append((start, start + len(val), ent))
        pos = m.end()
    out.append(masked[pos:])
    return "".join(out), spans


def dev_rows(data: Path, fold: int | None = None) -> list[dict]:
    """Dev-carve synthetic rows; with `fold`, only the templates outside that fifth (for validation)."""
    return [r for r in json.loads((data / "pii_presidio_synth" / "dev.json").read_text())
            if carve(str(r["template_id"])) == "dev" and (fold is None or _fold(r) != fold)]


def _fold(row: dict) -> int:
    """One of five folds of the dev templates."""
    return int(hashlib.sha256(f"fold{row['template_id']}".encode()).hexdigest(), 16) % 5


def synth_sequences(rows: list[dict], fills: int, rng: random.Random) -> list[tuple[list[list[str]], list[str]]]:
    """Synthetic sentences, as written and re-filled with other values of the same rows."""
    pool: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        for s in r["spans"]:
            pool[s["entity_type"]].append(s["entity_value"])
    seqs = []
    for r in rows:
        gold = sorted(r["spans"], key=lambda s: s["start_position"])
        slots = SLOT.findall(r["masked"])
        if [s["entity_type"] for s in gold] != slots:
            continue  # overlapping or reordered spans: the template cannot be re-filled safely
        seqs.append(_labelled(r["full_text"], [(s["start_position"], s["end_position"], s["entity_type"])
                                               for s in gold]))
        for _ in range(fills):
            text, spans = _fill(r["masked"], [(ent, rng.choice(pool[ent])) for ent in slots])
            seqs.append(_labelled(text, spans))
    return seqs


def negative_sequences(data: Path, rng: random.Random, n: int = 1500) -> list[tuple[list[list[str]], list[str]]]:
    """Dev-carve agent replies and look-alikes: text with no address or full name."""
    texts = [t for t in pd.read_csv(data / "ibm_custcare_agent_replies" / "dev.csv", keep_default_na=False).text
             if carve(t) == "dev"]
    texts = rng.sample(texts, min(n, len(texts)))
    rows = csv.reader((ROOT / "bench" / "data" / "replies_pii.tsv").open(encoding="utf-8"), delimiter="\t")
    texts += [t for kind, _, t in rows if kind == "lookalike" and carve(t) == "dev"]
    return [_labelled(t, []) for t in texts]


def main() -> None:
    """Train and write the weights as gzipped JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/benchdata"))
    parser.add_argument("--fills", type=int, default=8)
    parser.add_argument("--c1", type=float, default=1.0)
    parser.add_argument("--written", type=int, default=1500, help="written replies with an address (as many without)")
    parser.add_argument("--out", type=Path, default=MODEL)
    parser.add_argument("--fold", type=int, default=None, help="leave this fifth of dev templates out")
    args = parser.parse_args()
    rng = random.Random(20261130)
    trainer = pycrfsuite.Trainer(verbose=False)
    seqs = synth_sequences(dev_rows(args.data, args.fold), args.fills, rng) + negative_sequences(args.data, rng)
    seqs += [_labelled(text, spans) for text, spans in written_examples(args.written, rng)]
    for feats, labels in seqs:
        trainer.append(feats, labels)
    trainer.set_params({"c1": args.c1, "c2": 0.01, "max_iterations": 150})
    tmp = Path("/tmp/pii_tagger.crfsuite")
    trainer.train(str(tmp))
    tagger = pycrfsuite.Tagger()
    tagger.open(str(tmp))
    info = tagger.info()
    state: dict[str, dict[str, float]] = defaultdict(dict)
    for (feat, label), w in info.state_features.items():
        state[feat][label] = round(w, 4)
    trans: dict[str, dict[str, float]] = defaultdict(dict)
    for (a, b), w in info.transitions.items():
        trans[a][b] = round(w, 4)
    model = {"labels": sorted(info.labels.keys()), "state": state, "trans": trans}
    with gzip.open(args.out, "wt", encoding="utf-8") as fh:
        json.dump(model, fh, separators=(",", ":"), sort_keys=True)
    print(f"{len(seqs)} sequences, {len(state)} features kept -> {args.out}")


if __name__ == "__main__":
    main()

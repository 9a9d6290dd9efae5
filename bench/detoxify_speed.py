"""score() speed against the Detoxify BERT-base code path, one thread on one core, CPU time per text.

    pip install -e '.[detoxify]'
    python bench/detoxify_speed.py --data-dir ../shared/benchdata [--texts 300] [--json out.json]

Detoxify's `original` model is a BERT-base (12 layers, 768 wide) classifier. Its weights cannot be
downloaded here, so the benchmark builds a checkpoint of the same architecture with random weights (speed
does not depend on the values) in Detoxify's own checkpoint format, with a local BERT config and the
shipped uncased WordPiece tokenizer (the same 30,522-word vocabulary), and times `repguard`'s `detoxify`
backend, which calls `detoxify.Detoxify.predict`. Both backends score the same held-out OLID tweets one at a
time (what the live editor and the monitor do) and in batches of 32; then the non-English path (the
multilingual encoder) on the project's hand-written mentions in the ten languages, one at a time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

os.environ["REPGUARD_TEXTMODEL_THREADS"] = "1"
os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from moderation.detox import DetoxifyScorer, load_detoxify
from moderation.splits import is_heldout
from moderation.textmodel import DATA_DIR, OnnxScorer

CLASSES = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"]
BERT_BASE = {"architectures": ["BertForSequenceClassification"], "model_type": "bert", "vocab_size": 30522,
             "hidden_size": 768, "num_hidden_layers": 12, "num_attention_heads": 12, "intermediate_size": 3072,
             "hidden_act": "gelu", "max_position_embeddings": 512, "type_vocab_size": 2,
             "num_labels": len(CLASSES), "problem_type": "multi_label_classification"}


def build_checkpoint(folder: Path) -> Path:
    """Write a BERT-base config, tokenizer and random-weight Detoxify checkpoint into folder."""
    import torch
    import transformers

    (folder / "config.json").write_text(json.dumps(BERT_BASE), encoding="utf-8")
    shutil.copy(DATA_DIR / "tokenizer.json", folder / "tokenizer.json")
    (folder / "tokenizer_config.json").write_text(json.dumps(
        {"tokenizer_class": "BertTokenizerFast", "do_lower_case": True, "model_max_length": 512}), encoding="utf-8")
    torch.manual_seed(0)
    config = transformers.BertConfig.from_pretrained(str(folder))
    model = transformers.BertForSequenceClassification(config)
    ckpt = folder / "bert_base_random.ckpt"
    torch.save({"state_dict": model.state_dict(),
                "config": {"dataset": {"args": {"classes": CLASSES}},
                           "arch": {"args": {"model_type": str(folder), "num_classes": len(CLASSES),
                                             "model_name": "BertForSequenceClassification",
                                             "tokenizer_name": "BertTokenizerFast"}}}}, ckpt)
    return ckpt


def cpu_ms_per_text(scorer: Any, texts: list[str], batch: int) -> float:
    """CPU milliseconds per text after one warm-up call."""
    scorer.score(texts[:batch])
    start = time.process_time()
    for i in range(0, len(texts), batch):
        scorer.score(texts[i:i + batch])
    return 1000 * (time.process_time() - start) / len(texts)


def multilingual_mentions() -> list[str]:
    """The mentions of the hand-written multilingual set (bench/data/multilingual), English left out."""
    folder = Path(__file__).resolve().parent / "data" / "multilingual"
    frames = [pd.read_csv(f, keep_default_na=False) for f in sorted(folder.glob("*.csv")) if f.stem != "en"]
    return [str(t) for df in frames for t in df.loc[df["kind"] == "mention", "text"]]


def main(argv: list[str] | None = None) -> int:
    """Time both backends and print (and optionally write) the ratio."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--texts", type=int, default=300)
    p.add_argument("--json", type=Path, default=None)
    args = p.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    df = pd.read_csv(args.data_dir / "tweeteval_offensive" / "dev.csv", keep_default_na=False)
    texts = [str(t) for t in df["text"] if is_heldout(str(t))][:args.texts]
    report: dict[str, Any] = {"texts": len(texts), "mean_chars": round(sum(map(len, texts)) / len(texts), 1)}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ckpt = build_checkpoint(folder)
        detox = DetoxifyScorer(load_detoxify(str(ckpt), "original", str(folder)))
        for batch in (1, 32):
            ours = cpu_ms_per_text(OnnxScorer(), texts, batch)
            theirs = cpu_ms_per_text(detox, texts, batch)
            report[f"batch={batch}"] = {"onnx_ms": round(ours, 2), "detoxify_ms": round(theirs, 2),
                                        "speedup": round(theirs / ours, 1)}
            print(json.dumps({f"batch={batch}": report[f"batch={batch}"]}), flush=True)
        foreign = multilingual_mentions()
        ours, theirs = cpu_ms_per_text(OnnxScorer(), foreign, 1), cpu_ms_per_text(detox, foreign, 1)
        report["ten languages, batch=1"] = {"texts": len(foreign), "onnx_ms": round(ours, 2),
                                            "detoxify_ms": round(theirs, 2), "speedup": round(theirs / ours, 1)}
        print(json.dumps({"ten languages, batch=1": report["ten languages, batch=1"]}), flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

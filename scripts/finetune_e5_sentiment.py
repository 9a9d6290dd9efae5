"""Experiment: fine-tune the top layers of multilingual-e5-small for mention sentiment (measured, not shipped).

The shipped multilingual sentiment heads are logistic regressions over frozen e5 vectors. A probe trained on
the dev mentions themselves still calls 17-18 % of their praise negative, so round 12 asked whether the
encoder can learn better features from the heads' own training rows. This rebuilds e5 in torch from the
packaged 4-bit weights (dequantised to float32; pooled vectors cosine >= 0.9998 to moderation.embed), runs
the lower layers once, fine-tunes the top `--top` layers and a 3-way linear head on the cached training texts
of `scripts/train_multilingual.py encode` (same samples, same weights per language and class), and scores the
dev mentions of dev7, dev11 and dev12 (never trained on) next to the shipped e5 sentiment head on frozen
vectors, with the negative logit shifted by a bias, to show the trade-off between praise called negative and
negative recall. Needs torch (training only); the test sets are never read.

    python scripts/train_multilingual.py encode --only <the sentiment sets>
    python scripts/finetune_e5_sentiment.py [--top 6] [--epochs 2] [--json bench/e5_finetune_round12.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
import train_multilingual as tm  # noqa: E402

SENT = ("negative", "neutral", "positive")
DEV = ("multilingual_dev7", "multilingual_dev11", "multilingual_dev12")
BIASES = (0.0, -0.5, -1.0, -1.5, -2.0, -3.0)


def encoder() -> Any:
    """e5-small as a torch module (embedding LayerNorm, post-LN BERT layers), from the packed weights."""
    import torch
    from torch import nn

    from moderation.e5onnx import E5Onnx, dequantise_rows, model_file, read_packed

    packed = read_packed(model_file())
    dims, hidden = packed.dims, packed.dims["hidden"]

    def tensor(name: str) -> Any:
        return torch.tensor(np.asarray(packed.tensors[name], dtype=np.float32))

    def linear(prefix: str, rows: int, cols: int) -> Any:
        layer = nn.Linear(cols, rows)
        layer.weight.data = torch.tensor(dequantise_rows(np.asarray(packed.tensors[prefix + ".w"]), cols))
        layer.bias.data = tensor(prefix + ".b")
        return layer

    def norm(prefix: str) -> Any:
        layer = nn.LayerNorm(hidden, eps=packed.eps)
        layer.weight.data, layer.bias.data = tensor(prefix + ".w"), tensor(prefix + ".b")
        return layer

    model = nn.Module()
    model.emb_ln = norm("emb.ln")
    model.layers = nn.ModuleList()
    for i in range(dims["layers"]):
        layer = nn.Module()
        for part in ("q", "k", "v", "ao"):
            setattr(layer, part, linear(f"l{i}.{part}", hidden, hidden))
        layer.aln, layer.oln = norm(f"l{i}.aln"), norm(f"l{i}.oln")
        layer.fi, layer.fo = linear(f"l{i}.fi", dims["ffn"], hidden), linear(f"l{i}.fo", hidden, dims["ffn"])
        model.layers.append(layer)
    model.heads, model.hidden, model.onnx = dims["heads"], hidden, E5Onnx()
    return model


def inputs(model: Any, texts: list[str], max_len: int = 64) -> tuple[Any, Any]:
    """Padded embedding inputs (before the embedding LayerNorm) and the padding mask, first window only."""
    import torch

    windows = [model.onnx.windows(t)[0][:max_len] for t in texts]
    width = max(len(w) for w in windows)
    x = np.zeros((len(windows), width, model.hidden), np.float32)
    mask = np.zeros((len(windows), width), np.float32)
    for i, window in enumerate(windows):
        x[i, :len(window)], mask[i, :len(window)] = model.onnx._embed_inputs(window), 1
    return torch.tensor(x), torch.tensor(mask)


def run(model: Any, x: Any, mask: Any, start: int = 0, stop: int | None = None) -> Any:
    """Hidden states after layers start..stop (the embedding LayerNorm first when start is 0)."""
    import torch.nn.functional as F

    if start == 0:
        x = model.emb_ln(x)
    for layer in model.layers[start:stop]:
        b, t, h = x.shape
        q, k, v = (getattr(layer, p)(x).view(b, t, model.heads, h // model.heads).transpose(1, 2) for p in "qkv")
        att = F.scaled_dot_product_attention(q, k, v, attn_mask=mask[:, None, None, :] > 0)
        x = layer.aln(x + layer.ao(att.transpose(1, 2).reshape(b, t, h)))
        x = layer.oln(x + layer.fo(F.gelu(layer.fi(x))))
    return x


def pool(x: Any, mask: Any) -> Any:
    """Mean over real tokens, unit length: what the heads read."""
    import torch.nn.functional as F

    return F.normalize((x * mask[..., None]).sum(1) / mask.sum(1, keepdim=True), dim=-1)


def training_rows() -> tuple[list[str], np.ndarray, np.ndarray]:
    """Texts, class indices and sample weights of the cached sentiment training samples."""
    names = [n for n, spec in tm.DATASETS.items() if spec[2] == "sentiment"]
    texts: list[str] = []
    parts: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name in names:
        cached = np.load(tm.CACHE / f"{name}.train.npz", allow_pickle=True)  # our own cache
        texts += [str(t) for t in cached["text"]]
        parts[name] = (cached["x"], cached["y"].astype(str))
    labels = np.concatenate([y for _, y in parts.values()])
    return texts, np.asarray([SENT.index(lab) for lab in labels]), tm.weights(parts, SENT)


def lower_layers(model: Any, texts: list[str], cut: int) -> list[tuple[Any, Any, np.ndarray]]:
    """Hidden states after the layers below `cut`, run once, in length-sorted batches of 32 (and their rows)."""
    import torch

    order = np.argsort([len(t) for t in texts])
    lower = []
    with torch.no_grad():
        for rows in (order[i:i + 32] for i in range(0, len(order), 32)):
            x, mask = inputs(model, [texts[i] for i in rows])
            lower.append((run(model, x, mask, 0, cut), mask, rows))
    return lower


def fine_tune(model: Any, top: int, epochs: int) -> Any:
    """Train the top layers and a linear head (lower layers run once, in length-sorted batches of 32)."""
    import torch
    import torch.nn.functional as F

    texts, y, w = training_rows()
    cut, start = len(model.layers) - top, time.time()
    lower = lower_layers(model, texts, cut)
    head = torch.nn.Linear(model.hidden, 3)
    for p in model.parameters():
        p.requires_grad_(False)
    tuned = [p for layer in model.layers[cut:] for p in layer.parameters()]
    for p in tuned:
        p.requires_grad_(True)
    opt = torch.optim.AdamW([{"params": tuned, "lr": 3e-5}, {"params": head.parameters(), "lr": 2e-3}],
                            weight_decay=0.01)
    weight, target, rng = torch.tensor(w, dtype=torch.float32), torch.tensor(y), np.random.default_rng(0)
    for epoch in range(epochs):
        for k in rng.permutation(len(lower)):
            hidden, mask, rows = lower[k]
            logits = head(F.dropout(pool(run(model, hidden, mask, cut), mask), 0.1) * 10)
            loss = (F.cross_entropy(logits, target[rows], reduction="none") * weight[rows]).sum() / weight[rows].sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: {time.time() - start:.0f} s", flush=True)
    return head


def curve(logp: np.ndarray, gold: np.ndarray) -> dict[str, list[float]]:
    """Praise called negative and negative recall (%) with the negative log-probability shifted by each bias."""
    out: dict[str, list[float]] = {}
    for bias in BIASES:
        pred = (logp + np.asarray([bias, 0.0, 0.0])).argmax(1)
        out[str(bias)] = [round(100 * float(np.mean(pred[gold == 2] == 0)), 1),
                          round(100 * float(np.mean(pred[gold == 0] == 0)), 1)]
    return out


def predict(model: Any, head: Any, texts: list[str]) -> np.ndarray:
    """Log-probabilities of the fine-tuned encoder and head, batches of 32."""
    import torch
    import torch.nn.functional as F

    out = []
    with torch.no_grad():
        for i in range(0, len(texts), 32):
            x, mask = inputs(model, texts[i:i + 32])
            out.append(F.log_softmax(head(pool(run(model, x, mask), mask) * 10), -1).numpy())
    return np.concatenate(out)


def dev_rows(name: str) -> tuple[list[str], np.ndarray]:
    """Texts and class indices of one dev set's mentions."""
    rows = [(r["label"], r["text"]) for f in sorted((ROOT / "bench" / "data" / name).glob("*.csv"))
            for r in csv.DictReader(f.open(encoding="utf-8")) if r["kind"] == "mention" and r["label"] in SENT]
    return [t for _, t in rows], np.asarray([SENT.index(lab) for lab, _ in rows])


def main() -> None:
    import torch

    from moderation.scores import get_scorer

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--top", type=int, default=6)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    torch.manual_seed(0)
    model = encoder()
    head = fine_tune(model, args.top, args.epochs)
    frozen = get_scorer(None).multi.heads["e5"]
    report: dict[str, Any] = {"top": args.top, "epochs": args.epochs, "columns": "praise->negative %, neg recall %"}
    for name in DEV:
        texts, gold = dev_rows(name)
        tuned = predict(model, head, texts)
        report[name] = {"frozen_head": curve(np.log(frozen.predict(texts)[0]), gold), "fine_tuned": curve(tuned, gold)}
        print(name, json.dumps(report[name]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

"""Train the sentiment adapter of multilingual-e5-small: low-rank updates of its top layers plus a 3-way head.

The frozen e5 vectors reach a limit on brand mentions (a probe trained on the dev mentions themselves still
calls 17-18 % of their praise negative; round 12). Round 12 fine-tuned the top six layers in full and gained on
every dev set, but full weights would not survive the 4-bit format the package runs (a fine-tuning step is far
smaller than one 4-bit step) and would add 20 MB. So the top `--top` layers learn low-rank updates (LoRA:
W x + B A x, rank `--rank`) over the exact dequantised 4-bit weights the ONNX graph runs, plus their biases and
LayerNorms; the update is shipped as `moderation/data/e5_sentiment_adapter.npz` (float16, ~2 MB) and
`moderation.e5graph` builds it into a second graph over the base graph's hidden states. Training rows are the
cached training samples of `scripts/train_multilingual.py encode` (same samples, same weights per language and
class as the frozen heads); dev7, dev11 and dev12 mentions (never trained on) are scored next to the frozen
head. Needs torch for training only; the test sets are never read.

    python scripts/train_multilingual.py encode --only <the sentiment sets>
    python scripts/train_e5_adapter.py [--top 6] [--rank 16] [--epochs 2] [--write] [--json F]
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
import finetune_e5_sentiment as ft  # noqa: E402

from moderation.e5graph import ADAPTER_FILE  # noqa: E402
from moderation.multilingual import MULTI_FILE  # noqa: E402


def add_adapters(model: Any, top: int, rank: int) -> list[Any]:
    """Give each linear layer of the top layers a LoRA update; return the trainable parameters."""
    import torch
    from torch import nn

    class Lora(nn.Module):
        def __init__(self, base: Any) -> None:
            super().__init__()
            self.base = base
            self.a = nn.Parameter(torch.randn(rank, base.in_features) / base.in_features ** 0.5)
            self.b = nn.Parameter(torch.zeros(base.out_features, rank))

        def forward(self, x: Any) -> Any:
            return self.base(x) + (x @ self.a.T) @ self.b.T

    for p in model.parameters():
        p.requires_grad_(False)
    params: list[Any] = []
    for layer in model.layers[len(model.layers) - top:]:
        for name in ("q", "k", "v", "ao", "fi", "fo"):
            wrapped = Lora(getattr(layer, name))
            setattr(layer, name, wrapped)
            wrapped.base.bias.requires_grad_(True)
            params += [wrapped.a, wrapped.b, wrapped.base.bias]
        for norm in (layer.aln, layer.oln):
            norm.weight.requires_grad_(True)
            norm.bias.requires_grad_(True)
            params += [norm.weight, norm.bias]
    return params


def with_extra(rows: tuple[list[str], np.ndarray, np.ndarray], folder: Path | None,
               share: float) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Append the mentions of `folder`/<lang>.csv; each language's extra rows weigh `share` of one language."""
    texts, y, w = rows
    if folder is None:
        return texts, y, w
    per_language = float(w.sum()) / len({spec[3] for spec in ft.tm.DATASETS.values() if spec[2] == "sentiment"})
    extra_texts: list[str] = []
    extra_y: list[int] = []
    extra_w: list[float] = []
    for path in sorted(folder.glob("*.csv")):
        found = [(r["text"], ft.SENT.index(r["label"])) for r in csv.DictReader(path.open(encoding="utf-8"))
                 if r["kind"] == "mention" and r["label"] in ft.SENT]
        extra_texts += [t for t, _ in found]
        extra_y += [lab for _, lab in found]
        extra_w += [share * per_language / len(found)] * len(found)
    print(f"{len(extra_texts)} extra rows from {folder}", flush=True)
    return texts + extra_texts, np.concatenate([y, extra_y]), np.concatenate([w, extra_w])


def train(model: Any, top: int, rank: int, epochs: int, lr: float, extra: Path | None = None,
          share: float = 0.25) -> Any:
    """Train the adapters and a linear head (lower layers run once, in length-sorted batches of 32)."""
    import torch
    import torch.nn.functional as F

    texts, y, w = with_extra(ft.training_rows(), extra, share)
    cut, start = len(model.layers) - top, time.time()
    lower = ft.lower_layers(model, texts, cut)
    print(f"{len(texts)} rows, lower layers {time.time() - start:.0f} s", flush=True)
    params = add_adapters(model, top, rank)
    head = torch.nn.Linear(model.hidden, 3)
    opt = torch.optim.AdamW([{"params": params, "lr": lr}, {"params": head.parameters(), "lr": 2e-3}],
                            weight_decay=0.01)
    weight, target, rng = torch.tensor(w, dtype=torch.float32), torch.tensor(y), np.random.default_rng(0)
    steps = epochs * len(lower)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 50) * max(0.0, 1 - s / steps))
    for epoch in range(epochs):
        for k in rng.permutation(len(lower)):
            hidden, mask, rows = lower[k]
            logits = head(F.dropout(ft.pool(ft.run(model, hidden, mask, cut), mask), 0.1) * 10)
            loss = (F.cross_entropy(logits, target[rows], reduction="none") * weight[rows]).sum() / weight[rows].sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        print(f"epoch {epoch}: {time.time() - start:.0f} s", flush=True)
    return head


def export(model: Any, head: Any, top: int, rank: int, path: Path) -> None:
    """Write the adapter: per tuned layer `down` (A) and `up` (B) of each linear, biases, LayerNorms; the head."""
    arrays: dict[str, np.ndarray] = {"top": np.asarray(top), "rank": np.asarray(rank)}
    cut = len(model.layers) - top
    for i, layer in enumerate(model.layers[cut:], start=cut):
        q, k, v = layer.q, layer.k, layer.v
        # fused q|k|v: `down` stacks the three A, `up` is block-diagonal, so (x down^T) up^T = [q | k | v]
        arrays[f"l{i}.qkv.down"] = np.concatenate([m.a.detach().numpy() for m in (q, k, v)])
        up = np.zeros((3 * model.hidden, 3 * rank), np.float32)
        for j, m in enumerate((q, k, v)):
            up[j * model.hidden:(j + 1) * model.hidden, j * rank:(j + 1) * rank] = m.b.detach().numpy()
        arrays[f"l{i}.qkv.up"] = up
        for name in ("ao", "fi", "fo"):
            m = getattr(layer, name)
            arrays[f"l{i}.{name}.down"], arrays[f"l{i}.{name}.up"] = m.a.detach().numpy(), m.b.detach().numpy()
        # biases and LayerNorms under the model file's own names: the graph builder reads them instead
        for name in ("q", "k", "v", "ao", "fi", "fo"):
            arrays[f"l{i}.{name}.b"] = getattr(layer, name).base.bias.detach().numpy()
        for name in ("aln", "oln"):
            norm = getattr(layer, name)
            arrays[f"l{i}.{name}.w"] = norm.weight.detach().numpy()
            arrays[f"l{i}.{name}.b"] = norm.bias.detach().numpy()
    # the head reads the unit-length pooled vector times 10 (training scale), folded into its weights
    arrays["head.w"] = head.weight.detach().numpy() * 10
    arrays["head.b"] = head.bias.detach().numpy()
    out = {k: (v.astype(np.float16) if v.dtype == np.float32 and v.ndim == 2 and not k.startswith("head")
               else v.astype(np.float32) if v.dtype.kind == "f" else v) for k, v in arrays.items()}
    np.savez_compressed(path, **out)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")


def main() -> None:
    import torch

    from moderation.scores import get_scorer

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--top", type=int, default=6)
    ap.add_argument("--rank", type=int, default=16)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--extra", type=Path, help="a folder of <lang>.csv training mentions to add")
    ap.add_argument("--extra-share", type=float, default=0.25, help="their weight per language, in languages")
    ap.add_argument("--write", action="store_true", help=f"write moderation/data/{ADAPTER_FILE}")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    torch.manual_seed(0)
    model = ft.encoder()
    head = train(model, args.top, args.rank, args.epochs, args.lr, args.extra, args.extra_share)
    model.eval()
    frozen = get_scorer(None).multi.heads["e5"]
    shipped = "shipped_adapter" if frozen.adapter_head() is not None else "frozen_head"  # what answers today
    report: dict[str, Any] = {"top": args.top, "rank": args.rank, "epochs": args.epochs, "lr": args.lr,
                              "columns": "praise->negative %, neg recall %"}
    for name in ft.DEV:
        texts, gold = ft.dev_rows(name)
        report[name] = {shipped: ft.curve(np.log(frozen.predict(texts)[0]), gold),
                        "adapter": ft.curve(ft.predict(model, head, texts), gold)}
        print(name, json.dumps(report[name]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    if args.write:
        export(model, head, args.top, args.rank, ROOT / "moderation" / "data" / ADAPTER_FILE)
        spec_path = ROOT / "moderation" / "data" / MULTI_FILE
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        names = [n for n, s in ft.tm.DATASETS.items() if s[2] == "sentiment"]
        spec["heads"]["e5"]["sentiment_adapter"] = {
            "file": ADAPTER_FILE, "top": args.top, "rank": args.rank, "epochs": args.epochs, "lr": args.lr,
            "trained_on": names + ([str(args.extra.resolve().relative_to(ROOT))] if args.extra else []),
            "extra_share": args.extra_share if args.extra else None,
            "dev_head_alone": {k: v for k, v in report.items() if k in ft.DEV}}
        spec_path.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

"""Experiment: fine-tune the MiniLM encoder end to end on the hostility training replies.

The shipped hostility head is a linear model over the frozen sentence vector, which blurs wording ("try to keep
up" sits next to "glad to keep you updated"). This fine-tunes the whole encoder (embeddings frozen, as in
train_textmodels.py) on the same training rows as scripts/train_hostile.py and scores, after each epoch, the
dev rows, the ordinary-sentence probe and the real agent replies (dev half) the operating point is placed on.
It never reads the late2-late5 sets or the test halves.

    python scripts/finetune_hostility.py pack --data ../shared/benchdata --out PACK     (tokenizers, safetensors)
    python scripts/finetune_hostility.py train --pack PACK --out DIR [--device cuda]  (torch, transformers)
    python scripts/finetune_hostility.py report --pack PACK --scores DIR/scores.npz

`report` places the operating point so that no real reply is flagged (per-reply maximum over its chunks and
sentences) and prints dev hostile recall, dev look-alikes and the probe at that point, per epoch.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import kfold_heads as kf  # noqa: E402
import train_textmodels as recipe  # noqa: E402

GROUPS = ("train", "dev", "probe", "real")
SEED = 20261130


def rows_to_pack(data: Path) -> tuple[list[str], list[int], list[int], list[int]]:
    """Texts, labels, group index and owner (the real reply a chunk or sentence belongs to; else -1)."""
    from train_hostile import ROOT, alarm_units, dev_sets, scored, training_set

    texts, y, _ = training_set(data, 4000, 2500, SEED)
    out = (list(texts), [int(v) for v in y], [0] * len(texts), [-1] * len(texts))
    for rows in dev_sets().values():
        for t, label in rows:
            _add(out, scored(t), label, 1, -1)
    probe = ROOT / "bench" / "data" / "replies_hostile_probe_dev.tsv"
    for kind, _lang, t in csv.reader(probe.open(encoding="utf-8"), delimiter="\t"):
        _add(out, scored(t), int(kind == "hostile"), 2, -1)
    units, owners = alarm_units(data, sentences=True)
    for part, owner in zip(units, owners, strict=True):
        _add(out, part, 0, 3, int(owner))
    return out


def _add(out: tuple[list[str], list[int], list[int], list[int]], text: str, label: int, group: int,
         owner: int) -> None:
    """Append one row to the four parallel lists."""
    for column, value in zip(out, (text, label, group, owner), strict=True):
        column.append(value)  # type: ignore[attr-defined]


def pack(data: Path, out: Path) -> None:
    """Tokenise every row, shrink the base weights, write the pack."""
    texts, labels, groups, owners = rows_to_pack(data)
    ids, used = kf.tokenise(texts)
    kf.write_base(used, out)
    np.savez_compressed(out / "items.npz", **kf.flat_ids(ids, used), label=np.asarray(labels, dtype=np.int8),
                        group=np.asarray(groups, dtype=np.int8), owner=np.asarray(owners, dtype=np.int32),
                        used=used.astype(np.int32))
    print(f"packed {len(texts)} rows ({[groups.count(g) for g in range(4)]} per group), {len(used)} tokens")


def train(pack_dir: Path, out: Path, device_name: str, epochs: int, lr: float, limit: int = 0) -> None:
    """Fine-tune encoder + a two-class head; score the non-training rows after each epoch."""
    import torch
    from torch import nn

    recipe.seed_everything(SEED)
    items = dict(np.load(pack_dir / "items.npz"))
    ends = np.cumsum(items["lengths"])
    rows = [items["ids"][e - n:e].tolist() for e, n in zip(ends, items["lengths"], strict=True)]
    device = torch.device(device_name)
    encode = kf.id_encoder(device)
    encoder = kf.load_base(pack_dir)
    model = nn.ModuleDict({"encoder": encoder, "head": nn.Linear(384, 2)}).to(device)
    for param in encoder.embeddings.parameters():
        param.requires_grad = False
    train_idx = np.flatnonzero(items["group"] == 0)
    score_idx = np.flatnonzero(items["group"] != 0)
    if limit:  # a smoke run
        train_idx = np.sort(np.random.default_rng(0).permutation(train_idx)[:limit])
        score_idx = score_idx[:limit]
    labels = items["label"][train_idx]
    weight = torch.tensor(len(labels) / (2 * np.bincount(labels, minlength=2)), dtype=torch.float32, device=device)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    steps = epochs * ((len(train_idx) + 31) // 32)
    sched = torch.optim.lr_scheduler.LambdaLR(  # the recipe's warm-up and linear decay
        opt, lambda s: min((s + 1) / (0.06 * steps), 1.0) * max(0.0, 1 - s / steps))
    rng = np.random.default_rng(SEED)
    scores = {}
    for epoch in range(epochs):
        model.train()
        t0 = time.time()
        order = rng.permutation(len(train_idx))
        for start in range(0, len(order), 32):
            pick = train_idx[order[start:start + 32]]
            enc = encode([rows[i] for i in pick])
            logits = model["head"](_pooled(encoder, enc))
            loss = nn.functional.cross_entropy(logits, torch.as_tensor(items["label"][pick], dtype=torch.long,
                                                                       device=device), weight=weight)
            loss.backward()
            nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
        scores[f"epoch{epoch + 1}"] = _logits(model, encode, [rows[i] for i in score_idx])
        print(f"epoch {epoch + 1}: loss {loss.item():.3f}, {time.time() - t0:.0f}s", flush=True)
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "scores.npz", index=score_idx, **scores)
    state = {k: v.detach().to(torch.float16).cpu().numpy() for k, v in model.state_dict().items()
             if "word_embeddings" not in k and v.dtype.is_floating_point}
    from safetensors.numpy import save_file

    names = sorted(state)
    half = len(names) // 2
    save_file({k: state[k] for k in names[:half]}, str(out / "weights_a.safetensors"))
    save_file({k: state[k] for k in names[half:]}, str(out / "weights_b.safetensors"))


def _logits(model: Any, encode: Any, rows: list[list[int]]) -> np.ndarray:
    """The hostile-vs-benign logit of each row, in batches, in evaluation mode."""
    import torch

    model.eval()
    parts = []
    with torch.no_grad():
        for start in range(0, len(rows), 256):
            logp = torch.log_softmax(model["head"](_pooled(model["encoder"], encode(rows[start:start + 256]))), -1)
            parts.append((logp[:, 1] - logp[:, 0]).float().cpu().numpy())
    return np.concatenate(parts)


def _pooled(encoder: Any, enc: dict[str, Any]) -> Any:
    """Mean of the last hidden states over real tokens."""
    import torch

    hidden = encoder(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"],
                     token_type_ids=torch.zeros_like(enc["input_ids"])).last_hidden_state
    mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)


def report(pack_dir: Path, scores_path: Path) -> None:
    """Dev figures at the operating point that flags no real dev reply."""
    items = np.load(pack_dir / "items.npz")
    stored = np.load(scores_path)
    index = stored["index"]
    group, label, owner = items["group"][index], items["label"][index], items["owner"][index]
    for key in [k for k in stored.files if k.startswith("epoch")]:
        z = stored[key]
        per_reply = np.full(int(owner.max()) + 1, -np.inf)
        np.maximum.at(per_reply, owner[group == 3], z[group == 3])
        for allowed in (0, 1, 2):
            point = np.sort(per_reply)[::-1][allowed] + 1e-6
            flag = z > point
            dev = group == 1
            print(f"{key}, {allowed} real replies let through: dev hostile {flag[dev & (label == 1)].sum()}/"
                  f"{(dev & (label == 1)).sum()}, look-alikes {flag[dev & (label == 0)].sum()}/"
                  f"{(dev & (label == 0)).sum()}, probe {flag[group == 2].sum()}/{(group == 2).sum()}")


def main(argv: list[str] | None = None) -> int:
    """pack | train | report."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="step", required=True)
    a = sub.add_parser("pack")
    a.add_argument("--data", type=Path, required=True)
    a.add_argument("--out", type=Path, required=True)
    b = sub.add_parser("train")
    b.add_argument("--pack", type=Path, required=True)
    b.add_argument("--out", type=Path, required=True)
    b.add_argument("--device", default="cpu")
    b.add_argument("--epochs", type=int, default=3)
    b.add_argument("--lr", type=float, default=5e-5)
    b.add_argument("--limit", type=int, default=0, help="train and score this many rows only (smoke runs)")
    c = sub.add_parser("report")
    c.add_argument("--pack", type=Path, required=True)
    c.add_argument("--scores", type=Path, required=True)
    args = p.parse_args(argv)
    if args.step == "pack":
        pack(args.data, args.out)
    elif args.step == "train":
        train(args.pack, args.out, args.device, args.epochs, args.lr, args.limit)
    else:
        report(args.pack, args.scores)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

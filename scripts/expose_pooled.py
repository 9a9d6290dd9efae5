"""Add the mean-pooled sentence vector to the shipped ONNX model's outputs, leaving its heads untouched.

Usage: python scripts/expose_pooled.py [--model moderation/data/textmodel.int8.onnx] [--check-only]

The graph already computes the pooled vector (node output `/Div_output_0`) before its heads; exposing it
as an extra output named `pooled` lets the hostility head reuse the forward pass the toxicity check runs
anyway. The edited model is written in place only if every head output is bit-identical to the original
on a sample of texts scored in the same batches.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

POOLED_NODE = "/Div_output_0"
POOLED_NAME = "pooled"
SAMPLE = [
    "Thanks for reaching out, we're on it!", "You're an idiot, read the email.",
    "Our gay and lesbian customers asked for this.", "kill the process and restart the app",
    "Maybe try reading the FAQ before wasting our time.", "Sorry about the delay, the parcel left on Monday.",
    "DM us your order number and we'll check.", "People like you are why we have policies.",
    "That's a damn good question!", "We can't refund opened software, but we can offer store credit.",
    "what a joke", "ok", "The battery died after the update; the fix is rolling out tonight, sorry for the trouble.",
    "Feel free to shop elsewhere.", "Hi Sam, the refund is on its way. ^JS", "Nobody cares.",
]


def add_pooled_output(model: object) -> object:
    """Return a copy of the ONNX model with an Identity of the pooled vector as output `pooled`."""
    import onnx

    assert isinstance(model, onnx.ModelProto)
    edited = onnx.ModelProto()
    edited.CopyFrom(model)
    if POOLED_NAME in {o.name for o in edited.graph.output}:
        return edited
    edited.graph.node.append(onnx.helper.make_node("Identity", [POOLED_NODE], [POOLED_NAME], name="pooled_out"))
    hidden = onnx.helper.make_tensor_value_info(POOLED_NAME, onnx.TensorProto.FLOAT, ["batch", 384])
    edited.graph.output.append(hidden)
    onnx.checker.check_model(edited)
    return edited


def _run_all(model_bytes: bytes, batches: list[list[str]]) -> list[dict[str, np.ndarray]]:
    """Run a model (serialised) on each batch with the production session settings and tokenizer."""
    import onnxruntime as ort

    from moderation.textmodel import DATA_DIR, _tokenizer

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(model_bytes, sess_options=opts, providers=["CPUExecutionProvider"])
    tok = _tokenizer(DATA_DIR / "tokenizer.json", 128)
    names = [o.name for o in session.get_outputs()]
    out = []
    for batch in batches:
        enc = [e.ids for e in tok.encode_batch(batch)]
        ids = np.zeros((len(enc), max(map(len, enc))), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, tokens in enumerate(enc):
            ids[row, :len(tokens)] = tokens
            mask[row, :len(tokens)] = 1
        out.append(dict(zip(names, session.run(None, {"input_ids": ids, "attention_mask": mask}), strict=True)))
    return out


def heads_identical(original: bytes, edited: bytes) -> bool:
    """True when every head of the edited model equals the original's bit for bit on the sample."""
    batches = [[t] for t in SAMPLE] + [SAMPLE[:8], SAMPLE[8:]]
    before, after = _run_all(original, batches), _run_all(edited, batches)
    same = all(np.array_equal(b[h], a[h]) for b, a in zip(before, after, strict=True) for h in b)
    print(f"heads bit-identical on {len(batches)} batches: {same}; pooled shape {after[0][POOLED_NAME].shape}")
    return same


def main() -> None:
    """Edit the model, verify the heads, write it back."""
    import onnx

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "moderation" / "data" / "textmodel.int8.onnx")
    parser.add_argument("--original", type=Path, default=None, help="compare against this model instead")
    parser.add_argument("--check-only", action="store_true")
    args = parser.parse_args()
    model = onnx.load(str(args.model))
    original = onnx.load(str(args.original)) if args.original else model
    stripped = onnx.ModelProto()
    stripped.CopyFrom(original)
    keep = [o for o in stripped.graph.output if o.name != POOLED_NAME]
    del stripped.graph.output[:]
    stripped.graph.output.extend(keep)
    edited = add_pooled_output(model)
    assert isinstance(edited, onnx.ModelProto)
    if not heads_identical(stripped.SerializeToString(), edited.SerializeToString()):
        raise SystemExit("heads changed; model not written")
    if not args.check_only:
        onnx.save(edited, str(args.model))
        print(f"wrote {args.model}")


if __name__ == "__main__":
    main()

"""Int8 ONNX models that give the same numbers on every CPU.

The shipped graphs multiply uint8 activations by int8 weights (`MatMulInteger`). On x86 CPUs without VNNI
(AVX2 and plain AVX-512) ONNX Runtime does that with `vpmaddubsw`, which saturates pairs of products at
16 bits: the same text then scores up to 0.05 differently than on a VNNI CPU, and every head and threshold
was fitted on exact products. Shifting the weights to uint8 (w + 128, zero point + 128) is the same
arithmetic, and ONNX Runtime's uint8 x uint8 kernels never saturate, so the shifted graph is exact
everywhere; it is ~25 % slower on AVX2, so it is only used where the signed graph is inexact, and it is
built once into the cache folder.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)
TOLERANCE = 1e-4  # exact and saturated products differ by 1e-2 or more; float kernels by about 1e-6


def unsigned_weights(model: Any) -> int:
    """Rewrite every int8 weight of a `MatMulInteger` (and its zero point) as uint8 in place; return how many."""
    import onnx
    from onnx import numpy_helper

    inits = {i.name: i for i in model.graph.initializer}
    changed = 0
    for node in model.graph.node:
        if node.op_type != "MatMulInteger":
            continue
        names = [node.input[1]] + ([node.input[3]] if len(node.input) > 3 and node.input[3] else [])
        for name in names:
            tensor = inits.get(name)
            if tensor is not None and tensor.data_type == onnx.TensorProto.INT8:
                shifted = numpy_helper.to_array(tensor).astype(np.int16) + 128
                tensor.CopyFrom(numpy_helper.from_array(shifted.astype(np.uint8), name))
                changed += name == node.input[1]
    return changed


def session_options(threads: int) -> Any:
    """ONNX Runtime CPU options: `threads` intra-op threads, one inter-op thread, all graph optimisations."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return opts


def signed_products_exact() -> bool | None:
    """Whether this CPU multiplies int8 exactly: True with VNNI, False on other x86 CPUs, None when unknown."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            flags = next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), [])
    except OSError:
        return None
    if any(flag in flags for flag in ("avx512_vnni", "avx_vnni", "amx_int8")):
        return True
    return False if "avx2" in flags or "sse4_1" in flags else None


def unsigned_copy(path: Path) -> Path | bytes:
    """The graph with unsigned weights: a file built once into the cache folder, or bytes if it can't be written."""
    import onnx

    from moderation.deleteindex import cache_dir

    stat = path.stat()
    target = cache_dir() / f"{path.stem}-u8-{stat.st_size}-{int(stat.st_mtime)}.onnx"
    if target.is_file():
        return target
    model = onnx.load(str(path))
    unsigned_weights(model)
    data = model.SerializeToString()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.name}.{os.getpid()}.part")
        partial.write_bytes(data)
        os.replace(partial, target)  # atomic: a concurrent process sees the whole file or none
    except OSError as exc:
        log.info("could not cache the exact graph (%s); building it in memory each start", exc)
        return data
    return target


def open_exact(path: Path, threads: int, probe: Callable[[Any], bool] | None = None,
               edit: Callable[[Any], None] | None = None) -> Any:
    """Open an int8 graph, shifted to unsigned weights unless the signed one is exact on this CPU.

    `probe(session)` runs a reference input and says whether the outputs match the exact ones; `edit` changes
    the graph in memory first (e.g. adds an output), and such a graph is always shifted. Without a probe the
    graph is always shifted too.
    """
    import onnxruntime as ort

    opts, providers = session_options(threads), ["CPUExecutionProvider"]
    if edit is not None:
        import onnx

        model = onnx.load(str(path))
        edit(model)
        unsigned_weights(model)
        return ort.InferenceSession(model.SerializeToString(), sess_options=opts, providers=providers)
    # On x86 without VNNI the signed graph is known to saturate: skip building it just to probe it.
    if probe is not None and signed_products_exact() is not False:
        signed = ort.InferenceSession(str(path), sess_options=opts, providers=providers)
        if probe(signed):
            return signed
    shifted = unsigned_copy(path)
    session = ort.InferenceSession(shifted if isinstance(shifted, bytes) else str(shifted), sess_options=opts,
                                   providers=providers)
    if probe is not None and not probe(session):
        log.warning("%s: scores on this CPU differ from the reference even with exact int8 products", path.name)
    return session

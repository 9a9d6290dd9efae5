"""py3langid's bundled model, read from a decompressed, memory-mapped copy in the cache folder.

The wheel ships the model LZMA-compressed (4.6 MB): decompressing it costs about half a CPU-second in every
process that identifies a language (a cold `repguard check`, each worker, each web server). The first process
writes a plain copy (68 MB) to the cache folder; later ones map it in about 0.01 s. The two big tables (the
feature weights and the tokenizer's state machine) are memory-mapped, not read: a text touches only the pages
of its own byte sequences, and every worker on the machine shares one copy of them instead of holding 68 MB each.
Any trouble with the copy (read-only home, a truncated or foreign file) falls back to py3langid's own loader.
"""

from __future__ import annotations

import lzma
import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from moderation.deleteindex import cache_dir

_KEYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def bundled_model() -> Path:
    """Path of the LZMA-compressed model inside the py3langid package."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    return Path(MODEL_DIR) / MODEL_FILE


def cached_copy(source: Path) -> Path:
    """Where the decompressed copy of `source` lives (named by its size and time, so an upgrade gets a new one)."""
    stat = source.stat()
    return cache_dir() / f"langid-{stat.st_size}-{int(stat.st_mtime)}.d"


_MAPPED = ("ptc", "nextmove", "out_feat")  # the big tables, one .npy each so they can be mapped
_SMALL = "small.npz"


def _decompress(source: Path, target: Path) -> None:
    """Write the plain tables in a folder next to the final name, then move it in place (all or nothing)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f"{target.name}.", suffix=".part", dir=target.parent))
    try:
        plain = partial / "model.npz"
        with lzma.open(source) as src, open(plain, "wb") as out:
            shutil.copyfileobj(src, out, length=1 << 20)
        with np.load(plain, allow_pickle=False) as data:
            if set(_KEYS) - set(data.files):
                raise ValueError(f"{source}: not a py3langid model")
            for key in _MAPPED:
                np.save(partial / f"{key}.npy", data[key], allow_pickle=False)
            np.savez(partial / _SMALL, **{k: data[k] for k in _KEYS if k not in _MAPPED})
        plain.unlink()
        os.replace(partial, target)
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def _read(path: Path) -> Any:
    """A LanguageIdentifier over the mapped tables (no pickles allowed)."""
    from py3langid.langid import LanguageIdentifier

    mapped = {k: np.load(path / f"{k}.npy", mmap_mode="r", allow_pickle=False) for k in _MAPPED}
    with np.load(path / _SMALL, allow_pickle=False) as small:
        pc, classes, row = np.asarray(small["pc"]), small["classes"].tolist(), small["nextmove_row"]
    if mapped["nextmove"].dtype != np.uint32 or mapped["out_feat"].dtype != np.int32 or mapped["ptc"].ndim != 2:
        raise ValueError(f"{path}: not a py3langid model")
    # memoryviews index to plain ints as fast as the stdlib arrays py3langid's tokenizer walks
    return LanguageIdentifier(mapped["ptc"], pc, classes, memoryview(mapped["nextmove"]),
                              memoryview(mapped["out_feat"]), norm_probs=True, tk_row=row.tolist())


def load_identifier() -> Any:
    """py3langid's LanguageIdentifier (normalised probabilities), from the cached plain copy when possible."""
    from py3langid.langid import LanguageIdentifier

    source = bundled_model()
    target = cached_copy(source)
    try:
        if not target.is_dir():
            _decompress(source, target)
        return _read(target)
    except (OSError, ValueError, KeyError, EOFError, lzma.LZMAError, zipfile.BadZipFile):
        shutil.rmtree(target, ignore_errors=True)  # a damaged copy is written again by the next process
        return LanguageIdentifier.from_modelpath(source, norm_probs=True)

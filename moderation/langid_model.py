"""py3langid's bundled model, read from a decompressed copy in the cache folder.

The wheel ships the model LZMA-compressed (4.6 MB): decompressing it costs about half a CPU-second in every
process that identifies a language (a cold `repguard check`, each worker, each web server). The first process
writes the plain file (68 MB) to the cache folder; later ones read it in about 0.1 s. Any trouble with the
copy (read-only home, a truncated or foreign file) falls back to py3langid's own loader.
"""

from __future__ import annotations

import lzma
import os
import shutil
import zipfile
from array import array
from pathlib import Path
from typing import Any

import numpy as np

from moderation.deleteindex import cache_dir

_TYPECODES = {2: "H", 4: "I", 8: "L"}
_KEYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def bundled_model() -> Path:
    """Path of the LZMA-compressed model inside the py3langid package."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    return Path(MODEL_DIR) / MODEL_FILE


def cached_copy(source: Path) -> Path:
    """Where the decompressed copy of `source` lives (named by its size and time, so an upgrade gets a new one)."""
    stat = source.stat()
    return cache_dir() / f"langid-{stat.st_size}-{int(stat.st_mtime)}.npz"


def _decompress(source: Path, target: Path) -> None:
    """Write the plain npz next to its final name, then move it in place (a concurrent reader sees all or none)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    with lzma.open(source) as src, open(partial, "wb") as out:
        shutil.copyfileobj(src, out, length=1 << 20)
    os.replace(partial, target)


def _as_array(values: np.ndarray) -> array[int]:
    """An unsigned numpy array as the stdlib array py3langid's tokenizer walks."""
    out = array(_TYPECODES[values.dtype.itemsize])
    out.frombytes(np.ascontiguousarray(values).tobytes())
    return out


def _read(path: Path) -> Any:
    """A LanguageIdentifier built from the plain npz (no pickles allowed)."""
    from py3langid.langid import LanguageIdentifier

    # our own file handle: np.load leaves its handle open when the file is not a zip
    with open(path, "rb") as handle, np.load(handle, allow_pickle=False) as data:
        if set(_KEYS) - set(data.files):
            raise ValueError(f"{path}: not a py3langid model")
        return LanguageIdentifier(np.asarray(data["ptc"]), np.asarray(data["pc"]), data["classes"].tolist(),
                                  _as_array(data["nextmove"]), data["out_feat"].tolist(), norm_probs=True,
                                  tk_row=_as_array(data["nextmove_row"]))


def load_identifier() -> Any:
    """py3langid's LanguageIdentifier (normalised probabilities), from the cached plain copy when possible."""
    from py3langid.langid import LanguageIdentifier

    source = bundled_model()
    target = cached_copy(source)
    try:
        if not target.is_file():
            _decompress(source, target)
        return _read(target)
    except (OSError, ValueError, KeyError, EOFError, lzma.LZMAError, zipfile.BadZipFile):
        try:  # a damaged copy is written again by the next process
            target.unlink(missing_ok=True)
        except OSError:
            pass
        return LanguageIdentifier.from_modelpath(source, norm_probs=True)

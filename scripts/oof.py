"""Read `kfold_heads.py`'s out-of-fold head outputs for the stacker fitters (numpy only)."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def oof_probs(path: Path, task: str, texts: list[str], heads: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Each head's out-of-fold probabilities for texts of one training task, in the texts' order."""
    stored = np.load(path)
    rows = np.flatnonzero(stored["task"] == list(stored["tasks"]).index(task))  # tasks: the index's names
    where = {str(t): int(i) for t, i in zip(stored["text"][rows], rows, strict=True)}
    missing = [t for t in texts if t not in where]
    if missing:
        raise SystemExit(f"{path}: {len(missing)} {task} texts have no out-of-fold output, e.g. {missing[0]!r}; "
                         "was it packed from the same data?")
    index = np.asarray([where[t] for t in texts])
    return {h: stored[h][index] for h in heads}

"""Out-of-fold head outputs are matched to the fitters' texts by text and task, or refused."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from scripts.oof import oof_probs


def _store(path: Path) -> None:
    """Three rows as kfold_heads.py writes them: the same tweet under two tasks, one other tweet."""
    np.savez_compressed(path, text=np.asarray(["you are great", "you are great", "meh"]),
                        task=np.asarray([0, 1, 1], dtype=np.int8),
                        tasks=np.asarray(["sentiment", "offensive", "hate", "davidson"]),
                        fold=np.asarray([2, 2, 4], dtype=np.int8),
                        sentiment=np.asarray([[0.1, 0.2, 0.7], [0.3, 0.3, 0.4], [0.5, 0.4, 0.1]]),
                        offensive=np.asarray([[0.9, 0.1], [0.8, 0.2], [0.6, 0.4]]),
                        hate=np.zeros((3, 2)), davidson=np.zeros((3, 3)))


def test_rows_follow_the_callers_order_and_task(tmp_path: Path) -> None:
    _store(tmp_path / "oof.npz")
    got = oof_probs(tmp_path / "oof.npz", "offensive", ["meh", "you are great"], ("offensive",))
    assert got["offensive"].tolist() == [[0.6, 0.4], [0.8, 0.2]]
    sentiment = oof_probs(tmp_path / "oof.npz", "sentiment", ["you are great"], ("sentiment",))
    assert sentiment["sentiment"].tolist() == [[0.1, 0.2, 0.7]]


def test_a_text_without_an_output_is_refused_by_name(tmp_path: Path) -> None:
    _store(tmp_path / "oof.npz")
    with pytest.raises(SystemExit, match="'meh'"):
        oof_probs(tmp_path / "oof.npz", "sentiment", ["meh"], ("sentiment",))

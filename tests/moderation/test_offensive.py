"""The offensive stacker: n-gram features, the JSON spec, and its use by the ONNX backend."""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from moderation.offensive import FEATURES, OFFENSIVE_FILE, OffensiveStacker, cues, ngrams
from moderation.textmodel import DATA_DIR, OnnxScorer


def _probs(offensive: float) -> dict[str, np.ndarray]:
    """Head outputs of one text with the given offensive probability."""
    return {"offensive": np.asarray([[1 - offensive, offensive]]), "hate": np.asarray([[0.9, 0.1]]),
            "davidson": np.asarray([[0.1, 0.3, 0.6]])}


def _spec(**ngram_coef: float) -> dict[str, Any]:
    """A stacker that reads only the n-gram margin (weight 1, no scaling)."""
    n = len(FEATURES)
    coef = [0.0] * n
    coef[FEATURES.index("ngram_margin")] = 1.0
    return {"features": list(FEATURES), "mean": [0.0] * n, "scale": [1.0] * n, "coef": coef, "intercept": 0.0,
            "ngram": {"intercept": 0.0, "coef": ngram_coef}}


def test_ngram_groups_have_unit_length() -> None:
    feats = ngrams("You absolute muppet")
    words = [v for f, v in feats.items() if f[:2] in ("w:", "b:")]
    chars = [v for f, v in feats.items() if f.startswith("c:")]
    assert math.isclose(sum(v * v for v in words), 1.0) and math.isclose(sum(v * v for v in chars), 1.0)
    assert "w:muppet" in feats and "b:absolute muppet" in feats and "c: mu" in feats and "c:et " in feats


def test_cues_read_insults_caps_and_address() -> None:
    assert cues("you IDIOT!!")[0] > 0.8 and cues("you IDIOT!!")[4] == 1.0
    assert cues("Lovely weather today") == [0.0, 0.0, 1 / 18, 0.0, 0.0]


def test_ngram_weights_move_the_probability() -> None:
    stacker = OffensiveStacker(_spec(**{"w:muppet": 4.0, "w:thanks": -4.0}))
    high = stacker.apply(_probs(0.5), ["what a muppet"])[0]
    low = stacker.apply(_probs(0.5), ["thanks a lot"])[0]
    assert high > 0.6 > 0.4 > low


def test_blank_text_keeps_the_head_and_bad_spec_fails(tmp_path: Path) -> None:
    stacker = OffensiveStacker(_spec(**{"w:muppet": 4.0}))
    assert stacker.apply(_probs(0.3), ["   "])[0] == pytest.approx(0.3)
    assert OffensiveStacker.load(tmp_path / OFFENSIVE_FILE) is None
    with pytest.raises(ValueError):
        OffensiveStacker({**_spec(), "features": ["x"]})


def _artefact_with(tmp_path: Path, spec: dict[str, Any]) -> Path:
    """A copy (by links) of the shipped artefact folder plus an offensive stacker file."""
    for f in DATA_DIR.iterdir():
        (tmp_path / f.name).symlink_to(f)
    with gzip.open(tmp_path / OFFENSIVE_FILE, "wt", encoding="utf-8") as fh:
        json.dump(spec, fh)
    return tmp_path


def test_backend_applies_the_stacker_only_when_its_file_is_there(tmp_path: Path) -> None:
    assert not (DATA_DIR / OFFENSIVE_FILE).exists()  # measured, not shipped (docs/textmodels.md)
    texts = ["what a muppet", "thanks for the quick fix"]
    raw = OnnxScorer().score(texts)
    assert OnnxScorer().offensive is None
    stacked = OnnxScorer(_artefact_with(tmp_path, _spec(**{"w:muppet": 6.0, "w:thanks": -6.0}))).score(texts)
    assert stacked[0].toxicity.score > 0.8 and stacked[1].toxicity.score < 0.2
    assert stacked[0].toxicity.labels["offensive"] == stacked[0].toxicity.score
    assert stacked[0].toxicity.labels["identity_attack"] == raw[0].toxicity.labels["identity_attack"]
    assert [r.sentiment.label for r in stacked] == [r.sentiment.label for r in raw]

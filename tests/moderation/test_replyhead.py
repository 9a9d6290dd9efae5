"""The multilingual reply-insult head: loading, the two operating points, and its place in the reply check.

Every reply here was written for these tests (not taken from a bench or training set).
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

import moderation.checks.native as native
from moderation import check
from moderation.hostility import features
from moderation.replyhead import ReplyHead, reply_head, reply_insult

BELITTLING = [  # no insult word: the multilingual toxicity heads alone let each of them through
    "Franchement, si vous aviez lu le mode d'emploi comme un adulte, on n'en serait pas là.",
    "Kalau nggak ngerti cara pakai aplikasi, mending minta tolong cucu aja deh, Pak.",
]


def _toxicity(text: str) -> list[tuple[str, str]]:
    return [(f.label, f.severity) for f in check(text).findings if f.check == "toxicity"]


def test_a_tiny_head_loads_and_predicts_the_logistic_unit(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    spec = {"mean": rng.normal(size=4).tolist(), "scale": (rng.random(4) + 0.5).tolist(),
            "coef": rng.normal(size=4).tolist(), "intercept": -0.3, "threshold": 0.9, "veto_below": 0.05,
            "languages": ["fr", "vi"]}
    path = tmp_path / "head.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    head = ReplyHead.load(path)
    x = rng.normal(size=(3, 4)).astype(np.float32)
    z = ((features(x) - np.asarray(spec["mean"])) / np.asarray(spec["scale"])) @ np.asarray(spec["coef"]) - 0.3
    assert np.allclose(head.predict(x), 1 / (1 + np.exp(-z)), atol=1e-5)
    assert head.languages == frozenset({"fr", "vi"}) and head.veto_below < head.threshold


def test_the_shipped_head_covers_the_ten_languages_and_not_english() -> None:
    head = reply_head()
    assert head is not None
    assert {"ar", "bg", "de", "es", "fr", "id", "pt", "th", "ur", "vi"} <= head.languages
    assert reply_insult("You could have read the manual like an adult.", "en") is None


@pytest.mark.parametrize("text", BELITTLING)
def test_belittling_without_an_insult_word_is_flagged(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert ("insult", "warn") in _toxicity(text)
    monkeypatch.setattr(native, "reply_insult", lambda *args: None)
    assert _toxicity(text) == []  # the heads alone miss it


def test_a_plainly_benign_reply_vetoes_the_heads_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Mày đúng là quái vật, chạy 42 km luôn 😂🔥 Quà của bạn ở quầy lễ tân nhé!"  # warm gym slang
    assert ("insult", "warn") in _toxicity(text)  # the heads read "quái vật" (monster) as an insult
    sure_benign = SimpleNamespace(veto_below=0.2, threshold=0.9)
    monkeypatch.setattr(native, "reply_insult", lambda *args: (0.1, sure_benign))
    assert _toxicity(text) == []
    unsure = SimpleNamespace(veto_below=0.05, threshold=0.9)
    monkeypatch.setattr(native, "reply_insult", lambda *args: (0.1, unsure))
    assert ("insult", "warn") in _toxicity(text)  # over the veto point the heads' finding stays

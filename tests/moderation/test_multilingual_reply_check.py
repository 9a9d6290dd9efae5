"""Non-English reply check: the heads of the reply's own language judge it, chunk by chunk."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

import moderation.checks.toxicity as toxicity
from moderation.checks import CheckContext
from moderation.engine import _get
from moderation.policy import Policy


class FakeHeads:
    """Heads that find a text toxic when it contains "ZZZ", and record the languages they were asked about."""

    languages = frozenset({"es", "en"})

    def __init__(self) -> None:
        self.asked: list[str] = []

    def predict(self, texts: Sequence[str], languages: Sequence[str],
                adapted: bool = True) -> tuple[np.ndarray, np.ndarray]:
        self.asked += list(languages)
        tox = np.asarray([0.9 if "ZZZ" in t else 0.1 for t in texts], dtype=np.float32)
        return np.full((len(texts), 3), 1 / 3, dtype=np.float32), tox


@pytest.fixture
def heads(monkeypatch: pytest.MonkeyPatch) -> FakeHeads:
    fake = FakeHeads()
    monkeypatch.setattr(toxicity, "native_heads", lambda lang, scorer: fake if lang == "es" else None)
    return fake


def _analyze(text: str, langs: list[str]) -> list[Any]:
    ctx = CheckContext(policy=Policy(languages=langs))
    return [f for f in _get("toxicity").analyze(text, ctx) if f.severity != "info"]


def test_toxic_sentence_is_found_in_the_reply_language(heads: FakeHeads) -> None:
    text = "Hola, gracias por escribirnos. Revisamos tu pedido hoy mismo. Eres un ZZZ, de verdad."
    found = _analyze(text, ["es", "en"])
    assert [(f.text, f.severity, f.label) for f in found] == [("Eres un ZZZ, de verdad.", "block", "insult")]
    assert set(heads.asked) == {"es"}  # never re-identified sentence by sentence


def test_clean_reply_passes_and_one_chunk_is_one_call(heads: FakeHeads) -> None:
    assert _analyze("Hola, gracias por escribirnos. Revisamos tu pedido hoy mismo.", ["es", "en"]) == []
    assert heads.asked == ["es"]  # two short sentences, judged together


def test_other_languages_keep_the_scorer_path(heads: FakeHeads) -> None:
    assert _analyze("Thank you for your patience, we are on it.", ["en"]) == []
    assert heads.asked == []


def test_short_foreign_insult_is_read_by_its_own_heads_under_an_english_policy() -> None:
    """identify() gives a short unsure draft the brand's language ('en'); the scorer must still read it as
    what it is, or an Indonesian insult passes an English-only brand's check."""
    from moderation import Policy, check

    for text in ("Tutup mulut, dasar payah.", "Minggat sana, badut."):
        verdict = check(text, policy=Policy(languages=["en"]))
        assert any(f.check == "toxicity" for f in verdict.findings), text

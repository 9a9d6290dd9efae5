"""Short replies whose language identify() cannot settle still meet their language's insult list."""

from __future__ import annotations

import pytest

from moderation import check
from moderation.langid import guesses


def _toxic(text: str) -> bool:
    """Whether the full reply check raises a toxicity finding."""
    return any(f.check == "toxicity" for f in check(text).findings)


@pytest.mark.parametrize("text", [
    "Hau ab, du Clown.",  # left unknown by identify(): German among the character model's first guesses
    "Deja de lloriquear, pringado.",  # read as Catalan first, Spanish second
    "Berhenti merengek, dasar pecundang.",  # identified as Malay: read with the Indonesian list
])
def test_short_foreign_insult_is_flagged_under_an_english_policy(text: str) -> None:
    assert _toxic(text)


# "Lol no" was here until round 7: a brand answering a customer with it is brushing them off, and the tone check
# now calls it curt, as it does "ok cool" (tests/moderation/test_hostility.py); what matters here is that no
# insult list or multilingual head reads a short English reply as a foreign insult.
@pytest.mark.parametrize("text", ["ok cool", "Yes, it's live now.", "Thanks, will do!", "Hola, te escribimos por DM."])
def test_short_benign_replies_pass(text: str) -> None:
    assert not _toxic(text)


def test_guesses_map_close_neighbours() -> None:
    assert "id" in guesses("Berhenti merengek, dasar pecundang.")
    assert "ms" not in guesses("Berhenti merengek, dasar pecundang.")


@pytest.mark.parametrize("text", [
    "Diam deh, dasar bloon.",  # ranked Javanese first by the character model: read with the Indonesian list
    "Udah sana, gblk.",
])
def test_indonesian_slang_ranked_as_javanese_is_flagged(text: str) -> None:
    assert _toxic(text)


def test_javanese_guess_maps_to_indonesian() -> None:
    assert "jv" not in guesses("Mulut lo kayak sampah.")


@pytest.mark.parametrize("text", ["Cierra el pico, mamarracho.", "Que te den, cenutrio."])
def test_spanish_slang_insults_are_flagged(text: str) -> None:
    assert _toxic(text)


@pytest.mark.parametrize("text", [
    "Perdona la demora, fue culpa nuestra y ya está corregido.",
    "Desculpa o atraso, a culpa foi nossa e o estorno já saiu.",
])
def test_apologies_admitting_fault_pass(text: str) -> None:
    assert not _toxic(text)

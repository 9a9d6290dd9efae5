"""Language identification: honest on short texts, falls back to the platform's lang and the brand's languages."""

from __future__ import annotations

import pytest

from moderation.langid import UNKNOWN, identify


@pytest.mark.parametrize("text", ["apeal", "perminant", "ok", "hello"])
def test_short_unclear_text_is_unknown_without_hints(text: str) -> None:
    assert identify(text).code == UNKNOWN


@pytest.mark.parametrize("text", ["apeal", "perminant", "terrible. just terrible."])
def test_short_text_falls_back_to_the_brand_language(text: str) -> None:
    assert identify(text, languages=["en"]).code == "en"


def test_platform_lang_comes_before_brand_languages() -> None:
    assert identify("merci", hint="fr", languages=["en"]).code == "fr"
    assert identify("ok", hint="de", languages=["en"]).code == "de"


@pytest.mark.parametrize(("text", "code"), [
    ("Thanks, we will look into it.", "en"),
    ("Je suis très déçue de votre service", "fr"),
    ("Vielen Dank für Ihre Geduld", "de"),
    ("Obrigado pela paciência", "pt"),
    ("tôi rất thất vọng", "vi"),
    ("Terima kasih atas kesabaran Anda", "id"),
    ("ไอ้โง่", "th"),
    ("تم نہیں سمجھتے", "ur"),
    ("أنت غبي", "ar"),
    ("Благодаря за търпението", "bg"),
])
def test_clear_text_keeps_its_language_even_against_the_hints(text: str, code: str) -> None:
    assert identify(text, hint="en", languages=["en"]).code == code


def test_handles_and_links_are_not_evidence() -> None:
    assert identify("@nora.bsky.social https://t.co/xyz #help", languages=["es"]).code == "es"


@pytest.mark.parametrize(("text", "hint", "code"), [
    ("Udah dua minggu refund belum cair juga, nggak masuk akal.", "id", "id"),  # py3langid: Malay
    ("Amei o celular novo, chegou antes do prazo 😍", "pt", "pt"),  # py3langid: Galician
])
def test_close_neighbour_follows_the_hint(text: str, hint: str, code: str) -> None:
    assert identify(text, languages=[hint, "en"]).code == code


def test_one_language_model_per_process() -> None:
    """The scorers share langid's one py3langid copy (each copy holds ~75 MB)."""
    from moderation.langid import identifier
    from moderation.lexicon import LexiconScorer
    from moderation.textmodel import LanguageModel

    assert LanguageModel()._langid is identifier() is LexiconScorer()._langid

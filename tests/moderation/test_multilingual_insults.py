"""Per-language insult lists: inflected, held-letter, unaccented and mistyped insults match; ordinary words do not."""

from __future__ import annotations

import pytest

from moderation.insults import INSULTS, fold, insult_spans


@pytest.mark.parametrize(("lang", "text", "insult"), [
    ("fr", "Personne ne t'a demandé ton avis, pauvre con.", "pauvre con"),  # two-word entry
    ("es", "Eres una idiota, léelo otra vez.", "idiota"),
    ("es", "Eres un inbécil.", "inbécil"),  # one typo from "imbécil"
    ("es", "Eres un imbecil.", "imbecil"),  # accent left out
    ("de", "Du Idiiiot.", "Idiiiot"),  # held-down letter
    ("de", "Ihr Idioten!", "Idioten"),  # inflection
    ("pt", "Cala a boca, otária.", "Cala a boca"),
    ("vi", "Cut di, do ngu.", "do ngu"),  # Vietnamese typed without diacritics
    ("ur", "تم جیسے جاہلوں کے لیے وقت نہیں۔", "جاہلوں"),  # Urdu plural ending
    ("ar", "يا الغبي اقرأ العقد.", "الغبي"),  # Arabic article
    ("bg", "Млъкни, тъпако.", "Млъкни"),
    ("th", "ไปไกลๆ ไอ้บ้าาา", "ไอ้บ้า"),  # Thai: no spaces, matched anywhere
])
def test_insult_variants_match(lang: str, text: str, insult: str) -> None:
    assert insult in [text[s:e] for s, e in insult_spans(text, lang)]


@pytest.mark.parametrize(("lang", "text"), [
    ("vi", "Chúc bạn ngủ ngon, hẹn gặp lại!"),  # "ngủ" (sleep) is not "ngu" once accents count
    ("fr", "Désolés pour ce retard, votre colis arrive demain."),
    ("de", "Wir versagen nie bei der Lieferung, versprochen."),  # "versagen" is a common word, not "Versager"
    ("es", "Gracias por tu paciencia, el técnico llega mañana."),
    ("pt", "Obrigado pelo contato, vamos verificar agora."),
    ("ar", "شكراً لتواصلك، سنتحقق من الأمر فوراً."),
    ("bg", "Благодарим за търпението, техникът идва утре."),
])
def test_ordinary_replies_do_not_match(lang: str, text: str) -> None:
    assert insult_spans(text, lang) == []


def test_every_language_has_a_list_and_unknown_has_none() -> None:
    assert {"th", "ur", "fr", "vi", "bg", "es", "de", "pt", "id", "ar"} <= set(INSULTS)
    assert insult_spans("You idiot", "xx") == []
    assert fold("Idiiiot") == "idiot" and fold("Đồ ngu", accents=False) == "do ngu"

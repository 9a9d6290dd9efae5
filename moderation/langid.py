"""Language identification that admits doubt: short or mixed texts fall back to hints, else "unknown"."""

from __future__ import annotations

import gzip
import re
import threading
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from typing import Any

from moderation.scores import Language

UNKNOWN = "unknown"
# Languages with a shipped word list: their common words are evidence even in a two-word reply.
WORDLIST_LANGS = ("en", "fr", "es", "de", "pt", "it", "nl")
COMMON_WORDS = 10000
# A reply this long (in letters) gives the character model enough to go on.
LONG_LETTERS = 40
SURE = 0.95
NOISE = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@\S+|[@#]\w+|\d+", re.UNICODE)
LATIN_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# Scripts that name their language outright (or nearly: Cyrillic and Arabic are split below).
SCRIPTS: tuple[tuple[str, str], ...] = (
    ("th", "\u0e00-\u0e7f"), ("ar", "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff"),
    ("bg", "\u0400-\u04ff"), ("el", "\u0370-\u03ff"), ("he", "\u0590-\u05ff"), ("hi", "\u0900-\u097f"),
    ("ko", "\uac00-\ud7af\u1100-\u11ff"), ("ja", "\u3040-\u30ff"), ("zh", "\u4e00-\u9fff"),
)
_SCRIPT_RX = {code: re.compile(f"[{ranges}]") for code, ranges in SCRIPTS}  # compiled once, not per text
# Close neighbours py3langid confuses on short posts: read as the hinted (brand's or platform's) language.
NEIGHBOURS = {"ms": "id", "id": "ms", "gl": "pt", "pt": "gl"}
URDU_LETTERS = re.compile("[ٹڈڑںےھۓہ۔]")
PERSIAN_ONLY = re.compile("[پچژگ]")
RUSSIAN_ONLY = re.compile("[ыэё]", re.IGNORECASE)
UKRAINIAN_ONLY = re.compile("[іїєґ]", re.IGNORECASE)

_lock = threading.Lock()
_model: list[Any] = []


def identifier() -> Any:
    """py3langid's bundled model, loaded once per process and shared (no network, ~0.1 s from the cached
    plain copy of `moderation.langid_model`, ~75 MB).

    Every user in the process (this module, the onnx and lexicon scorers) shares this one copy; its
    `classify` keeps no state between calls, so no lock is needed around it.
    """
    with _lock:
        if not _model:
            from moderation.langid_model import load_identifier

            _model.append(load_identifier())
        return _model[0]


@cache
def common_words(lang: str) -> frozenset[str]:
    """The most frequent words of a language with a shipped word list (empty for others)."""
    name = f"{lang}_unigrams.txt.gz" if lang == "en" else f"{lang}_words.txt.gz"
    path = resources.files("moderation.data").joinpath(name)
    if lang not in WORDLIST_LANGS or not path.is_file():
        return frozenset()
    words = []
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        for i, line in enumerate(lines):
            if i >= COMMON_WORDS:
                break
            words.append(line.rsplit(" ", 1)[0])
    return frozenset(words)


def _script_language(text: str, hints: Sequence[str]) -> str | None:
    """The language a non-Latin script gives away, or None for Latin (and mixed) text."""
    if text.isascii():  # every script below lies outside ASCII: most replies need no count
        return None
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    for code, pattern in _SCRIPT_RX.items():
        share = len(pattern.findall(text)) / len(letters)
        if share < 0.5:
            continue
        if code == "ar":
            if URDU_LETTERS.search(text):
                return "ur"
            return "fa" if PERSIAN_ONLY.search(text) and "fa" in hints else "ar"
        if code == "bg":
            return "ru" if RUSSIAN_ONLY.search(text) else "uk" if UKRAINIAN_ONLY.search(text) else "bg"
        return code
    return None


def _coverage(words: list[str]) -> dict[str, float]:
    """Share of the words that are common words of each word-list language."""
    if not words:
        return {}
    return {lang: sum(map(common_words(lang).__contains__, words)) / len(words) for lang in WORDLIST_LANGS}


def identify(text: str, *, hint: str | None = None, languages: Iterable[str] = ()) -> Language:
    """Identify a text's language; fall back to `hint` (the platform's `lang`) and `languages`.

    A long text the character model is sure about keeps its answer. A short or unclear one is decided
    by the common words it shares with the hinted languages, then by the hints themselves; with no
    evidence and no hint the answer is ``unknown`` rather than a confident wrong guess.
    """
    hints = [h.lower().split("-")[0] for h in (hint, *languages) if h and h.lower() != "und"]
    hints = list(dict.fromkeys(hints))
    clean = NOISE.sub(" ", text)
    by_script = _script_language(clean, hints)
    if by_script:
        return Language(by_script, 0.99)
    # "c'est" counts as "est": elided articles and pronouns are their own words in the word lists.
    words = [w.lower().replace("’", "'").rsplit("'", 1)[-1] for w in LATIN_WORD.findall(clean)]
    if not words:
        return Language(hints[0], 0.5) if hints else Language(UNKNOWN, 0.0)
    letters = sum(len(w) for w in words)
    cover = _coverage(words)
    best = max(cover, key=lambda k: cover[k]) if cover else UNKNOWN
    if letters < LONG_LETTERS and hints and cover.get(hints[0], 0.0) >= max(0.5, cover.get(best, 0.0)):
        return Language(hints[0], cover[hints[0]])  # settled by common words: no need for the model
    code, prob = identifier().classify(clean)
    code, prob = str(code), float(prob)
    if code not in hints and NEIGHBOURS.get(code) in hints:
        code = NEIGHBOURS[code]  # Indonesian taken for Malay, Portuguese for Galician
    if letters >= LONG_LETTERS and prob >= SURE:
        return Language(code, prob)
    for lang in hints:  # a hinted language with common-word support wins
        if cover.get(lang, 0.0) >= max(0.5, cover.get(best, 0.0)) or (lang == code and prob >= 0.5):
            return Language(lang, max(cover.get(lang, 0.0), prob if lang == code else 0.0))
    tied = [lang for lang, share in cover.items() if share == cover.get(best, 0.0)]
    if cover.get(best, 0.0) >= 0.5 and (len(tied) == 1 or code in tied):
        return Language(best if len(tied) == 1 else code, cover[best])
    if prob >= 0.9 and code not in WORDLIST_LANGS:
        return Language(code, prob)  # distinctive spelling ("đồ ngốc"): short, yet unmistakable
    # A language without a word list ("Terima kasih atas …") needs the character model's word alone.
    if prob >= 0.5 and letters >= 12 and (code not in WORDLIST_LANGS or cover.get(code, 0.0) > 0):
        return Language(code, prob)
    if hints:
        return Language(hints[0], 0.5)
    return Language(UNKNOWN, 0.0)


# Close neighbours the character model often names for a short text in one of the target languages.
GUESS_AS = {"ms": "id", "gl": "pt", "ca": "es", "ext": "es", "an": "es", "oc": "fr", "lb": "de",
            # Indonesian slang borrows Javanese, Sundanese and Betawi words, so short replies rank those first
            "jv": "id", "su": "id", "ace": "id", "min": "id", "bjn": "id", "bew": "id"}


def guesses(text: str, top: int = 5) -> list[str]:
    """The character model's `top` ranked languages for a text identify() left unknown, neighbours mapped.

    Only for safety nets that are precise on their own (insult lists): a short reply ("Hau ab, du Clown.")
    has too little evidence for one answer, yet its language is usually among the first few.
    """
    ranked = identifier().rank(NOISE.sub(" ", text))[:top]
    return list(dict.fromkeys(GUESS_AS.get(str(code), str(code)) for code, _ in ranked))


def identify_batch(texts: Sequence[str], *, hint: str | None = None,
                   languages: Iterable[str] = ()) -> list[Language]:
    """Identify several texts with the same hints."""
    langs = list(languages)
    return [identify(t, hint=hint, languages=langs) for t in texts]

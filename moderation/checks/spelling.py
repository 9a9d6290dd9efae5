"""Spelling check: flag unknown words in prose, correct confident typos, skip what is not prose."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator

from moderation.checks.base import Check, CheckContext
from moderation.findings import Finding
from moderation.langid import UNKNOWN, identify
from moderation.speller import Speller
from moderation.text_spans import overlaps, protected_spans

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# Languages with a shipped word list; others get an info finding and no spell check.
OTHER_LANGS = ("es", "fr", "de", "pt", "it", "nl")
# At this share of known English words a reply is English whatever the detector says.
ENGLISH_SURE = 0.9
ELISIONS = frozenset("l d j qu n s c m t jusqu lorsqu puisqu quoiqu dell all nell sull dall un".split())
SENTENCE_END = re.compile(r"[.!?:\n]\s*$")
LEADING_HANDLES = re.compile(r"(?:\s*@\w+)*\s*")
EN_FILES = ("en_unigrams.txt.gz", "en_bigrams.txt.gz", "en_extra_words.txt.gz", "en_more_words.txt.gz")


class SpellingCheck(Check):
    """Flag misspellings; fix them in `fixed_text` only when one correction clearly wins."""

    name = "spelling"

    def __init__(self) -> None:
        """Set up lazy per-language spellers."""
        self._spellers: dict[str, Speller] = {}
        self._lock = threading.Lock()

    def load(self) -> None:
        """Load the English dictionary, bigrams and extra words."""
        self._speller("en")

    def warm(self) -> None:
        """Load the English candidate index and bigrams, and the language identifier."""
        self._speller("en").warm()
        identify("warm up the language model")

    def warm_language(self, lang: str) -> None:
        """Load the language's dictionary and candidate index (nothing for languages without one)."""
        if lang == "en" or lang in OTHER_LANGS:
            self._speller(lang).warm()

    def _speller(self, lang: str) -> Speller:
        """Return the speller for a language, loading it on first use."""
        with self._lock:
            if lang not in self._spellers:
                if lang == "en":
                    self._spellers[lang] = Speller(*EN_FILES)
                else:
                    self._spellers[lang] = Speller(f"{lang}_words.txt.gz")
            return self._spellers[lang]

    def analyze(self, text: str, ctx: CheckContext) -> list[Finding]:
        """Return spelling findings for prose words."""
        words = list(_prose_words(text, ctx))
        if not words:
            return []
        lang = self._language(text, words, ctx)
        if lang != "en" and lang not in OTHER_LANGS:
            what = "its language could not be told" if lang == UNKNOWN else f"it looks like '{lang}'"
            return [Finding("spelling", 0, len(text), text, "language_skipped", "info", 1.0,
                            f"The reply was not spell-checked: {what}, and there is no dictionary for it.")]
        speller = self._speller(lang)
        findings = []
        for i, (start, end, _) in enumerate(words):
            prev = words[i - 1][2].lower() if i and words[i - 1][1] + 2 >= start else None
            nxt = words[i + 1][2].lower() if i + 1 < len(words) and end + 2 >= words[i + 1][0] else None
            finding = self._check_word(text, (start, end), speller, (prev, nxt), ctx)
            if finding:
                findings.append(finding)
        return findings

    def _language(self, text: str, words: list[tuple[int, int, str]], ctx: CheckContext) -> str:
        """The draft's language: mostly-known English words, else langid with the mention's and brand's hints."""
        english = self._speller("en")
        share = sum(english.known(w.lower()) for _, _, w in words) / len(words)
        if share >= ENGLISH_SURE:
            return "en"
        mention = ctx.mention if isinstance(ctx.mention, dict) else {}
        hint = mention.get("lang") if isinstance(mention.get("lang"), str) else None
        return identify(text, hint=hint, languages=ctx.policy.languages).code

    def _check_word(self, text: str, span: tuple[int, int], speller: Speller,
                    around: tuple[str | None, str | None], ctx: CheckContext) -> Finding | None:
        """Return a finding for one unknown word, or None when it is fine."""
        start, end = span
        word = text[start:end]
        lower = word.lower().replace("’", "'")
        # casefold: the wordfreq lists spell "weiß" as "weiss"
        if speller.plausible(lower) or speller.plausible(lower.casefold()) or _contraction_known(lower, speller):
            return None
        corr = speller.correct(lower, *around)
        if corr is None:
            return Finding("spelling", start, end, word, "misspelling", "info", 0.5,
                           f"“{word}” is not in the dictionary and nothing close was found.")
        sugg = tuple(_match_case(word, s) for s in corr.suggestions)
        rules = ctx.policy.spelling
        # Capitalised unknown words are often names, so they are suggested but never auto-fixed.
        # Short words ("plz", "thx") are usually deliberate; suggest, never auto-fix.
        confident = (rules.autofix and corr.score >= rules.min_margin and not word[0].isupper()
                     and len(lower) > 3)
        if speller is not self._spellers["en"]:
            # Word lists without bigrams or morphology: only missing accents are fixed for sure.
            confident = rules.autofix and _strip_accents(corr.suggestions[0]) == lower != corr.suggestions[0]
        msg = f"“{word}” looks misspelled; did you mean “{sugg[0]}”?"
        return Finding("spelling", start, end, word, "misspelling", "warn" if confident else "info",
                       round(min(1.0, 0.5 + corr.score / 4), 4), msg, sugg)


def _prose_words(text: str, ctx: CheckContext) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, word) for words that should be spell-checked."""
    skip = protected_spans(text)
    allowed = {w.lower() for entry in ctx.policy.dictionary for w in WORD.findall(entry)}
    mention = str((ctx.mention or {}).get("text", "")) if isinstance(ctx.mention, dict) else ""
    allowed |= {w.lower() for w in WORD.findall(mention)}
    for m in WORD.finditer(text):
        word = m.group()
        if overlaps(skip, m.start(), m.end()) or word.lower() in allowed or len(word) < 2:
            continue
        if word.isupper() or any(c.isupper() for c in word[1:]):
            continue  # acronyms (ATM, IMEI) and brand-style casing (iPhone, PlayStation)
        if word[0].isupper() and not _sentence_start(text, m.start()):
            continue  # a capitalised word mid-sentence is a name
        yield m.start(), m.end(), word


def _sentence_start(text: str, pos: int) -> bool:
    """True when position `pos` begins a sentence (start of text or after . ! ? : or newline)."""
    before = text[:pos]
    return bool(LEADING_HANDLES.fullmatch(before) or SENTENCE_END.search(before))


def _contraction_known(word: str, speller: Speller) -> bool:
    """Accept "we're", "customer's", "y'all" when the parts are known."""
    if "'" not in word:
        return False
    head, _, tail = word.partition("'")
    if head in ELISIONS and speller.plausible(tail):
        return True  # French and Italian elisions: "qu'il", "l'adresse", "dell'ordine"
    return speller.known(head) and tail in ("s", "t", "re", "ve", "ll", "d", "m", "all", "em")


def _strip_accents(word: str) -> str:
    """Remove diacritics ("síguenos" -> "siguenos")."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _match_case(original: str, suggestion: str) -> str:
    """Give the suggestion the original's capitalisation."""
    return suggestion.capitalize() if original[0].isupper() else suggestion

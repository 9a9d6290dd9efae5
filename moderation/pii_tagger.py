"""A small linear-chain CRF that tags street addresses and full names token by token, as a Presidio recognizer.

The weights are plain JSON (`moderation/data/pii_tagger.json`, trained by `scripts/train_pii_tagger.py`);
decoding is a few lines of Viterbi in Python, so nothing beyond the standard library runs at inference.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult

from moderation.pii_address import PREFIX, SUFFIX

MODEL = Path(__file__).resolve().parent / "data" / "pii_tagger.json.gz"
TOKEN = re.compile(r"\w+|[^\w\s]")
STREET_WORD = re.compile(
    rf"(?i)^(?:{SUFFIX}|{PREFIX}|street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|"
    r"place|pl|terrace|ter|circle|cir|parkway|pkwy|highway|hwy|square|sq|trail|trl|crescent|close|row|alley|"
    r"pass|path|loop|plaza|grove|gardens|mews|walk|heights|hts|route|bridge|cliffs?|parks?|forges?|"
    r"gateway|mall|creek|hill|view|centre|center|vale|ridge|port|stravenue|junction|crossing|estates?)\.?$")
UNIT_WORD = re.compile(r"(?i)^(?:apt|apartment|suite|ste|unit|flat|floor|fl|box|po|bus|no)$")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")  # scripts without spaces: no word tokens to tag
LABELS = {"ADDR": "STREET_ADDRESS", "PER": "PERSON"}


def tokens(text: str) -> list[tuple[int, int, str]]:
    """Word and punctuation tokens with their offsets."""
    return [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]


def _shape(word: str) -> str:
    """The word's shape with runs collapsed: "Hauptstraße" -> "Xx", "12B" -> "dX"."""
    shape = re.sub(r"[^\W\d_]", lambda m: "X" if m.group().isupper() else "x", word)
    return re.sub(r"(.)\1+", r"\1", re.sub(r"\d", "d", shape))


def _word_features(text: str, start: int, word: str, common: frozenset[str]) -> list[str]:
    """What one token looks like, independent of its neighbours."""
    feats = list(_word_shape(word, word.lower() in common))
    if "\n" in text[max(0, start - 6):start] and not text[max(0, start - 6):start].strip(" \t,"):
        feats.append("line_start")
    return feats


@lru_cache(maxsize=8192)
def _word_shape(word: str, is_common: bool) -> tuple[str, ...]:
    """The features of a word on its own (cached: replies repeat their words)."""
    low = word.lower()
    feats = [f"s={_shape(word)}", f"suf={low[-3:]}", f"len={min(len(word), 6)}"]
    if word.isdigit():
        feats.append(f"nd={min(len(word), 6)}")
    elif is_common:
        feats.append(f"w={low}")
    if STREET_WORD.match(word):
        feats.append("street")
    if UNIT_WORD.match(word):
        feats.append("unit")
    return tuple(feats)


def featurize(text: str, toks: list[tuple[int, int, str]], common: frozenset[str]) -> list[list[str]]:
    """Features of each token: its own, plus its neighbours' within two tokens."""
    own = [_word_features(text, s, w, common) for s, _, w in toks]
    out = []
    for i in range(len(toks)):
        feats = ["bias", *own[i]]
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j < len(toks):
                feats += [f"{off}:{f}" for f in own[j] if not f.startswith(("suf=", "len="))]
            else:
                feats.append(f"{off}:edge")
        out.append(feats)
    return out


@lru_cache(maxsize=1)
def _model() -> tuple[list[str], dict[str, list[float]], list[list[float]]]:
    """The trained weights: labels, a weight per label for each feature, and label-to-label transitions."""
    with gzip.open(MODEL, "rt", encoding="utf-8") as fh:
        raw = json.load(fh)
    labels: list[str] = raw["labels"]
    state = {f: [w.get(lab, 0.0) for lab in labels] for f, w in raw["state"].items()}
    trans = [[raw["trans"].get(a, {}).get(b, 0.0) for b in labels] for a in labels]
    return labels, state, trans


def viterbi(feats: list[list[str]], model: tuple[list[str], dict[str, list[float]], list[list[float]]]) -> list[str]:
    """The best label sequence under the linear-chain model."""
    labels, state, trans = model
    n = len(labels)
    emit = [_emission(fs, state, n) for fs in feats]
    columns = [[t[j] for t in trans] for j in range(n)]  # transitions into label j
    best, back = emit[0], []
    for row in emit[1:]:
        # the first of equal scores wins, as max() over range(n) did
        ptr = [max(range(n), key=[b + t for b, t in zip(best, col, strict=True)].__getitem__) for col in columns]
        best = [best[p] + trans[p][j] + row[j] for j, p in enumerate(ptr)]
        back.append(ptr)
    path = [max(range(n), key=best.__getitem__)]
    for ptr in reversed(back):
        path.append(ptr[path[-1]])
    return [labels[k] for k in reversed(path)]


def _emission(fs: list[str], state: dict[str, list[float]], n: int) -> list[float]:
    """Sum of the label weights of one token's known features, added in feature order."""
    row = [0.0] * n
    for f in fs:
        weights = state.get(f)
        if weights is not None:  # unknown features add 0.0, which changes no sum
            row = [r + w for r, w in zip(row, weights, strict=True)]
    return row


def spans(text: str) -> list[tuple[int, int, str]]:
    """Tagged spans (start, end, Presidio entity) in the text."""
    from moderation.langid import common_words

    toks = tokens(text)
    if not toks:
        return []
    path = viterbi(featurize(text, toks, common_words("en")), _model())
    out: list[tuple[int, int, str]] = []
    for (s, e, _), tag in zip(toks, path, strict=True):
        kind = tag[2:]
        if tag.startswith("I-") and out and out[-1][2] == kind:
            out[-1] = (out[-1][0], e, kind)
        elif tag != "O":
            out.append((s, e, kind))
    return [(s, e, LABELS[k]) for s, e, k in out if k in LABELS]


class TaggerRecognizer(EntityRecognizer):
    """Addresses and names found by the sequence tagger; an address must hold a digit or a street word."""

    def __init__(self, score: float = 0.55) -> None:
        """Report both entities at one fixed confidence (the tagger is not calibrated)."""
        self.score = score
        super().__init__(supported_entities=list(LABELS.values()), name="SequenceTaggerRecognizer")

    def load(self) -> None:
        """The weights load on first use."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        """Run the tagger over the text and keep the wanted entities that pass the shape checks."""
        keep = {"STREET_ADDRESS": _address_like, "PERSON": _name_like}
        results = []
        for start, end, label in spans(text):
            if label == "PERSON" and "\n" in text[start:end]:
                end = text.index("\n", start)  # a name never runs onto the next line (a company often does)
            if label in entities and keep[label](text[start:end]):
                results.append(RecognizerResult(label, start, end, self.score))
        return results


# Lower-case words an address may hold ("rue de la Paix", "8 bis", "apt 4").
ADDRESS_LOWER = frozenset("de da del della do dos das la le les des du di van von der den y e et and of the "
                          "bis ter apt suite unit flat floor no box st rd ave".split())


CALENDAR = frozenset(
    "mon tue tues wed thu thur thurs fri sat sun monday tuesday wednesday thursday friday saturday sunday mondays "
    "tuesdays wednesdays thursdays fridays saturdays sundays weekday weekdays weekend weekends daily am pm hours "
    "hrs h jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august "
    "september october november december to and till until from "
    # time zones of opening hours: "(Mon–Fri, 8am–9pm ET)"
    "et est edt ct cst cdt mt mst pt pst pdt gmt bst cet cest ist aest sast wat eat sgt hkt jst".split())


def _address_like(value: str) -> bool:
    """A house number or a street word, two tokens at least, and at most one ordinary lower-case word."""
    toks = TOKEN.findall(value)
    if CJK.search(value) or len(toks) < 2 or not any(t.isalpha() and len(t) > 1 for t in toks):
        return False  # "1/2" (a tweet counter) has no street name
    if not any(t.isdigit() or STREET_WORD.match(t) for t in toks):
        return False
    if all(t.lower() in CALENDAR for t in toks if t.isalpha() and len(t) > 1):
        return False  # "9-17 weekdays, 10-16 Saturdays" is opening hours
    return few_prose_words(value)


def few_prose_words(value: str) -> bool:
    """At most one ordinary lower-case English word: "invested heavily in" is prose, not an address."""
    from moderation.langid import common_words

    prose = [t for t in TOKEN.findall(value) if t.isalpha() and t.islower() and t not in ADDRESS_LOWER
             and t in common_words("en") and not STREET_WORD.match(t)]
    return len(prose) < 2


def _name_like(value: str) -> bool:
    """A full name: two or more capitalised words, not all of them ordinary words of one language."""
    from moderation.langid import WORDLIST_LANGS, common_words
    from moderation.pii_address import GREETINGS

    words = [w.lower() for w in re.findall(r"[^\W\d_]+", value)]
    if len(words) < 2 or not all(w[:1].isupper() for w in re.findall(r"[^\W\d_]+", value)):
        return False
    # "Schönen Abend", "Black Friday": every word an ordinary word of one shipped language.
    return words[0] not in GREETINGS and not any(all(w in common_words(lang) for w in words)
                                                 for lang in WORDLIST_LANGS)

"""A small linear-chain CRF that tags street addresses and full names token by token, as a Presidio recognizer.

The weights are plain JSON (`moderation/data/pii_tagger.json`, trained by `scripts/train_pii_tagger.py`);
decoding is a few lines of Viterbi over numpy arrays, adding the same floats in the same order as a loop would.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
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
    emit = np.asarray([_emission(fs, state, len(labels)) for fs in feats], dtype=np.float64)
    return [labels[k] for k in _decode(emit, np.asarray(trans, dtype=np.float64))]


def _decode(emit: np.ndarray, trans: np.ndarray) -> list[int]:
    """Viterbi over a (tokens, labels) emission matrix; the first of equal scores wins.

    Plain floats, not numpy: with five labels a numpy call per token costs more than the sums it does
    (the same additions in the same order, so the same path).
    """
    moves = trans.tolist()
    labels = range(len(moves))
    rows = emit.tolist()
    best = rows[0]
    back: list[list[int]] = []
    for row in rows[1:]:
        ptr, into = [], []
        for j in labels:
            top, arg = best[0] + moves[0][j], 0
            for p in labels[1:]:
                value = best[p] + moves[p][j]
                if value > top:  # strictly greater: the first of equal scores stays
                    top, arg = value, p
            ptr.append(arg)
            into.append(top + row[j])
        best = into
        back.append(ptr)
    path = [best.index(max(best))]
    for ptr in reversed(back):
        path.append(ptr[path[-1]])
    return path[::-1]


def _emission(fs: list[str], state: dict[str, list[float]], n: int) -> list[float]:
    """Sum of the label weights of one token's known features, added in feature order."""
    row = [0.0] * n
    for f in fs:
        weights = state.get(f)
        if weights is not None:  # unknown features add 0.0, which changes no sum
            row = [r + w for r, w in zip(row, weights, strict=True)]
    return row


@lru_cache(maxsize=1)
def _weights() -> tuple[dict[str, int], np.ndarray, np.ndarray]:
    """The model as arrays: each feature's row in a weight matrix whose row 0 is all zeros, and the transitions."""
    labels, state, trans = _model()
    matrix = np.asarray([[0.0] * len(labels), *state.values()], dtype=np.float64)
    return {f: i for i, f in enumerate(state, start=1)}, matrix, np.asarray(trans, dtype=np.float64)


@lru_cache(maxsize=16384)  # replies repeat their words; formatting neighbour features was most of featurize()
def _rows(own: tuple[str, ...], off: int) -> tuple[int, ...]:
    """Weight rows of a token's own features as its neighbour `off` tokens away sees them (0: the token itself)."""
    index = _weights()[0]
    feats = own if not off else tuple(f"{off}:{f}" for f in own if not f.startswith(("suf=", "len=")))
    return tuple(index[f] for f in feats if f in index)  # unknown features add 0.0, which changes no sum


def _emissions(text: str, toks: list[tuple[int, int, str]]) -> np.ndarray:
    """featurize() then _emission() for every token, as matrix rows: the same sums in the same order."""
    from moderation.langid import common_words

    matrix = _weights()[1]
    own = [tuple(_word_features(text, s, w, common_words("en"))) for s, _, w in toks]
    rows: list[list[int]] = []
    for i in range(len(toks)):
        row = [*_rows(("bias", *own[i]), 0)]
        for off in (-2, -1, 1, 2):
            j = i + off
            row += _rows(own[j], off) if 0 <= j < len(toks) else _rows((f"{off}:edge",), 0)
        rows.append(row)
    ids = np.zeros((len(rows), max(map(len, rows))), dtype=np.intp)  # padding is row 0: adds 0.0
    for i, row in enumerate(rows):
        ids[i, :len(row)] = row
    emit = np.zeros((len(rows), matrix.shape[1]), dtype=np.float64)
    for col in ids.T:  # feature by feature, left to right, as _emission adds them
        emit += matrix[col]
    return emit


def spans(text: str) -> list[tuple[int, int, str]]:
    """Tagged spans (start, end, Presidio entity) in the text."""
    toks = tokens(text)
    if not toks:
        return []
    labels = _model()[0]
    path = [labels[k] for k in _decode(_emissions(text, toks), _weights()[2])]
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

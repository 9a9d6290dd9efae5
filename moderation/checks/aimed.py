"""Whether an English sentence the model reads as insulting is aimed at the customer.

The English model scores the words, not who they hit. Four kinds of reply use harsh words kindly and were
the bulk of the benign look-alikes it flagged (round 10, dev11: 15 of 19 false alarms): the customer's own
words quoted back ("'Stupid app keeps crashing' – yep, 4.2 had a bug"), friendly profanity in a happy
sentence ("Shit, we love this", "the dog-friendly rooms are a bloody hit") and harsh words about our own
failure in a reply that owns it ("That's a pathetic response time from us"); round 11 adds harsh words said
of ourselves ("our setup guide is dumb"). Each test removes only the
model's finding on that sentence: the insult lists, put-down patterns and the hostility head still judge it,
and a sentence that talks to the customer as "you're ..." is never excused.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from moderation.carecues import owns_problem

# Quoted stretches of two words or more: the customer's words said back to them. One quoted word is how
# scare quotes mock ("your 'complaint'"), so it does not count.
QUOTED = re.compile(r"(?:(?<![\w])'|[\"‘“])(?=[^\s'\"’”])([^'\"‘’“”]*?\s[^'\"‘’“”]*?)(?:'(?![\w])|[\"’”])")
MILD_PROFANITY = re.compile(
    r"\b(?:shit|damn(?:ed)?|bloody|hell|crap|freaking|frickin|friggin|effing|f\*+ing|fuckin[g']?)\b",
    re.IGNORECASE)
# Talking to the customer about what they are: never excused, whatever else the reply says.
ATTACK = re.compile(r"\b(?:you(?:'re|\u2019re|\s+are|\s+were|'ve\s+been|\s+must\s+be)|ur|u\s+r|yourself|"
                    r"your\s+kind|you\s+people|people\s+like\s+you)\b", re.IGNORECASE)

Rescore = Callable[[str], float]
# Harsh words said of ourselves (round 11, dev13: 8 of 17 false alarms): a quality word predicated of our own
# thing ("our old pump bottles were rubbish", "our setup guide is dumb"), a fault on our part ("a dumb
# oversight on our part", "stupid of us"), our own feelings ("we hate that loading screen too") and
# self-deprecation ("we were idiots about this"). Each frame's `slot` holds the words that may be harsh; the
# excuse blanks only them and keeps the rest of the sentence for the model to judge again.
_WORDS = r"(?:[\w'’-]+\s+){0,%d}?"
_COPULA = r"(?:is|are|was|were|'s|’s|has\s+been|have\s+been|looks?|looked|feels?|felt|seems?|seemed)"
ABOUT_US = tuple(re.compile(p, re.IGNORECASE) for p in (
    r"\bour\s+" + _WORDS % 4 + _COPULA + r"\s+(?P<slot>" + _WORDS % 2 + r"[\w'’-]+)",
    r"(?P<slot>(?:[\w'’-]+\s+){0,2}[\w'’-]+)\s+(?:on\s+our\s+(?:part|end|side)|of\s+ours|"
    r"(?:of|from|by)\s+us)\b",
    r"\b(?:we|i)\s+" + _WORDS % 2 + r"(?P<slot>hate|hated|loathe|detest|can't\s+stand|cannot\s+stand)\b",
    r"\b(?:we|i)(?:\s+(?:were|are|was|am|felt|feel)|'re|’re|'m|’m)\s+(?P<slot>" + _WORDS % 2 + r"[\w'’-]+)",
))
SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself|yourselves|u|ur|ya|y'all)\b", re.IGNORECASE)
CLAUSE = re.compile(r"[^,;:–—()]+")


def _blank(sentence: str, pattern: re.Pattern[str]) -> str:
    """The sentence with every match blanked (offsets kept)."""
    return pattern.sub(lambda m: " " * len(m.group()), sentence)


def quoted_back(text: str, span: tuple[int, int], sentence: str, rescore: Rescore, warn: float) -> bool:
    """The harsh words are all inside quotation marks: with the quotes blanked the sentence is clean.

    Quotes are found in the whole reply: a quoted question or sentence ("'Where the hell is my refund?' is the
    right question") is cut by the sentence splitter, and its halves would show no closing mark.
    """
    start, end = span
    chars = list(sentence)
    for m in QUOTED.finditer(text):
        for i in range(max(m.start(), start), min(m.end(), end)):
            chars[i - start] = " "
    blanked = "".join(chars)
    return blanked != sentence and rescore(blanked) < warn


def kind_profanity(sentence: str, rescore: Rescore, warn: float, kind_reply: Callable[[], bool]) -> bool:
    """Mild swearing in a sentence that is otherwise clean, not aimed at the customer, in a reply that is not
    negative or owns the problem ("Bloody hell, Marcus, you escaped in 38 minutes? New record.")."""
    if ATTACK.search(sentence) or not MILD_PROFANITY.search(sentence):
        return False
    return rescore(_blank(sentence, MILD_PROFANITY)) < warn and kind_reply()


def owned_elsewhere(sentence: str, sentences: list[str]) -> bool:
    """The reply owns the problem in some sentence and this one does not talk to the customer as "you're"."""
    return not ATTACK.search(sentence) and any(owns_problem(s, "en") for s in sentences)


def about_us(sentence: str, rescore: Rescore, warn: float) -> bool:
    """The harsh words sit in a frame about ourselves, in a clause that does not address the customer, and
    the sentence is clean with those words blanked ("Our strap clasp is stupidly fiddly, we know.")."""
    chars = list(sentence)
    for clause in CLAUSE.finditer(sentence):
        if SECOND_PERSON.search(clause.group()):
            continue
        for frame in ABOUT_US:
            for m in frame.finditer(clause.group()):
                for i in range(clause.start() + m.start("slot"), clause.start() + m.end("slot")):
                    chars[i] = " "
    blanked = "".join(chars)
    return blanked != sentence and rescore(blanked) < warn

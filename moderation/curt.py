"""Bare acknowledgements ("Okay.", "Noted.", "k", "ok cool"): a whole public reply made of one or two such words.

Answering a customer in public with a bare "Noted." reads as a brush-off, and six independent writers of the
hostility training replies listed such replies as hostile; yet nothing in the words is hostile, so the hostility
models score them erratically ("Okay." passed while "Sure." was warned). The tone check calls them curt instead
(same `warn`, a message that says what is missing), and the toxicity check leaves them alone. An exclamation
mark ("Cool!", "Sure!") or any further word ("ok, on it", "Noted, thank you") makes the reply something else.
Word list written for this project.
"""

from __future__ import annotations

import re

# Not "yes" or "yep": a bare yes answers the customer's question.
ACK_WORDS = ("ok", "okay", "okey", "k", "kk", "cool", "sure", "noted", "fine", "right", "alright", "whatever",
             "seen", "no", "nope", "lol", "mhm", "mm", "hmm", "and", "so")
_WORD = "(?:" + "|".join(ACK_WORDS) + ")"
# Leading @handles and a trailing agent signature ("^AB", "- Sam") are not part of what was said.
BARE = re.compile(r"^(?:@\w+\s+)*(" + _WORD + r"(?:[\s,]+" + _WORD + r")?)[.?…\s]*(?:(?:\^|[-–—]\s?)\w{1,12})?\s*$",
                  re.IGNORECASE)


def bare_acknowledgement(text: str) -> tuple[int, int] | None:
    """The span of the acknowledgement when the whole reply is a bare one, else None."""
    m = BARE.match(text.strip())
    if m is None:
        return None
    offset = len(text) - len(text.lstrip())
    return offset + m.start(1), offset + m.end(1)

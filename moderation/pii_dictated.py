"""Values told in pieces across a sentence (read by a Presidio recognizer in moderation.pii_recognizers).

An email address split in two ("listed as jo.bloggs – the rest is @example.co.za") hides from every
address pattern: the part before "@" stands alone and the domain is left bare. The two pieces are joined
when a bare "@domain.tld" follows a user-name-like word, and a word between says the rest is coming.
"""

from __future__ import annotations

import re

# A bare domain: "@" not glued to a word, then a domain with at least one dot ("@brand" is a handle, not this).
BARE_DOMAIN = re.compile(r"(?<![\w.+-])@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# A user name: letters or digits with a dot, underscore, plus or digit inside ("jo.bloggs", "sam_k", "ann82").
LOCAL_PART = re.compile(r"(?<![\w.@+-])[A-Za-z][\w+-]*(?:[._+][\w+-]+)+(?![\w@]|\.\w)|"
                        r"(?<![\w.@+-])[A-Za-z]+\d+(?![\w@.])")
# Words that say the second piece follows: "the rest is", "then", "followed by", "the domain is".
REST_CUE = re.compile(r"(?i)\b(?:rest|remainder|second\s+(?:part|half)|domain|then|followed\s+by|after\s+that|"
                      r"ends?\s+(?:in|with)|ending)\b")
SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")
REACH = 60  # characters between the user name and the domain


def split_email_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each user name joined to the bare domain that follows it."""
    spans = []
    for domain in BARE_DOMAIN.finditer(text):
        local = _user_name_before(text, domain.start())
        if local is not None:
            spans.append((local.start(), domain.end()))
    return spans


def _user_name_before(text: str, at: int) -> re.Match[str] | None:
    """The nearest user name before the bare domain, if a cue between says the rest of it follows."""
    window_start = max(0, at - REACH)
    names = list(LOCAL_PART.finditer(text, window_start, at))
    if not names:
        return None
    name = names[-1]
    between = text[name.end():at]
    if SENTENCE_END.search(between) or not REST_CUE.search(between):
        return None
    return name


def is_split_email(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is a user name joined to its bare domain (split_email_spans)."""
    at = text.rfind("@", start, end)
    name = _user_name_before(text, at) if at > start and BARE_DOMAIN.match(text, at) else None
    return name is not None and name.start() == start


def joined_email(value: str) -> str:
    """The address a split or spelled-out email stands for ("jo (at) mail (dot) com" -> "jo@mail.com")."""
    value = re.sub(r"(?i)\s*(?:[\(\[\{<]|[—–-]{1,2})\s*(?:at|@)\s*(?:[\)\]\}>]|[—–-]{1,2})\s*|\s+at\s+", "@", value)
    value = re.sub(r"(?i)\s*(?:[\(\[\{<]|[—–-]{1,2})\s*(?:dot|\.)\s*(?:[\)\]\}>]|[—–-]{1,2})\s*|\s+dot\s+", ".", value)
    if re.search(r"\s", value) and "@" in value:
        local, domain = value.split()[0], value.rsplit("@", 1)[-1]  # "jo.b – the rest is @mail.com"
        return f"{local}@{domain}".replace(" ", "")
    return value

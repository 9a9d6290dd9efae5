"""Tone check: blaming the customer, ALL-CAPS shouting, promises the brand forbids, bare "Noted.", !!!."""

from __future__ import annotations

import re

from moderation.checks.base import Check, CheckContext
from moderation.curt import bare_acknowledgement
from moderation.findings import Finding
from moderation.text_spans import overlaps, protected_spans

BLAME = re.compile(
    r"\b(?:you\s+should(?:\s+have|'ve)\s+(?:already\s+)?(?:read|checked|followed|called|contacted|known|"
    r"updated|backed|saved|asked|kept|looked|paid|used|cancell?ed|listened|noticed|told|reported)|"
    r"(?:it'?s|that'?s|this\s+is)\s+(?:all\s+)?your\s+(?:own\s+)?fault|"
    r"you\s+failed\s+to|you\s+(?:didn'?t|did\s+not)\s+(?:read|follow|check|bother)|"
    r"as\s+(?:i|we)(?:'ve|\s+have)?\s+(?:already|clearly)\s+(?:said|stated|explained|mentioned|told\s+you)|"
    r"as\s+(?:i|we)\s+told\s+you|"
    r"like\s+i\s+(?:already\s+)?said|that'?s\s+on\s+you|you\s+were\s+(?:already\s+)?(?:told|warned)|"
    r"if\s+you\s+had\s+(?:read|followed|listened)|user\s+error)\b",
    re.IGNORECASE,
)
CAPS_WORD = re.compile(r"\b[A-Z][A-Z']+\b")
# Letters in a capitals run before it counts as shouting, so "DM US ASAP" stays fine.
SHOUT_LETTERS = 12
PUNCT = re.compile(r"[!?]{3,}")


class ToneCheck(Check):
    """Warn on blame, shouting and forbidden promises; note runs of !!! or ???."""

    name = "tone"

    def analyze(self, text: str, ctx: CheckContext) -> list[Finding]:
        """Return tone findings."""
        rules = ctx.policy.tone
        findings = []
        if rules.blame:
            findings += [Finding("tone", m.start(), m.end(), m.group(), "blame", "warn", 0.8,
                                 "This blames the customer; own the problem instead.",
                                 ("Let's sort this out together.",)) for m in BLAME.finditer(text)]
        findings += self._shouting(text, ctx)
        bare = bare_acknowledgement(text)
        if bare is not None:
            findings.append(Finding("tone", *bare, text[bare[0]:bare[1]], "curt", "warn", 0.7,
                                    "A bare acknowledgement reads as a brush-off in public; say what happens next.",
                                    ()))
        findings += self._promises(text, rules.forbidden_promises)
        findings += [Finding("tone", m.start(), m.end(), m.group(), "punctuation", "info", 0.5,
                             "Repeated !!! or ??? reads as agitated.", (m.group()[0],))
                     for m in PUNCT.finditer(text)]
        return findings

    @staticmethod
    def _shouting(text: str, ctx: CheckContext) -> list[Finding]:
        """Return one finding per run of consecutive ALL-CAPS words long enough to be shouting."""
        allowed = {w.upper() for w in ctx.policy.dictionary}
        skip = protected_spans(text)
        words = [m for m in CAPS_WORD.finditer(text)
                 if m.group() not in allowed and not overlaps(skip, m.start(), m.end())]
        runs: list[list[re.Match[str]]] = []
        for m in words:
            if runs and re.fullmatch(r"[\s,.!?'-]*", text[runs[-1][-1].end():m.start()]):
                runs[-1].append(m)
            else:
                runs.append([m])
        findings = []
        for run in runs:
            letters = sum(len(m.group()) for m in run)
            if len(run) >= ctx.policy.tone.shouting_words and letters >= SHOUT_LETTERS:
                start, end = run[0].start(), run[-1].end()
                findings.append(Finding("tone", start, end, text[start:end], "shouting", "warn", 0.7,
                                        "Several words in capitals read as shouting.",
                                        (text[start:end].capitalize(),)))
        return findings

    @staticmethod
    def _promises(text: str, phrases: list[str]) -> list[Finding]:
        """Return findings for promises on the brand's forbidden list."""
        findings = []
        for phrase in phrases:
            pattern = r"(?<!\w)" + re.escape(phrase) + r"(?!\w)"
            for m in re.finditer(pattern, text, re.IGNORECASE):
                findings.append(Finding("tone", m.start(), m.end(), m.group(), "forbidden_promise", "warn",
                                        0.9, f"“{phrase}” is a promise the brand does not make.", ()))
        return findings

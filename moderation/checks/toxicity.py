"""Toxicity check: scorer per sentence, idioms masked first, put-downs and threats by pattern."""

from __future__ import annotations

import re
from typing import Any

from moderation.carecues import owns_problem
from moderation.checks.aimed import about_us, kind_profanity, owned_elsewhere, quoted_back
from moderation.checks.base import Check, CheckContext
from moderation.checks.hostile import (
    BLAME_SHIFT,
    COMPETENCE,
    CONDESCENSION,
    CONSEQUENCE,
    DISMISSAL,
    EXASPERATION,
    HOSTILE_AT,
    MOCKERY,
    NAME_CALLING,
    VEILED_THREAT,
    hostile_findings,
    second_opinion_findings,
)
from moderation.checks.idioms import IDIOMS
from moderation.checks.native import native_findings, native_heads, native_put_downs
from moderation.curt import bare_acknowledgement
from moderation.findings import Finding
from moderation.insults import insult_spans
from moderation.langid import UNKNOWN, WORDLIST_LANGS, common_words, guesses, identify
from moderation.scores import score, supported_languages
from moderation.text_spans import protected_spans

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_WORD = re.compile(r"\S+")
_LETTERS = re.compile(r"[^\W\d_]+")


def _rx(*parts: str) -> re.Pattern[str]:
    """Compile alternatives as one case-insensitive, word-bounded pattern."""
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE)


# Scorers name their sub-labels differently; findings use one vocabulary whatever the backend.
LABEL_NAMES = {"offensive": "insult", "toxic": "insult", "severe_toxic": "insult", "toxicity": "insult",
               "severe_toxicity": "insult", "hate": "identity_attack"}

# (label, severity, pattern): sarcastic put-downs and threats a scorer easily misses.
PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("put_down", "warn", _rx(r"ok(?:ay)?,?\s+(?:karen|boomer|buddy|sweetie|honey)", r"sure,?\s+jan",
                             r"learn\s+(?:how\s+)?to\s+read", r"(?<=,\s)genius(?=\s*[.!?,]|\s*$)",
                             r"nice\s+try", r"good\s+luck\s+with\s+that",
                             # Plain "read the FAQ" is advice; with "maybe"/"next time" it is a jab.
                             r"(?:maybe\s+(?:try\s+)?|just\s+)read\s+the\s+"
                             r"(?:manual|instructions|faq|fine\s+print)"
                             r"(?:\s+next\s+time|\s+first)?",
                             r"read\s+the\s+(?:manual|instructions|faq|fine\s+print)\s+(?:next\s+time|first)",
                             r"(?:it'?s\s+)?not\s+rocket\s+science", r"get\s+a\s+life",
                             r"cry\s+me\s+a\s+river",
                             r"whatever\s+you\s+say", r"bless\s+your\s+heart", r"skill\s+issue",
                             r"are\s+you\s+(?:stupid|dumb|serious|kidding\s+me|blind|illiterate)",
                             r"what\s+part\s+of\s+[^.?!]{1,40}\s+(?:don'?t|do\s+not)\s+you\s+understand",
                             r"(?:just\s+)?calm\s+down", r"(?:it'?s\s+)?not\s+that\s+hard",
                             r"even\s+a\s+child\s+(?:could|can)", r"do\s+your\s+(?:own\s+)?research",
                             r"stop\s+being\s+(?:such\s+)?a\s+(?:baby|child|crybaby|drama\s+queen)",
                             r"(?:nobody|no\s+one)\s+cares(?!\s+more)", r"not\s+(?:our|my)\s+problem",
                             r"shut\s+up", r"(?:deal|live)\s+with\s+it",
                             r"(?:your\s+kind|you\s+people)"
                             r"(?=\s+(?:always|never|are|do|don't|can't|just|keep|should))",
                             r"get\s+over\s+it", r"boo\s+hoo", r"cry\s+about\s+it", r"touch\s+grass")),
    ("put_down", "warn", CONDESCENSION),
    *(("put_down", "warn", p) for p in (COMPETENCE, EXASPERATION, MOCKERY, NAME_CALLING, BLAME_SHIFT,
                                                DISMISSAL)),
    ("threat", "warn", VEILED_THREAT),
    ("threat", "warn", CONSEQUENCE),
    ("threat", "block", _rx(r"(?:i|we)(?:'ll|\s+will|\s+are\s+going\s+to|'re\s+going\s+to)\s+"
                            r"(?:hurt|destroy|ruin|end)\s+you",
                            # "We'll get you a refund", "we'll find you a seat": only the bare threat counts
                            r"(?:i|we)(?:'ll|\s+will|\s+are\s+going\s+to|'re\s+going\s+to)\s+(?:find|get)\s+you"
                            r"(?=\s*(?:[.!?]|$)|,?\s+(?:for\s+(?:this|that|it)|and\s+(?:your|make|when|then)|"
                            r"eventually|one\s+day|wherever|outside|after\s+work))",
                            r"you(?:'ll|\s+will)\s+regret", r"watch\s+your\s+back",
                            r"you\s+deserve\s+to\s+(?:die|suffer)", r"(?:go\s+)?kill\s+yourself")),
    ("identity_attack", "block", re.compile(
        r"\b(?:all|those|these|you|typical|dirty|filthy|stupid)\s+(?:women|men|girls|muslims|jews|christians|"
        r"blacks|whites|asians|gays|lesbians|immigrants|foreigners|mexicans|indians|arabs|trans\s+people)\b"
        r"[^.!?]{0,25}\b(?:are|should)\s+(?:all\s+)?(?:animals|vermin|trash|garbage|idiots|stupid|scum|"
        r"disgusting|die|go\s+back|be\s+banned|leave)", re.IGNORECASE)),
)
# Words naming a group; trained scorers over-react to them in neutral sentences ("gay customers").
IDENTITY_TERMS = frozenset(
    "gay lesbian bisexual trans transgender queer muslim jew jewish christian hindu sikh buddhist atheist "
    "black white asian latino latina hispanic arab mexican indian african immigrant refugee woman women man "
    "men girl boy disabled deaf blind autistic".split()
)
IDENTITY_RX = re.compile(r"\b(?:" + "|".join(sorted(IDENTITY_TERMS)) + r")s?\b", re.IGNORECASE)
MESSAGES = {
    "put_down": "This reads as a sarcastic put-down of the customer.",
    "threat": "This reads as a threat.",
    "identity_attack": "This attacks people for who they are.",
}


def _mask(sentence: str, lang: str = "en") -> str:
    """Blank out idioms, and in another language its own common words ("retard" is French for delay)."""
    masked = IDIOMS.sub(lambda m: " " * len(m.group()), sentence)
    if lang == "en" or lang not in WORDLIST_LANGS:
        return masked
    native = common_words(lang)
    return _LETTERS.sub(lambda m: " " * len(m.group()) if m.group().lower() in native else m.group(), masked)


def _prose(text: str) -> str:
    """Blank links, emails and sign-offs and write @handles as "@user" (offsets kept): none of them carries
    tone, they cost a third of a reply's tokens, the dots in a link would cut it into fake sentences, and
    "@user" is how handles looked in the tweets the model learnt from."""
    chars = list(text)
    for start, end in protected_spans(text):
        if text[start] == "@" and end - start >= len("@user") and "." not in text[start:end]:
            chars[start:end] = "@user".ljust(end - start)
        elif text[start] != "#":  # a hashtag can be words ("#worstservice")
            chars[start:end] = " " * (end - start)
    return "".join(chars)


def _score(texts: list[str], ctx: CheckContext, lang: str | None) -> list[Any]:
    """Score for toxicity only; `lang="en"`: the draft's language, decided once, holds for every sentence."""
    return score(texts, backend=ctx.policy.scorer, sentiment=False, language=lang)


def _not_aimed(text: str, span: tuple[int, int], sent: str, prob: float, sentences: list[str],
               ctx: CheckContext, lang: str | None) -> bool:
    """An English sentence's harsh words are not aimed at the customer (moderation.checks.aimed)."""
    limits = ctx.policy.toxicity
    if prob < limits.block and owns_problem(sent, "en"):
        return True

    def rescore(s: str) -> float:
        return float(_score([s], ctx, lang)[0].toxicity.score)

    def kind_reply() -> bool:
        owned = any(owns_problem(s, "en") for s in sentences)
        return owned or score([text], backend=ctx.policy.scorer, language=lang)[0].sentiment.label != "negative"

    if quoted_back(text, span, sent, rescore, limits.warn) or kind_profanity(sent, rescore, limits.warn, kind_reply):
        return True
    if about_us(sent, rescore, limits.warn):
        return True
    return prob < limits.block and owned_elsewhere(sent, sentences)


def _identity_only(sentence: str, ctx: CheckContext, warn: float, lang: str | None) -> bool:
    """True when blanking the identity terms makes the sentence clean: scorer bias, not an attack."""
    blanked = IDENTITY_RX.sub(lambda m: " " * len(m.group()), sentence)
    if blanked == sentence:
        return False
    return _score([blanked], ctx, lang)[0].toxicity.score < warn


# Sentences are scored in chunks of about this many characters first; only chunks scoring at least
# CHUNK_GATE x the warn threshold are scored sentence by sentence (a clean draft costs a few runs).
CHUNK_CHARS = 200
CHUNK_GATE = 0.3
HOSTILE_GATE = 0.15  # a chunk the hostility head scores this high is looked at sentence by sentence
FALLBACK_SCORE = 0.5  # what identify() returns when it falls back to the brand's first language
INSULT_LISTS = {"ms": "id", "jv": "id", "su": "id"}  # identified language -> the insult list that reads it


def _chunks(sentences: list[str]) -> list[list[int]]:
    """Group consecutive sentence indexes into chunks of at most CHUNK_CHARS characters."""
    chunks: list[list[int]] = []
    size = 0
    for i, sent in enumerate(sentences):
        if chunks and size + len(sent) <= CHUNK_CHARS:
            chunks[-1].append(i)
            size += len(sent) + 1
        else:
            chunks.append([i])
            size = len(sent)
    return chunks


def _sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of non-blank sentences, whitespace trimmed."""
    spans = []
    for m in _SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


class ToxicityCheck(Check):
    """Flag toxic sentences (narrowed to the offending words when possible) and put-down patterns."""

    name = "toxicity"

    def analyze(self, text: str, ctx: CheckContext) -> list[Finding]:
        """Return pattern findings plus one finding per sentence the scorer finds toxic."""
        findings = self._patterns(text)
        mention = ctx.mention if isinstance(ctx.mention, dict) else {}
        hint = mention.get("lang") if isinstance(mention.get("lang"), str) else None
        lang = identify(text, hint=hint, languages=ctx.policy.languages)
        findings += self._insults(text, lang.code, ctx, findings, unsure=lang.score <= FALLBACK_SCORE)
        if lang.code not in ("en", UNKNOWN):
            findings += native_put_downs(text, lang.code, findings)
        prose = _prose(text)
        spans = _sentences(prose)
        if not spans:
            return findings
        limits = ctx.policy.toxicity
        heads = native_heads(lang.code, ctx.policy.scorer)
        if heads is not None:  # the heads of the reply's own language judge it (moderation/checks/native.py)
            sentences = [IDIOMS.sub(lambda m: " " * len(m.group()), text[s:e]) for s, e in spans]
            return findings + native_findings(text, spans, sentences, _chunks(sentences), lang.code, heads,
                                              limits, findings)
        # The model was trained on English and the languages it lists; elsewhere English insult words are
        # ordinary words (German "die"), so only sure hits count there, with the native common words blanked.
        trained = lang.code in ("en", UNKNOWN) or lang.code in supported_languages(ctx.policy.scorer)
        floor = limits.warn if trained else limits.block
        masked = [_mask(prose[s:e], "en" if trained else lang.code) for s, e in spans]
        # Pin the English model only on the draft's own evidence: a short foreign reply that identify() gave
        # the brand's language by default (score 0.5) must still reach its own language's heads.
        english = "en" if lang.code == "en" and lang.score > FALLBACK_SCORE else None
        scored, chunked = self._scored(spans, masked, ctx, english)
        hits = [h for h in scored if h[2] >= floor]
        if trained and lang.code not in ("en", UNKNOWN) and hits:
            # Ordinary native words can look toxic to the model ("retard" is French for delay): a sentence
            # counts only if it still scores toxic with the language's common words blanked.
            again = score([_mask(h[1], lang.code) for h in hits], backend=ctx.policy.scorer, sentiment=False)
            hits = [h for h, r in zip(hits, again, strict=True) if r.toxicity.score >= floor]
        for (start, end), sent, _prob, res in hits:
            if any(start <= f.start < end for f in findings):
                continue
            if lang.code in ("en", UNKNOWN) and _not_aimed(text, (start, end), sent, res.toxicity.score, masked,
                                                                  ctx, english):
                continue  # "Totally get why you're fuming, that delay was on us." (moderation/checks/aimed.py)
            found = self._finding(text, (start, end), sent, res, ctx, english)
            findings += [found] if found else []
        if lang.code not in ("en", UNKNOWN) or bare_acknowledgement(text):  # English only; "Noted." is curt (tone)
            return findings
        findings += hostile_findings(text, scored, chunked, findings, max(limits.warn, HOSTILE_AT))
        return findings + second_opinion_findings(text, list(zip(spans, masked, strict=True)), scored, chunked,
                                                  findings, max(limits.warn, HOSTILE_AT))

    @staticmethod
    def _scored(spans: list[tuple[int, int]], masked: list[str], ctx: CheckContext, lang: str | None
                ) -> tuple[list[tuple[tuple[int, int], str, float, Any]], list[tuple[tuple[int, int], Any]]]:
        """Score sentences; clean stretches of a long draft are cleared in a few chunked runs first.

        Returns the scored sentences and the scored chunks (span, result), the latter empty when every
        chunk is one sentence.
        """
        chunks = _chunks(masked)
        gate = ctx.policy.toxicity.warn * CHUNK_GATE
        suspects = list(range(len(masked)))
        chunked: list[tuple[tuple[int, int], Any]] = []
        if len(chunks) < len(masked):  # one model run per chunk instead of per sentence
            chunk_scores = _score([" ".join(masked[i] for i in c) for c in chunks], ctx, lang)
            chunked = [((spans[c[0]][0], spans[c[-1]][1]), r) for c, r in zip(chunks, chunk_scores, strict=True)]
            suspects = [i for c, r in zip(chunks, chunk_scores, strict=True)
                        if r.toxicity.score >= gate or (r.toxicity.hostility or 0.0) >= HOSTILE_GATE for i in c]
        results = _score([masked[i] for i in suspects], ctx, lang) if suspects else []
        scored = [(spans[i], masked[i], r.toxicity.score, r) for i, r in zip(suspects, results, strict=True)]
        return scored, chunked

    def _finding(self, text: str, span: tuple[int, int], sent: str, res: Any,
                 ctx: CheckContext, lang: str | None) -> Finding | None:
        """The finding for one flagged sentence, narrowed to the offending word; None for identity-term bias."""
        start, end = span
        limits = ctx.policy.toxicity
        prob = res.toxicity.score
        labels = res.toxicity.labels
        label = max(labels, key=lambda k: labels[k]) if labels else "toxic"
        label = LABEL_NAMES.get(label, label)
        if _identity_only(sent, ctx, limits.warn, lang):
            return None
        w_start, w_end = self._narrow(sent, ctx, limits.warn, lang)
        s, e = (start + w_start, start + w_end) if w_end else (start, end)
        return Finding(
            "toxicity", s, e, text[s:e], label, "block" if prob >= limits.block else "warn", round(prob, 4),
            f"This reads as insulting or hostile ({label}, toxicity {prob:.0%}).",
            ("Rephrase calmly and focus on the fix.",),
        )

    def warm(self) -> None:
        """Load the scorer, the language identifier and the e5 engine of the hostility second opinion."""
        from moderation.hostility import second_opinion

        score(["warm up"])
        identify("warm up the language model")
        if second_opinion() is not None:  # an unsure English draft would otherwise load e5 (~0.2 s) mid-check
            from moderation.embed import embed

            embed(["warm up"])

    def warm_language(self, lang: str) -> None:
        """Load the encoder and heads that read the language (e5 or USE for the multilingual heads)."""
        score(["ok"], language=lang, sentiment=False)

    @staticmethod
    def _insults(text: str, lang: str, ctx: CheckContext, found: list[Finding], unsure: bool = False
                 ) -> list[Finding]:
        """Insults from the per-language list, in the reply's language; when unsure (unknown, or the brand's
        language by default) also the brand's languages and the character model's first guesses. Malay's
        list is Indonesian's: the two share their insults."""
        langs = [INSULT_LISTS.get(lang, lang)] if lang != UNKNOWN else []
        if unsure:
            langs = list(dict.fromkeys([*langs, *ctx.policy.languages, *guesses(text)]))
        out: list[Finding] = []
        for code in langs:
            for start, end in insult_spans(text, code):
                if not any(f.start < end and start < f.end for f in [*found, *out]):
                    out.append(Finding("toxicity", start, end, text[start:end], "insult", "block", 0.9,
                                       f"“{text[start:end]}” is an insult in this language ({code}).",
                                       ("Rephrase calmly and focus on the fix.",)))
        return out

    @staticmethod
    def _patterns(text: str) -> list[Finding]:
        """Return put-down, threat and identity-attack findings outside idioms."""
        idioms = [(m.start(), m.end()) for m in IDIOMS.finditer(text)]
        found: list[Finding] = []
        for label, severity, pattern in PATTERNS:
            for m in pattern.finditer(text):
                if any(s <= m.start() < e for s, e in idioms) or any(
                        f.start < m.end() and m.start() < f.end for f in found):
                    continue  # inside an idiom, or part of a jab already found
                found.append(Finding("toxicity", m.start(), m.end(), m.group(), label, severity, 1.0,
                                     MESSAGES[label], ("Rephrase without the jab.",)))
        return found

    @staticmethod
    def _narrow(sentence: str, ctx: CheckContext, warn: float, lang: str | None) -> tuple[int, int]:
        """Find the words whose removal makes the sentence clean: occlusion, one word at a time."""
        words = [(m.start(), m.end()) for m in _WORD.finditer(sentence) if m.group().strip()]
        if len(words) < 2:
            return 0, 0
        variants = [sentence[:s] + " " * (e - s) + sentence[e:] for s, e in words]
        results = _score(variants, ctx, lang)
        clean = [w for w, r in zip(words, results, strict=True) if r.toxicity.score < warn]
        if len(clean) != 1:
            return 0, 0
        start, end = clean[0]
        while end > start and not sentence[end - 1].isalnum():
            end -= 1
        return start, end

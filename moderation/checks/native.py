"""Toxicity of a non-English reply read by the multilingual heads of its own language."""

from __future__ import annotations

from typing import Any

from moderation.carecues import owns_problem, praises
from moderation.findings import Finding
from moderation.langid import UNKNOWN
from moderation.policy import ToxicityPolicy
from moderation.putdowns import put_down_spans
from moderation.replyhead import reply_insult
from moderation.scores import get_scorer


def native_heads(lang: str, scorer: str | None) -> Any:
    """The multilingual heads when they read `lang` (a language other than English), else None."""
    if lang in ("en", UNKNOWN):
        return None
    heads = getattr(get_scorer(scorer), "multi", None)
    return heads if heads is not None and lang in heads.languages else None


def native_findings(text: str, spans: list[tuple[int, int]], sentences: list[str], chunks: list[list[int]],
                    lang: str, heads: Any, limits: ToxicityPolicy, found: list[Finding]) -> list[Finding]:
    """Chunks of sentences (`sentences[i]` is `text` at `spans[i]`, idioms blanked) that the heads find toxic.

    `score()` would identify each sentence again, and a short one often comes out as a neighbour (Catalan
    for Spanish, Tajik for Bulgarian) that the English model then reads; the check already knows the
    language. The heads learnt from whole posts, so they judge chunks, not lone pleasantries ("Por nada!"),
    and the finding sits on the chunk's most toxic sentence, unless that sentence owns the customer's problem
    (`moderation.carecues`) and the score stays under the block level, or the reply-insult head
    (`moderation.replyhead`) reads the whole reply and that sentence as plainly benign. That head also flags,
    at warn level, a reply the heads let through ("Vous savez lire, j'espère ?").
    """
    # toxicity only: the sentiment adapter (moderation.e5graph) would cost a second graph per chunk for nothing
    _, chunk_tox = heads.predict([" ".join(sentences[i] for i in c) for c in chunks], [lang] * len(chunks),
                                 adapted=False)
    reply = reply_insult(text, lang)
    out: list[Finding] = []
    for chunk, prob in zip(chunks, chunk_tox.tolist(), strict=True):
        if prob < limits.warn:
            continue
        worst = chunk[0]
        if len(chunk) > 1:
            _, tox = heads.predict([sentences[i] for i in chunk], [lang] * len(chunk), adapted=False)
            worst = chunk[int(tox.argmax())]
        if _vetoed(reply, sentences[worst], text, lang):
            continue
        start, end = spans[worst]
        if any(f.start < end and start < f.end for f in [*found, *out]):
            continue
        if prob < limits.block and (owns_problem(sentences[worst], lang) or praises(sentences[worst], lang)):
            continue
        out.append(Finding("toxicity", start, end, text[start:end], "insult",
                           "block" if prob >= limits.block else "warn", round(prob, 4),
                           f"This reads as insulting or hostile (insult, toxicity {prob:.0%}).",
                           ("Rephrase calmly and focus on the fix.",)))
    return out + _reply_finding(text, spans, sentences, lang, reply, [*found, *out])


def _vetoed(reply: Any, sentence: str, text: str, lang: str) -> bool:
    """True when the reply-insult head reads the whole reply as plainly benign and the flagged sentence alone
    not as an insult.

    The sentence is read again because a long courteous reply dilutes one insulting sentence in the whole
    reply's score; only a sentence that reaches the flagging threshold on its own overrides the veto, since
    warm slang ("t'es une bête !") reads rougher alone than in its reply."""
    if reply is None or reply[0] >= reply[1].veto_below:
        return False
    if sentence.strip() == text.strip():
        return True
    alone = reply_insult(sentence, lang)
    return alone is None or alone[0] < alone[1].threshold


def _reply_finding(text: str, spans: list[tuple[int, int]], sentences: list[str], lang: str, reply: Any,
                   found: list[Finding]) -> list[Finding]:
    """A warn-level finding on the whole reply when the reply-insult head reads it as an insult, no toxicity
    finding covers it yet, and not every sentence owns the customer's problem or praises them (the excuse the
    chunks get)."""
    if reply is None or reply[0] < reply[1].threshold or any(f.check == "toxicity" for f in found):
        return []
    if all(owns_problem(s, lang) or praises(s, lang) for s in sentences):
        return []
    start, end = spans[0][0], spans[-1][1]
    return [Finding("toxicity", start, end, text[start:end], "insult", "warn", round(reply[0], 4),
                    f"This reply reads as belittling or dismissive to the customer (reply model {reply[0]:.0%}).",
                    ("Rephrase calmly and focus on the fix.",))]


def native_put_downs(text: str, lang: str, found: list[Finding]) -> list[Finding]:
    """Warn-level findings for the language's put-down phrases (moderation.putdowns) not already covered."""
    out: list[Finding] = []
    for start, end in put_down_spans(text, lang):
        if not any(f.start < end and start < f.end for f in [*found, *out]):
            out.append(Finding("toxicity", start, end, text[start:end], "put_down", "warn", 1.0,
                               "This reads as a condescending put-down of the customer.",
                               ("Rephrase without the jab.",)))
    return out

"""Toxicity check: score each sentence and flag the ones over the policy thresholds."""

from __future__ import annotations

import re

from moderation.checks.base import Check, CheckContext
from moderation.findings import Finding
from moderation.scores import score

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


class ToxicityCheck(Check):
    """Flag sentences whose toxicity probability crosses the warn/block thresholds."""

    name = "toxicity"

    def analyze(self, text: str, ctx: CheckContext) -> list[Finding]:
        """Return one finding per toxic sentence."""
        spans = [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]
        if not spans:
            return []
        results = score([text[s:e] for s, e in spans], backend=ctx.policy.scorer)
        findings = []
        limits = ctx.policy.toxicity
        for (start, end), res in zip(spans, results, strict=True):
            prob = res.toxicity.score
            if prob < limits.warn:
                continue
            # Trim surrounding whitespace so the span is exactly the sentence.
            while start < end and text[start].isspace():
                start += 1
            severity = "block" if prob >= limits.block else "warn"
            findings.append(Finding(
                "toxicity", start, end, text[start:end], "toxic", severity, round(prob, 4),
                f"This sentence reads as insulting or hostile (toxicity {prob:.0%}).",
                ("Rephrase calmly and focus on the fix.",),
            ))
        return findings

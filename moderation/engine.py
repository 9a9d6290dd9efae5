"""Run the configured checks over a draft and produce one verdict."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from moderation.checks import CHECKS, Check, CheckContext
from moderation.findings import Finding, Verdict, action_for
from moderation.policy import Policy
from moderation.text_spans import overlaps, protected_spans

_instances: dict[str, Check] = {}
_lock = threading.Lock()


def _get(name: str) -> Check:
    """Return the loaded singleton for a check name."""
    with _lock:
        if name not in _instances:
            inst = CHECKS[name]()
            inst.load()
            _instances[name] = inst
        return _instances[name]


def warm(names: list[str] | None = None, languages: Sequence[str] = ()) -> None:
    """Load every check (models, word lists, indexes) now, so the first real check is fast.

    `languages`: the languages the team answers in; what a first draft in each would load is loaded too,
    so a French team's first French draft is as fast as an English one.
    """
    for name in names or list(CHECKS):
        check = _get(name)
        check.warm()
        for lang in dict.fromkeys(languages):
            check.warm_language(lang)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """Drop findings wholly inside a more severe (or equal, longer) finding of the same check."""
    ranked = sorted(findings, key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Finding] = []
    for f in ranked:
        if any(k.check == f.check and k.start <= f.start and f.end <= k.end and k != f for k in kept):
            continue
        kept.append(f)
    return kept


def apply_fixes(text: str, findings: list[Finding]) -> str:
    """Apply safe fixes: redact personal data, correct confident typos (spelling at `warn`).

    A fix never touches a handle, link, email or hashtag: changing one silently addresses someone else.
    """
    keep = protected_spans(text, signatures=False)
    safe = [f for f in findings if f.suggestions and not overlaps(keep, f.start, f.end) and (
        f.check == "pii" or (f.check == "spelling" and f.severity == "warn"))]
    chosen: list[Finding] = []
    # Redactions first: a typo fix inside a redacted value ("jane at gmial dot com") is dropped.
    for f in sorted(safe, key=lambda f: (f.check != "pii", f.start)):
        if not any(c.start < f.end and f.start < c.end for c in chosen):
            chosen.append(f)
    out = text
    for f in sorted(chosen, key=lambda f: f.start, reverse=True):
        out = out[: f.start] + f.suggestions[0] + out[f.end :]
    return out


def check(
    text: str, *, platform: str = "x", policy: Policy | None = None, context: dict[str, Any] | None = None
) -> Verdict:
    """Check a draft reply and return the verdict with located findings."""
    policy = policy or Policy()
    ctx = CheckContext(platform=platform, policy=policy, mention=context)
    findings: list[Finding] = []
    for name in policy.checks:
        if name in CHECKS:
            findings.extend(_get(name).analyze(text, ctx))
    findings = _dedupe(findings)
    findings.sort(key=lambda f: (f.start, f.end))
    fixed = apply_fixes(text, findings)
    return Verdict(action=action_for(findings), findings=tuple(findings), fixed_text=fixed)

"""Value objects returned by moderation checks."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SEVERITIES = ("info", "warn", "block")
ACTIONS = ("pass", "warn", "block")
CHECK_NAMES = ("toxicity", "spelling", "pii", "policy", "tone", "integrity")


@dataclass(frozen=True)
class Finding:
    """One problem found in a draft, located by character offsets into the input."""

    check: str
    start: int
    end: int
    text: str
    label: str
    severity: str
    score: float
    message: str
    suggestions: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        data = asdict(self)
        data["suggestions"] = list(self.suggestions)
        return data


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one draft."""

    action: str
    findings: tuple[Finding, ...]
    fixed_text: str

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "action": self.action,
            "findings": [f.to_dict() for f in self.findings],
            "fixed_text": self.fixed_text,
        }


def action_for(findings: tuple[Finding, ...] | list[Finding]) -> str:
    """Return the verdict action implied by the most severe finding."""
    worst = max((SEVERITIES.index(f.severity) for f in findings), default=0)
    return "pass" if worst == 0 else ACTIONS[worst]

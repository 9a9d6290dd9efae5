"""The moderation policy: which checks run and how strictly (the `moderation:` block of rules.yaml)."""

from __future__ import annotations

import difflib

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Strict(BaseModel):
    """Base for rules models: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ToxicityPolicy(Strict):
    """Toxicity thresholds on the scorer's probability."""

    warn: float = Field(0.5, ge=0.0, le=1.0, description="Probability at which a reply gets a warning.")
    block: float = Field(0.8, ge=0.0, le=1.0, description="Probability at which a reply is blocked.")


class SupportContacts(Strict):
    """The brand's own public contact points, which are never personal-data leaks."""

    phones: list[str] = Field(default_factory=list, description="Public support phone numbers.")
    emails: list[str] = Field(default_factory=list, description="Public support email addresses.")
    urls: list[str] = Field(default_factory=list, description="Public help-centre URLs.")


class Policy(Strict):
    """What the reply checker enforces for one brand."""

    checks: list[str] = Field(
        default_factory=lambda: ["toxicity", "spelling", "pii", "policy", "tone"],
        description="Checks that run on every draft.",
    )
    toxicity: ToxicityPolicy = Field(default_factory=ToxicityPolicy, description="Toxicity thresholds.")
    banned_phrases: list[str] = Field(default_factory=list, description="Phrases an agent must never post.")
    dictionary: list[str] = Field(
        default_factory=list, description="Brand names, products and jargon the spell checker accepts."
    )
    allowed_link_domains: list[str] = Field(
        default_factory=list, description="Domains replies may link to; other links get a warning."
    )
    support: SupportContacts = Field(
        default_factory=SupportContacts, description="The brand's own public contacts, never flagged as leaks."
    )
    scorer: str = Field("lexicon", description="Scoring backend name (see `repguard score`).")

    @field_validator("checks")
    @classmethod
    def _known_checks(cls, value: list[str]) -> list[str]:
        from moderation.checks import CHECKS

        for name in value:
            if name not in CHECKS:
                hint = difflib.get_close_matches(name, list(CHECKS), n=1)
                did = f"; did you mean {hint[0]!r}?" if hint else ""
                raise ValueError(f"unknown check {name!r}{did} (available: {', '.join(sorted(CHECKS))})")
        return value

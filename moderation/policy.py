"""The moderation policy: which checks run and how strictly (the `moderation:` block of rules.yaml)."""

from __future__ import annotations

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
    toxicity: ToxicityPolicy = Field(default_factory=ToxicityPolicy)
    banned_phrases: list[str] = Field(default_factory=list, description="Phrases an agent must never post.")
    dictionary: list[str] = Field(
        default_factory=list, description="Brand names, products and jargon the spell checker accepts."
    )
    allowed_link_domains: list[str] = Field(
        default_factory=list, description="Domains replies may link to; other links get a warning."
    )
    support: SupportContacts = Field(default_factory=SupportContacts)
    scorer: str | None = Field(
        None, description="Scoring backend (see `repguard score`); unset: $REPGUARD_SCORER or the default."
    )

    @field_validator("checks")
    @classmethod
    def _known_checks(cls, value: list[str]) -> list[str]:
        from moderation.checks import CHECKS

        unknown = [c for c in value if c not in CHECKS]
        if unknown:
            raise ValueError(f"unknown check {unknown[0]!r}; available: {', '.join(sorted(CHECKS))}")
        return value

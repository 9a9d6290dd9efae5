"""The moderation policy: which checks run and how strictly (the `moderation:` block of rules.yaml)."""

from __future__ import annotations

import difflib

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Strict(BaseModel):
    """Base for rules models: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ToxicityPolicy(Strict):
    """Toxicity thresholds on the scorer's probability."""

    warn: float = Field(
        default=0.5, ge=0.0, le=1.0, description="Probability at which a reply gets a warning."
    )
    block: float = Field(default=0.8, ge=0.0, le=1.0, description="Probability at which a reply is blocked.")


class SupportContacts(Strict):
    """The brand's own public contact points, which are never personal-data leaks."""

    phones: list[str] = Field(default_factory=list, description="Public support phone numbers.")
    emails: list[str] = Field(default_factory=list, description="Public support email addresses.")
    urls: list[str] = Field(
        default_factory=list,
        description="Public help-centre URLs; their hosts count as allowed link and email domains.",
    )


class PiiPolicy(Strict):
    """Which personal data is reported, how severely, and how it is redacted in `fixed_text`."""

    block: list[str] = Field(
        default_factory=lambda: ["CREDIT_CARD", "US_SSN", "IBAN_CODE", "EMAIL_ADDRESS", "PHONE_NUMBER",
                                 "STREET_ADDRESS", "NATIONAL_ID", "BANK_ACCOUNT"],
        description="Presidio entity names that block a reply.",
    )
    warn: list[str] = Field(
        default_factory=lambda: ["IP_ADDRESS", "PERSON", "CRYPTO"],
        description="Presidio entity names that only warn (a full name, an IP address).",
    )
    min_score: float = Field(
        default=0.4, ge=0.0, le=1.0, description="Lowest recognizer confidence reported."
    )
    regions: list[str] = Field(
        default_factory=list,
        description="Countries (ISO 3166 codes) whose phone formats are tried for numbers without a country "
        "code, first one first; empty = a built-in list of 15.",
    )
    redaction: str = Field(
        default="[{label}]", description="Replacement text in `fixed_text`; `{label}` is the entity."
    )


class SpellingPolicy(Strict):
    """How the spell checker behaves."""

    autofix: bool = Field(default=True, description="Apply confident corrections in `fixed_text`.")
    min_margin: float = Field(
        default=1.5, ge=0.0,
        description="How far (log10 units) the best correction must beat the next to count as sure.",
    )


class TonePolicy(Strict):
    """Tone rules: blaming the customer, shouting, promises the brand does not make."""

    forbidden_promises: list[str] = Field(
        default_factory=lambda: ["we guarantee", "we promise", "will never happen again", "100% sure"],
        description="Promises agents must not make; matched case-insensitively on word boundaries.",
    )
    shouting_words: int = Field(
        default=3, ge=1,
        description="Consecutive ALL-CAPS words (outside the dictionary) that count as shouting.",
    )
    blame: bool = Field(
        default=True, description="Warn on phrases that blame the customer (\"you should have read\")."
    )


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
    pii: PiiPolicy = Field(default_factory=PiiPolicy, description="Personal-data rules.")
    spelling: SpellingPolicy = Field(default_factory=SpellingPolicy, description="Spell-checker rules.")
    tone: TonePolicy = Field(default_factory=TonePolicy, description="Tone rules.")
    languages: list[str] = Field(
        default_factory=lambda: ["en"],
        description="Languages the team answers in (ISO 639-1), first = default; short or unclear drafts "
        "are checked in these.",
    )
    scorer: str | None = Field(
        default=None, description="Scoring backend (see `repguard score`); unset: $REPGUARD_SCORER or the default."
    )

    @field_validator("checks")
    @classmethod
    def _known_checks(cls, value: list[str]) -> list[str]:
        """Reject check names that are not registered."""
        from moderation.checks import CHECKS

        for name in value:
            if name not in CHECKS:
                hint = difflib.get_close_matches(name, list(CHECKS), n=1)
                did = f"; did you mean {hint[0]!r}?" if hint else ""
                raise ValueError(f"unknown check {name!r}{did} (available: {', '.join(sorted(CHECKS))})")
        return value

"""rules.yaml sections for the care team: teams and assignment, case types, promises, notifications."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Strict(BaseModel):
    """Unknown keys are errors (as everywhere in rules.yaml)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Team(Strict):
    """A group of agents who share queues or languages; new cases are assigned among its members."""

    name: str = Field(description="Team name shown on cases.")
    members: list[str] = Field(default_factory=list, description="Usernames of the team's agents.")
    queues: list[str] = Field(default_factory=list, description="Queues the team works (empty = any).")
    languages: list[str] = Field(default_factory=list, description="Languages the team answers (empty = any).")
    assignment: Literal["round-robin", "manual"] = Field(
        "round-robin", description="round-robin: each new case goes to the member who waited longest for one; "
        "manual: cases wait unassigned.")


class Notify(Strict):
    """Slack channels per notification (in-app notifications are always on)."""

    draft_waiting: list[str] = Field(default_factory=list, description="Channels told a draft waits for approval.")
    draft_rejected: list[str] = Field(default_factory=list, description="Channels told a draft was rejected.")
    sla_near: list[str] = Field(default_factory=list, description="Channels told a case is about to breach.")
    sla_breach: list[str] = Field(default_factory=list, description="Channels told a case breached its SLA.")
    escalation: list[str] = Field(default_factory=list, description="Channels told about escalated cases.")


class Care(Strict):
    """How the care team works cases: types, close reasons, promises to customers, notifications."""

    case_types: list[str] = Field(default_factory=lambda: ["question", "complaint", "billing", "outage",
                                                             "privacy", "praise"], description="Case types.")
    close_reasons: list[str] = Field(default_factory=lambda: ["answered", "resolved", "no reply needed",
                                                                "duplicate", "spam"], description="Close reasons.")
    promise: dict[str, str] = Field(
        default_factory=lambda: {"urgent": "an hour", "high": "a few hours", "normal": "a working day",
                                 "low": "two working days"},
        description="Public wording of the response time per priority, filled into \"within {promise}\" "
        "(and {sla}); never the internal SLA.")
    promise_translations: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="Language code → the promise wording per priority in that language, "
        "used in template translations.")
    near_breach_minutes: int = Field(10, ge=1, description="Warn this many minutes before a case breaches.")
    escalation_queues: list[str] = Field(default_factory=lambda: ["escalations", "privacy"],
                                         description="New cases in these queues notify approvers.")
    notify: Notify = Field(default_factory=Notify, description="Slack channels per notification.")

    @field_validator("promise")
    @classmethod
    def _priorities(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - {"urgent", "high", "normal", "low"})
        if unknown:
            raise ValueError(f"unknown priority {unknown[0]!r} (use urgent, high, normal, low)")
        return value


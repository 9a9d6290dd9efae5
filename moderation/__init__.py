"""Pure text library: scoring (sentiment, toxicity, language) and reply moderation."""

from __future__ import annotations

from moderation.embed import embed
from moderation.engine import check
from moderation.findings import Finding, Verdict
from moderation.policy import Policy
from moderation.scores import Scores, score

__all__ = ["Finding", "Policy", "Scores", "Verdict", "check", "embed", "score"]

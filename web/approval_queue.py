"""The approval queue's order (SLA first, then priority and reach) and findings marked in the draft text."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Flask
from markupsafe import Markup, escape
from sqlalchemy import Select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import contains_eager, joinedload

from monitor.models import Case, Draft, Mention

S = TypeVar("S", bound=Select)  # type: ignore[type-arg]
PRIORITY_RANK = sql_case({"urgent": 0, "high": 1, "normal": 2, "low": 3}, value=Case.priority, else_=4)


def queue_order(stmt: S) -> S:
    """Order drafts by their case's SLA due time, then priority, then the author's reach."""
    return (stmt.join(Case, Case.id == Draft.case_id).join(Mention, Mention.id == Case.mention_id)
            .options(contains_eager(Draft.case).contains_eager(Case.mention), joinedload(Draft.author))
            .order_by(Case.sla_due_at, PRIORITY_RANK, Mention.author_followers.desc(), Draft.id))


def mark_findings(text: str, findings: list[dict[str, Any]] | None) -> Markup:
    """Escape the draft text and wrap each finding's span in <mark> (overlaps keep the first)."""
    spans = sorted((int(f.get("start", 0)), int(f.get("end", 0)), str(f.get("severity", "")), str(f.get("check", "")))
                   for f in findings or [] if 0 <= int(f.get("start", 0)) < int(f.get("end", 0)) <= len(text))
    out, pos = [], 0
    for start, end, severity, check in spans:
        if start < pos:
            continue
        out.append(str(escape(text[pos:start])))
        out.append(f'<mark class="finding {escape(severity)}" data-check="{escape(check)}" '
                   f'title="{escape(check)}">{escape(text[start:end])}</mark>')
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))  # noqa: S704 - every piece was escaped above


def init_app(app: Flask) -> None:
    """Register the findings filter."""
    app.add_template_filter(mark_findings, "mark_findings")

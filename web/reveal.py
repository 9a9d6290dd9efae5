"""Reveal a case's masked personal data to an approver or admin, one click, recorded in the audit log."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g

from monitor.models import Case
from monitor.replies import audit
from web import cases
from web.auth import me, role_required
from web.database import db, get_or_404

bp = Blueprint("privacy", __name__)


@bp.post("/cases/<int:case_id>/reveal")
@role_required("approver")
def reveal(case_id: int) -> Any:
    """Show the case page once with the mention's personal data unmasked; audit who saw it."""
    item = get_or_404(Case, case_id)
    audit(db(), me(), "reveal_pii", item, mention=item.mention_id)
    db().commit()
    g.reveal_mention = item.mention_id  # this response only: a reload shows the masked text again
    return cases.show(case_id)

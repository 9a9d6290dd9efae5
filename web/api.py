"""JSON API used by the draft editor: live moderation and platform character counts."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request

from moderation import check
from monitor.models import Case
from monitor.reply_gates import check_context, gate_policy
from web.auth import role_required
from web.database import db, rules
from web.security import MAX_ID, encodable
from web.textcount import measure

bp = Blueprint("api", __name__, url_prefix="/api")
MAX_DRAFT = 10_000


@bp.post("/check")
@role_required("agent")
def check_draft() -> Any:
    """Check a draft text live; return the verdict and the platform's character count as JSON."""
    payload = request.get_json(silent=True)
    text = payload.get("text") if isinstance(payload, dict) else None
    if not isinstance(text, str) or len(text) > MAX_DRAFT or not encodable(text):
        message = f'send JSON {{"text": "...", "case_id": 1}} with at most {MAX_DRAFT} characters of valid Unicode'
        return jsonify(error=message), 400
    assert isinstance(payload, dict)
    platform = str(payload.get("platform") or "x")[:32]
    platform = platform if encodable(platform) else "x"
    context = None
    case_id = payload.get("case_id")
    case_id = case_id if type(case_id) is int and 0 < case_id <= MAX_ID else None
    if case_id is not None and (item := db().get(Case, case_id)) is not None:
        platform = item.mention.platform
        context = check_context(item)  # the same context as the submit and approve gates
    verdict = check(text, platform=platform, policy=gate_policy(rules().moderation), context=context)
    return jsonify(**verdict.to_dict(), length=measure(text, platform).to_dict())

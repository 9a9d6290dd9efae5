"""Retention and erasure: purge mention text and author data, keep cases, scores and counts."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from monitor.context import Context
from monitor.models import Case, Draft, Mention
from monitor.replies import audit

BATCH = 500


def scrub(mention: Mention, now: datetime) -> None:
    """Remove what identifies the author or repeats their words; platform, ids, times and scores stay."""
    mention.text = ""
    mention.author_id = mention.author_handle = mention.author_name = ""
    mention.author_followers = 0
    mention.url = ""
    mention.raw = {}
    mention.pii_spans = []
    mention.purged_at = now


def purge_expired(ctx: Context) -> int:
    """Purge one batch of mentions older than `retention.mention_days`; return how many were purged."""
    days = ctx.rules.retention.mention_days
    if not days:
        return 0
    now = ctx.now()
    with ctx.sessions() as session, session.begin():
        stmt = (select(Mention).where(Mention.created_at < now - timedelta(days=days), Mention.purged_at.is_(None))
                .order_by(Mention.id).limit(BATCH))
        mentions = list(session.scalars(stmt))
        for mention in mentions:
            scrub(mention, now)
        if mentions:
            audit(session, None, "retention_purge", None, mentions=len(mentions), days=days)
        return len(mentions)


def _redact_handle(text: str, handle: str) -> str:
    """Replace @handle (any case) in our own drafts with a neutral marker."""
    return re.sub(rf"@{re.escape(handle)}\b", "@[erased]", text, flags=re.IGNORECASE) if handle else text


def erase_author(session: Session, platform: str, handle: str, now: datetime) -> int:
    """Remove one person's data everywhere (their mentions, their handle in our drafts); return mentions erased."""
    handle = handle.strip().removeprefix("@")
    lowered = handle.lower()
    mentions = list(session.scalars(select(Mention).where(
        Mention.platform == platform,
        or_(func.lower(Mention.author_handle) == lowered, Mention.author_id == handle))))
    ids = [m.id for m in mentions]
    handles = {m.author_handle for m in mentions} | {handle}
    if ids:
        case_ids = select(Case.id).where(Case.mention_id.in_(ids))
        for draft in session.scalars(select(Draft).where(Draft.case_id.in_(case_ids))):
            for h in handles:
                draft.text = _redact_handle(draft.text, h)
            draft.verdict = {}
    for mention in mentions:
        scrub(mention, now)
    # The audit trail says that an erasure happened, never whose: a hash lets a later request be matched.
    digest = hashlib.sha256(f"{platform}:{lowered}".encode()).hexdigest()[:16]
    audit(session, None, "erase", None, platform=platform, mentions=len(ids), subject=digest)
    return len(ids)

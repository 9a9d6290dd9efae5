"""The checks a reply passes at every gate: same wording, moderation with the rules in force, one public reply."""

from __future__ import annotations

import difflib
import hashlib
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from moderation import check
from moderation.findings import Verdict
from moderation.policy import Policy
from monitor.models import Case, Draft, DraftVersion, Mention, Post, User
from monitor.sources import SOURCES

LIVE_POSTS = ("queued", "sending", "posted", "unknown")  # a cancelled or failed post answered nobody


def content_hash(text: str, private: bool) -> str:
    """Name one exact wording (and route) of a reply: what an approver saw is what gets posted."""
    return hashlib.sha256(f"{'private' if private else 'public'}\n{text}".encode()).hexdigest()


def gate_policy(policy: Policy) -> Policy:
    """The configured checks plus the integrity check, which no rules file can switch off at a gate."""
    if "integrity" in policy.checks:
        return policy
    return policy.model_copy(update={"checks": [*policy.checks, "integrity"]})


def check_context(case: Case, link_hosts: list[str] | None = None) -> dict[str, Any]:
    """What the checks need to know about the post being answered."""
    mention = case.mention
    cls = SOURCES.get(mention.platform)
    own = list(cls.trusted_hosts) if cls else []  # the platform's own hosts (e.g. a DM deep link) are fine
    return {"text": mention.text, "author": mention.author_handle, "lang": mention.language,
            "link_hosts": [*own, *(link_hosts or [])]}


def recheck(text: str, case: Case, policy: Policy) -> Verdict:
    """Run the moderation check on a reply with the rules in force now."""
    return check(text, platform=case.mention.platform, policy=gate_policy(policy), context=check_context(case))


def blocking(verdict: Verdict) -> list[dict[str, Any]]:
    """The blocking findings of a verdict as small, comparable records."""
    return [{"check": f.check, "label": f.label, "text": f.text} for f in verdict.findings if f.severity == "block"]


def unoverridable(verdict: Verdict) -> list[str]:
    """Messages of blocking findings no override may wave through (placeholders, changed handles, links)."""
    return [f"{f.text}: {f.message}" for f in verdict.findings if f.check == "integrity" and f.severity == "block"]


def describe(findings: list[dict[str, Any]]) -> str:
    """Say which blocking findings a verdict has, in a line."""
    return "; ".join(f"{f['check']} {f['label']} “{f['text']}”" for f in findings)


def authors(session: Session, draft: Draft) -> list[User]:
    """Everyone who wrote any version of the draft, first author first."""
    stmt = (select(User).join(DraftVersion, DraftVersion.author_id == User.id)
            .where(DraftVersion.draft_id == draft.id).order_by(DraftVersion.number))
    seen: dict[int, User] = {}
    for user in session.scalars(stmt):
        seen.setdefault(user.id, user)
    return list(seen.values()) or [draft.author]


def changes(session: Session, draft: Draft) -> list[tuple[str, str]]:
    """Word-level changes from the previous version to the current one: ("=", "+" or "-", text)."""
    if draft.version < 2:
        return []
    before = session.scalars(select(DraftVersion.text).where(DraftVersion.draft_id == draft.id,
                                                             DraftVersion.number == draft.version - 1)).first()
    old, new = (before or "").split(" "), draft.text.split(" ")
    out: list[tuple[str, str]] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            out.append(("-", " ".join(old[a1:a2])))
        if op in ("insert", "replace"):
            out.append(("+", " ".join(new[b1:b2])))
        if op == "equal":
            out.append(("=", " ".join(old[a1:a2])))
    return out


def first_public_reply(session: Session, draft: Draft) -> Post | None:
    """A live public reply of ours to the same post, from another draft (one public reply per conversation)."""
    return None if draft.private else public_reply_to(session, draft.case, draft.id)


def public_reply_to(session: Session, case: Case, other_than: int | None = None) -> Post | None:
    """Our first live public reply in the conversation: this post, or the same author's posts in its thread."""
    m = case.mention
    thread = m.thread_id or m.external_id
    same_talk = or_(Case.mention_id == m.id, and_(
        Mention.platform == m.platform, Mention.author_handle == m.author_handle,
        or_(Mention.thread_id == thread, Mention.external_id == thread)))
    stmt = (select(Post).join(Draft, Draft.id == Post.draft_id).join(Case, Case.id == Post.case_id)
            .join(Mention, Mention.id == Case.mention_id)
            .where(same_talk, Draft.private.is_(False), Post.status.in_(LIVE_POSTS))
            .order_by(Post.id))
    if other_than is not None:
        stmt = stmt.where(Draft.id != other_than)
    return session.scalars(stmt).first()


def private_supported(case: Case) -> bool:
    """Whether the platform has private replies (a replay of Bluesky data has none either)."""
    mention = case.mention
    cls = SOURCES.get(mention.platform) or SOURCES.get(mention.source)
    return bool(cls.supports_private_reply) if cls is not None else True


def final_gate(post: Post, policy: Policy) -> str:
    """Why a claimed post must not go out now ("" when it may): wording changed or a new block appeared."""
    draft = post.draft
    if post.version_hash and content_hash(draft.text, draft.private) != post.version_hash:
        return "the reply's text changed after approval; it needs a new approval"
    verdict = recheck(draft.text, draft.case, policy)
    stopped = unoverridable(verdict)
    if stopped:
        return "blocked before posting: " + "; ".join(stopped)
    waved = post.overridden or []
    new = [f for f in blocking(verdict) if f not in waved]
    return f"blocked before posting by the rules in force: {describe(new)}" if new else ""

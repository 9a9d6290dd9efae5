"""Stage 3: match scored mentions against the routing rules; open cases and queue alerts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation import check
from moderation.scores import supported_languages
from monitor.assign import assign_new
from monitor.context import Context, claimable
from monitor.incidents import absorb
from monitor.models import AlertDelivery, Case, Mention, Score
from monitor.rules import Route, Rules


def exposes_personal_data(text: str, rules: Rules) -> bool:
    """Whether a post carries personal data that should not stay public (the moderation PII check, blocking)."""
    policy = rules.moderation.model_copy(update={"checks": ["pii"]})
    return any(f.severity == "block" for f in check(text, policy=policy).findings)


def unsupported_language(language: str | None, backend: str | None) -> bool:
    """Whether the scorer that scored a mention cannot read its language (unknown counts as read: it was scored)."""
    if not language or language in ("unknown", "und"):
        return False
    return language not in supported_languages(backend or None)


def matches(route: Route, mention: Mention, score: Score, pii: Callable[[], bool] = lambda: False) -> bool:
    """Whether every condition of a routing rule holds for a scored mention."""
    w = route.when
    language = score.language or mention.language
    checks = [
        not w.sentiment or score.sentiment in w.sentiment,
        score.toxicity >= w.toxicity_min,
        score.negative >= w.negative_min,
        not w.sources or mention.source in w.sources or mention.platform in w.sources,
        not w.brands or mention.brand in w.brands,
        not w.languages or language in w.languages,
        mention.author_followers >= w.min_followers,
        not w.language_unsupported or unsupported_language(language, score.backend),
    ]
    # The PII scan is the slow condition: run it last and only when a rule asks.
    return all(checks) and (not w.personal_data or pii())


def first_match(rules: Rules, mention: Mention, score: Score) -> Route | None:
    """Return the first routing rule that matches, or None."""
    found: list[bool] = []

    def pii() -> bool:
        if not found and mention.pii_spans is not None:  # stored at scoring: no second scan
            found.append(any(s.get("severity") == "block" for s in mention.pii_spans))
        if not found:
            found.append(exposes_personal_data(mention.text, rules))
        return found[0]

    return next((r for r in rules.routing if matches(r, mention, score, pii)), None)


def explain(route: Route, mention: Mention, score: Score) -> dict[str, Any]:
    """Say why a rule matched: each condition it sets, with the value that met it."""
    w, language = route.when, score.language or mention.language
    held = [
        (bool(w.sentiment), f"sentiment {score.sentiment} is one of {', '.join(w.sentiment)}"),
        (w.toxicity_min > 0, f"toxicity {score.toxicity:.2f} ≥ {w.toxicity_min:.2f}"),
        (w.negative_min > 0, f"negative {score.negative:.2f} ≥ {w.negative_min:.2f}"),
        (bool(w.sources), f"source {mention.platform} is one of {', '.join(w.sources)}"),
        (bool(w.brands), f"brand {mention.brand} is one of {', '.join(w.brands)}"),
        (bool(w.languages), f"language {language} is one of {', '.join(w.languages)}"),
        (w.min_followers > 0, f"{mention.author_followers:,} followers ≥ {w.min_followers:,}"),
        (w.personal_data, "the post exposes personal data"),
    ]
    return {"rule": route.name, "conditions": [text for given, text in held if given] or ["matches everything"],
            "scores": {"sentiment": score.sentiment, "negative": round(score.negative, 3),
                       "toxicity": round(score.toxicity, 3), "language": language,
                       "followers": mention.author_followers}}


def _open_case(session: Session, ctx: Context, mention: Mention, route: Route, score: Score) -> Case:
    now = ctx.now()
    # The customer has waited since they posted: an old post collected late is due (or overdue) already.
    start = min(now, mention.created_at) if mention.created_at else now
    case = Case(
        mention_id=mention.id, rule=route.name, queue=route.then.queue, priority=route.then.priority,
        state="new", created_at=now, why=explain(route, mention, score),
        sla_due_at=start + timedelta(minutes=ctx.rules.sla_minutes(route.then.priority)),
    )
    session.add(case)
    session.flush()
    assign_new(session, ctx.rules, case, score.language or mention.language, now)
    return case


def route_pending(ctx: Context) -> int:
    """Route one batch of scored mentions; case, alerts and stage change commit together."""
    with ctx.sessions() as session, session.begin():
        stmt = select(Mention).where(Mention.stage == "scored").order_by(Mention.id)
        mentions = list(session.scalars(claimable(stmt, ctx.batch_size)))
        for mention in mentions:
            score = session.scalars(select(Score).where(Score.mention_id == mention.id)).one()
            route = first_match(ctx.rules, mention, score)
            if route is None:
                mention.stage = "ignored"
                continue
            case = _open_case(session, ctx, mention, route, score) if route.then.case else None
            # a mention that joins an open incident is reported in the incident's digest instead
            quiet = absorb(session, ctx, mention, score) is not None and ctx.rules.incidents.suppress_mention_alerts
            for channel in [] if quiet else route.then.slack:
                session.add(AlertDelivery(
                    mention_id=mention.id, case_id=case.id if case else None, channel=channel,
                    next_attempt_at=ctx.now(),
                ))
            mention.stage = "routed"
        return len(mentions)

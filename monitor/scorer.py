"""Stage 2: score collected mentions in batches."""

from __future__ import annotations

from sqlalchemy import select

from moderation import score
from monitor.context import Context, claimable
from monitor.models import Mention, Score
from monitor.privacy import detect


def score_pending(ctx: Context) -> int:
    """Score one batch of collected mentions; return how many were scored."""
    with ctx.sessions() as session, session.begin():
        stmt = select(Mention).where(Mention.stage == "collected").order_by(Mention.id)
        mentions = list(session.scalars(claimable(stmt, ctx.batch_size)))
        if not mentions:
            return 0
        results = score([m.text for m in mentions], backend=ctx.rules.moderation.scorer)
        for m, res in zip(mentions, results, strict=True):
            session.add(Score(
                mention_id=m.id, sentiment=res.sentiment.label,
                negative=res.sentiment.scores.get("negative", 0.0),
                neutral=res.sentiment.scores.get("neutral", 0.0),
                positive=res.sentiment.scores.get("positive", 0.0),
                toxicity=res.toxicity.score, toxicity_labels=dict(res.toxicity.labels),
                language=res.language.code, language_score=res.language.score, backend=res.backend,
            ))
            # Found once here, so routing, alerts and every page mask the same spans.
            m.pii_spans = detect(m.text, ctx.rules.moderation)
            if not m.language:
                m.language = res.language.code
            m.stage = "scored"
        return len(mentions)

"""Daily mention volume by sentiment, rolled up as scores arrive, so charts read a few hundred rows.

The pipeline adds every new score to its day once (a mark records the highest score id counted, and the
mark row is locked while it moves); readers add the scores above the mark themselves, so the figures are
exact even between passes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from monitor.context import Context
from monitor.models import Mention, RollupMark, Score, VolumeDay

MARK = "volume"


def day_of(session: Session, column: Any) -> ColumnElement[str]:
    """The UTC calendar day of a timestamp as YYYY-MM-DD, in the database's own dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD")
    return func.strftime("%Y-%m-%d", column)


def _counts(session: Session, above: int, upto: int | None = None, since: datetime | None = None) -> Any:
    day = day_of(session, Mention.created_at)
    stmt = (select(day, Score.sentiment, func.count()).join(Mention, Mention.id == Score.mention_id)
            .where(Score.id > above).group_by(day, Score.sentiment))
    stmt = stmt.where(Score.id <= upto) if upto is not None else stmt
    stmt = stmt.where(Mention.created_at >= since) if since is not None else stmt
    return session.execute(stmt)


def roll_up(session: Session) -> int:
    """Add the scores above the mark to their days and move the mark; return how many were added."""
    mark = session.get(RollupMark, MARK, with_for_update=True)
    if mark is None:
        mark = RollupMark(name=MARK, upto=0)
        session.add(mark)
    top = session.scalar(select(func.max(Score.id))) or 0
    if top <= mark.upto:
        return 0
    added = 0
    for day, sentiment, n in _counts(session, mark.upto, top):
        row = session.get(VolumeDay, (day, sentiment))
        if row is None:
            session.add(VolumeDay(day=day, sentiment=sentiment, count=int(n)))
        else:
            row.count += int(n)
        added += int(n)
    mark.upto = top
    session.flush()
    return added


def roll_up_pending(ctx: Context) -> int:
    """Pipeline stage: one roll-up in its own transaction."""
    with ctx.sessions() as session, session.begin():
        return roll_up(session)


def volume(session: Session, since: datetime, first_day: str) -> dict[tuple[str, str], int]:
    """Scored mentions per (day, sentiment) from `since`: the rolled-up days plus the scores above the mark."""
    mark = session.scalar(select(RollupMark.upto).where(RollupMark.name == MARK)) or 0
    found: dict[tuple[str, str], int] = {}
    for row in session.scalars(select(VolumeDay).where(VolumeDay.day >= first_day)):
        found[(row.day, row.sentiment)] = row.count
    if (session.scalar(select(func.max(Score.id))) or 0) > mark:  # only then is there a tail to count
        for day, sentiment, n in _counts(session, mark, since=since):
            found[(day, sentiment)] = found.get((day, sentiment), 0) + int(n)
    return found

"""A record the database refuses goes to quarantine; the rest of its batch and the checkpoint are kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from monitor.collector import build_sources, collect, retry_dead_letter
from monitor.context import Context
from monitor.mention import MAX_FOLLOWERS
from monitor.models import DeadLetter, Mention, SourceState, utcnow
from tests.conftest import record, write_jsonl

GOOD = "Acme order arrived, thanks"


def mentions(ctx: Context) -> dict[str, Mention]:
    with ctx.sessions() as s:
        return {m.external_id: m for m in s.scalars(select(Mention))}


def dead(ctx: Context) -> list[DeadLetter]:
    with ctx.sessions() as s:
        return list(s.scalars(select(DeadLetter).order_by(DeadLetter.id)))


def test_edge_values_are_fixed_at_the_edge_and_an_unfit_id_is_quarantined(ctx: Context, tmp_path: Path) -> None:
    recs = [record(1, GOOD), record(2, "Acme \x00null\x00 byte"), record(3, GOOD), record(4, GOOD),
            record(5, GOOD, url="https://x.com/" + "a" * 3000), record(6, GOOD, lang="x" * 40),
            record(7, GOOD, id="9" * 200), record(8, GOOD, in_reply_to="r" * 300), record(9, GOOD)]
    recs[2]["author"]["followers"] = 2**40
    recs[3]["author"]["handle"] = "h" * 400
    recs[1]["author"]["name"] = "bad\x00name"
    write_jsonl(tmp_path / "mentions.jsonl", recs)
    assert collect(ctx, build_sources(ctx)) == 7
    got = mentions(ctx)
    assert sorted(got, key=int) == ["1", "2", "3", "4", "5", "6", "9"]
    assert got["2"].text == "Acme null byte" and got["2"].author_name == "badname"
    assert got["3"].author_followers == MAX_FOLLOWERS
    assert len(got["4"].author_handle) == 255
    assert got["5"].url == "" and got["6"].language == ""
    rows = dead(ctx)
    assert [(r.origin.rsplit("/", 1)[1], r.status) for r in rows] == [
        ("mentions.jsonl:7", "quarantined"), ("mentions.jsonl:8", "quarantined")]
    assert "'external_id' is 200 characters" in rows[0].error and rows[0].external_id == "9" * 200
    assert "'in_reply_to'" in rows[1].error
    with ctx.sessions() as s:
        assert s.get(SourceState, "replay").checkpoint["line"] == 9  # type: ignore[union-attr]


def _refuse(engine: Engine, external_id: str) -> None:
    """Make the database itself refuse one record (a constraint the normalisation cannot know)."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"ALTER TABLE mentions ADD CONSTRAINT no_poison CHECK (external_id <> '{external_id}')"))
        else:
            conn.execute(text("CREATE TRIGGER no_poison BEFORE INSERT ON mentions "
                              f"WHEN NEW.external_id = '{external_id}' BEGIN SELECT RAISE(ABORT, 'poison'); END"))


def _allow(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE mentions DROP CONSTRAINT no_poison" if engine.dialect.name == "postgresql"
                          else "DROP TRIGGER no_poison"))


def test_refused_record_is_quarantined_the_rest_stored_then_retried(ctx: Context, engine: Engine,
                                                                     tmp_path: Path) -> None:
    write_jsonl(tmp_path / "mentions.jsonl", [record(n, f"{GOOD} {n}") for n in range(1, 301)])
    _refuse(engine, "150")
    sources = build_sources(ctx)
    assert collect(ctx, sources) == 299
    assert collect(ctx, sources) == 0  # nothing is read twice, nothing stalls
    [row] = dead(ctx)
    assert row.origin.endswith("mentions.jsonl:150") and row.external_id == "150"
    assert "no_poison" in row.error or "poison" in row.error
    assert '"text": "Acme order arrived, thanks 150"' in row.payload
    with ctx.sessions() as s, s.begin():
        row = s.get(DeadLetter, row.id)  # type: ignore[assignment]
        assert retry_dead_letter(s, row, ctx.rules, utcnow()) is False  # not fixed yet: still refused
        assert row.status == "quarantined" and row.retried_at is not None
    _allow(engine)
    with ctx.sessions() as s, s.begin():
        row = s.get(DeadLetter, row.id)  # type: ignore[assignment]
        assert retry_dead_letter(s, row, ctx.rules, utcnow()) is True
        with pytest.raises(ValueError, match="only a quarantined record"):
            retry_dead_letter(s, row, ctx.rules, utcnow())
    assert len(mentions(ctx)) == 300
    with ctx.sessions() as s:
        assert s.scalar(select(func.count()).select_from(DeadLetter).where(DeadLetter.status == "retried")) == 1


def test_missing_replay_file_is_a_health_error(ctx: Context, tmp_path: Path) -> None:
    (tmp_path / "mentions.jsonl").unlink()
    assert collect(ctx, build_sources(ctx)) == 0
    with ctx.sessions() as s:
        state = s.get(SourceState, "replay")
        assert state is not None and "cannot read replay file" in state.last_error
        assert state.last_success_at is None

"""Pipeline stages: idempotent ingest, kill-and-resume between stages, bad input kept apart."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from monitor.alerts import RateLimiter, notify_pending
from monitor.collector import build_sources, collect
from monitor.context import Context
from monitor.models import AlertDelivery, Case, Mention, Score, SourceState
from monitor.pipeline import Pipeline, drain
from monitor.router import route_pending
from monitor.scorer import score_pending
from monitor.sources import Batch, Source, SourceError
from tests.conftest import record, write_jsonl

NEGATIVE = "Acme lost my parcel again, terrible awful service, I am furious"
ABUSIVE = "Acme you are useless idiots and morons"
POSITIVE = "Thanks Acme, great help today, love it"


def count(ctx: Context, model: type, *where: object) -> int:
    with ctx.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def feed(tmp_path: Path, *texts: str, start: int = 1) -> None:
    write_jsonl(tmp_path / "mentions.jsonl", [record(start + i, t) for i, t in enumerate(texts)])


def test_full_pass_opens_cases_and_queues_alerts(ctx: Context, tmp_path: Path) -> None:
    feed(tmp_path, NEGATIVE, ABUSIVE, POSITIVE)
    result = Pipeline(ctx).run_once()
    assert (result.collected, result.scored, result.routed) == (3, 3, 3)
    assert count(ctx, Case) == 2
    with ctx.sessions() as s:
        channels = sorted(s.scalars(select(AlertDelivery.channel)))
        abusive = s.scalars(select(Case).join(Mention).where(Mention.external_id == "2")).one()
    assert channels == ["escalations", "support"]
    assert abusive.priority == "high" and abusive.rule == "abusive"
    assert count(ctx, Mention, Mention.stage == "ignored") == 1


def test_reingest_same_mentions_stores_them_once(ctx: Context, tmp_path: Path) -> None:
    feed(tmp_path, NEGATIVE, POSITIVE)
    Pipeline(ctx).run_once()
    # The same records arrive again (a source re-reading after a lost checkpoint).
    with ctx.sessions() as s, s.begin():
        s.scalars(select(SourceState)).one().checkpoint = {}
    feed(tmp_path, NEGATIVE, start=1)
    Pipeline(ctx).run_once()
    assert count(ctx, Mention) == 2
    assert count(ctx, Case) == 1
    assert count(ctx, AlertDelivery) == 1


@pytest.mark.parametrize("stop_after", ["collect", "score", "route"])
def test_kill_between_stages_resumes_without_loss_or_duplicates(
    ctx: Context, tmp_path: Path, stop_after: str
) -> None:
    feed(tmp_path, NEGATIVE, ABUSIVE, POSITIVE)
    sources = build_sources(ctx)
    collect(ctx, sources)
    if stop_after in ("score", "route"):
        drain(score_pending, ctx)
    if stop_after == "route":
        drain(route_pending, ctx)
    # "Kill" here: a brand-new pipeline (new process) picks up from the database.
    Pipeline(ctx).run_once()
    Pipeline(ctx).run_once()
    assert count(ctx, Mention) == 3
    assert count(ctx, Score) == 3
    assert count(ctx, Case) == 2
    assert count(ctx, AlertDelivery) == 2


def test_crash_inside_scoring_rolls_back_and_retries(
    ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed(tmp_path, NEGATIVE, POSITIVE)
    collect(ctx, build_sources(ctx))

    def boom(texts: list[str], backend: str | None = None) -> list[object]:
        raise RuntimeError("killed mid-batch")

    monkeypatch.setattr("monitor.scorer.score", boom)
    with pytest.raises(RuntimeError):
        score_pending(ctx)
    assert count(ctx, Score) == 0
    assert count(ctx, Mention, Mention.stage == "collected") == 2
    monkeypatch.undo()
    Pipeline(ctx).run_once()
    assert count(ctx, Score) == 2 and count(ctx, Case) == 1


def test_bad_lines_are_reported_and_the_rest_is_kept(ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "mentions.jsonl"
    feed(tmp_path, NEGATIVE)
    with path.open("ab") as fh:
        fh.write(b'{"id": "x1", "text": "broken \xff\xfe utf8"}\n')
        fh.write(b"{not json}\n")
        fh.write(b'{"text": "no id"}\n')
    feed(tmp_path, ABUSIVE, start=9)
    Pipeline(ctx).run_once()
    assert count(ctx, Mention) == 2
    with ctx.sessions() as s:
        error = s.scalars(select(SourceState)).one().last_error
    assert "mentions.jsonl:2: not valid UTF-8" in error
    assert "mentions.jsonl:3: invalid JSON" in error
    assert "mentions.jsonl:4: field 'id' is required" in error


def test_partial_last_line_waits_for_the_writer(ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "mentions.jsonl"
    feed(tmp_path, NEGATIVE)
    line = (tmp_path / "l.jsonl")
    write_jsonl(line, [record(2, ABUSIVE)])
    data = line.read_bytes()
    with path.open("ab") as fh:
        fh.write(data[:20])
    Pipeline(ctx).run_once()
    assert count(ctx, Mention) == 1
    with path.open("ab") as fh:
        fh.write(data[20:])
    Pipeline(ctx).run_once()
    assert count(ctx, Mention) == 2


def test_huge_text_is_stored_and_scored(ctx: Context, tmp_path: Path) -> None:
    feed(tmp_path, "Acme is terrible. " * 3000)  # ~54 kB
    Pipeline(ctx).run_once()
    with ctx.sessions() as s:
        m = s.scalars(select(Mention)).one()
    assert len(m.text) == 50_000 and m.stage == "routed"


def test_notify_without_webhook_env_records_error_and_keeps_alert(ctx: Context, tmp_path: Path) -> None:
    feed(tmp_path, NEGATIVE)
    Pipeline(ctx).run_once()
    notify_pending(ctx, RateLimiter(1.0, ctx))
    with ctx.sessions() as s:
        row = s.scalars(select(AlertDelivery)).one()
    assert row.status == "pending"
    assert "TEST_SLACK_SUPPORT is not set" in row.last_error


class FlakySource(Source):
    """A source that fails the way platforms do, for the collector's error handling."""

    name = "flaky"
    calls = 0

    def collect(self, checkpoint: dict[str, Any]) -> Batch:
        FlakySource.calls += 1
        if FlakySource.calls == 1:
            raise SourceError("HTTP 429 rate limited", retry_after=60)
        if FlakySource.calls == 2:
            raise RuntimeError("bug in a source")
        return Batch([], {"n": FlakySource.calls})


def test_rate_limited_source_pauses_alone(ctx: Context, tmp_path: Path) -> None:
    FlakySource.calls = 0
    feed(tmp_path, NEGATIVE)
    clock = [ctx.now()]
    c = replace(ctx, now=lambda: clock[0])
    sources = {"flaky": FlakySource(ctx.rules.sources["replay"], ctx.rules), **build_sources(c)}
    assert collect(c, sources) == 1  # the replay source still delivered
    with c.sessions() as s:
        state = s.get(SourceState, "flaky")
        assert state is not None and state.paused_until == clock[0] + timedelta(seconds=60)
        assert "429" in state.last_error
    collect(c, sources)
    assert FlakySource.calls == 1  # paused: not called again, not even when forced
    clock[0] += timedelta(seconds=61)
    collect(c, sources)  # the crash is logged, the others go on
    collect(c, sources)
    assert FlakySource.calls == 3
    with c.sessions() as s:
        assert s.get(SourceState, "flaky").checkpoint == {"n": 3}  # type: ignore[union-attr]


def test_unforced_pass_respects_poll_interval(ctx: Context, tmp_path: Path) -> None:
    feed(tmp_path, NEGATIVE)
    clock = [ctx.now()]
    c = replace(ctx, now=lambda: clock[0])
    sources = build_sources(c)
    assert collect(c, sources, force=False) == 1
    feed(tmp_path, ABUSIVE, start=5)
    assert collect(c, sources, force=False) == 0
    clock[0] += timedelta(seconds=61)
    assert collect(c, sources, force=False) == 1


def test_mentions_exposing_personal_data_get_their_own_route(ctx: Context, tmp_path: Path) -> None:
    from monitor.rules import parse_rules
    from tests.conftest import RULES_YAML

    text = RULES_YAML.replace("routing:\n", "routing:\n  - name: privacy\n    when: {personal_data: true}\n"
                              "    then: {queue: privacy, priority: urgent}\n")
    c = replace(ctx, rules=parse_rules(text, str(tmp_path / "rules.yaml"), tmp_path))
    feed(tmp_path, "Acme charged card 4111 1111 1111 1111 twice, thanks for nothing",
         "Acme order 4111-22 arrived, version 1.2.3, thanks", NEGATIVE)
    Pipeline(c).run_once()
    with c.sessions() as s:
        rules = dict(s.execute(select(Mention.external_id, Case.rule).join(Case)).all())
    assert rules == {"1": "privacy", "3": "negative"}

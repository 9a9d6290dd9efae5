"""Personal data in alerts and logs, link validation, retention, erasure, private files, rules bounds."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import stat
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from monitor.context import Context
from monitor.links import safe_post_url
from monitor.models import AuditEvent, Case, Draft, Mention, Score, User, utcnow
from monitor.pipeline import Pipeline
from monitor.privacy import exposed, has_visible_text, mask, neutralise
from monitor.retention import erase_author, purge_expired
from monitor.rules import RulesError, parse_rules
from monitor.yaml_limits import MAX_DEPTH
from tests.conftest import Recorder, record, write_jsonl

CARD, SSN, EMAIL, PHONE = "4111 1111 1111 1111", "536-22-1234", "jane.doe@gmail.com", "415-555-0132"
LEAKY = f"acme charged my card {CARD} twice!! my SSN {SSN} is on the form, mail {EMAIL} or call {PHONE}"
# Every way the values could appear: as written, and as bare digits.
VALUES = [CARD, SSN, EMAIL, PHONE, CARD.replace(" ", ""), SSN.replace("-", ""), PHONE.replace("-", "")]
PRIVACY_YAML = """
brands:
  - name: Acme
    keywords: [acme]
sources:
  replay: {path: mentions.jsonl}
routing:
  - name: privacy
    when: {personal_data: true}
    then: {slack: [privacy], priority: urgent}
  - name: other
    then: {slack: [privacy]}
slack:
  channels:
    privacy: {webhook_env: TEST_SLACK_PRIVACY}
moderation:
  scorer: lexicon
"""


def leaks(text: str) -> list[str]:
    """Return the personal values found in a text (digits compared without separators)."""
    digits = re.sub(r"\D", "", text)
    return [v for v in VALUES if v in text or (v.replace(" ", "").isdigit() and v in digits)]


@pytest.fixture
def pctx(ctx: Context, recorder: Recorder, tmp_path: Path) -> Context:
    rules = parse_rules(PRIVACY_YAML, str(tmp_path / "rules.yaml"), tmp_path)
    return replace(ctx, rules=rules, env={**ctx.env, "TEST_SLACK_PRIVACY": recorder.url("/hook")})


def _slack_texts(payload: Any) -> list[str]:
    """Every text object in a Slack message."""
    found: list[str] = []
    if isinstance(payload, dict):
        if isinstance(payload.get("text"), str):
            found.append(payload["text"])
        for v in payload.values():
            found += _slack_texts(v)
    elif isinstance(payload, list):
        for v in payload:
            found += _slack_texts(v)
    return found


def test_slack_alert_names_what_was_exposed_never_the_value(pctx: Context, recorder: Recorder, tmp_path: Path,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    write_jsonl(tmp_path / "mentions.jsonl", [record(1, LEAKY, url="https://x.com/u/status/1")])
    Pipeline(pctx).run_once()
    assert len(recorder.requests) == 1
    body = recorder.requests[0]["body"].decode()
    assert leaks(body) == [] and leaks(caplog.text) == []
    assert "card ending 1111" in body and "SSN" in body and "[email]" in body and "[phone]" in body
    with pctx.sessions() as s:
        mention = s.scalars(select(Mention)).one()
        assert {sp["label"] for sp in mention.pii_spans or []} >= {"CREDIT_CARD", "US_SSN", "EMAIL_ADDRESS"}
        assert s.scalars(select(Case)).one().rule == "privacy"  # routing used the stored spans


def test_slack_text_is_capped_and_controls_neutralised(pctx: Context, recorder: Recorder, tmp_path: Path) -> None:
    write_jsonl(tmp_path / "mentions.jsonl", [{
        # As long as the columns allow everywhere (PostgreSQL enforces 255 and 2,048 characters).
        **record(1, "acme \u202eevil\u202c " + "x" * 10_000, url="https://x.com/u/status/" + "9" * 2_020),
        "author": {"id": "u1", "handle": "h" * 255, "name": "\u202eeman" + "n" * 250, "followers": 1},
    }])
    Pipeline(pctx).run_once()
    payload = json.loads(recorder.requests[0]["body"])
    texts = _slack_texts(payload)
    assert texts and max(len(t) for t in texts) <= 3_000
    assert "\u202e" not in recorder.requests[0]["body"].decode("utf-8")
    buttons = payload["blocks"][-1]["elements"]
    assert all(len(b["url"]) <= 3_000 for b in buttons) and len(buttons) == 1  # the over-long link was dropped


@pytest.mark.parametrize("url", [
    "https://evil.example\\@x.com/u/status/1", "https://evil.example\\x.com/u", "https://user:pw@x.com/u/status/1",
    "https://x.com@evil.example/", "http://x.com/u/status/1", "javascript:alert(1)//x.com", "https://x.com:8443/u",
    "https://x.com.evil.example/u", "https://evilx.com/u", "https://x.com\u202e/u", "https://x.com/u\n/status",
    "https://[::1/", "https://x.com:99999/", "https://" + "a" * 3000 + ".x.com/",
])
def test_unsafe_links_are_refused(url: str) -> None:
    assert safe_post_url(url, "x") == ""


@pytest.mark.parametrize("url", ["https://x.com/u/status/1", "https://mobile.twitter.com/u/status/1",
                                 "https://X.COM/u/status/1", "https://x.com:443/u/status/1"])
def test_platform_links_pass(url: str) -> None:
    assert safe_post_url(url, "x") == url


def test_mask_helpers() -> None:
    spans = [{"start": 8, "end": 27, "label": "CREDIT_CARD"}, {"start": 32, "end": 43, "label": "US_SSN"}]
    text = f"my card {CARD} ssn {SSN}"
    assert mask(text, spans) == "my card [card ending 1111] ssn [SSN]"
    assert exposed(text, spans) == "card ending 1111, SSN"
    assert neutralise("a\u202eb\u200bc\x07\nd") == "a[U+202E]b[U+200B]c[U+0007]\nd"
    assert not has_visible_text("\u200b \u2060\t") and has_visible_text("\u200bok")


def _stored(ctx: Context, created_days_ago: int, n: int, handle: str = "jane") -> int:
    with ctx.sessions() as s, s.begin():
        m = Mention(source="replay", platform="x", external_id=str(n), author_id=f"id{n}", author_handle=handle,
                    author_name="Jane Doe", text=LEAKY, url=f"https://x.com/{handle}/status/{n}",
                    created_at=utcnow() - timedelta(days=created_days_ago), raw={"user": handle}, stage="routed")
        s.add(m)
        s.flush()
        s.add(Score(mention_id=m.id, sentiment="negative", negative=0.9, neutral=0.05, positive=0.05,
                    toxicity=0.1, language="en", language_score=1.0))
        s.add(Case(mention_id=m.id, rule="r", sla_due_at=utcnow()))
        return m.id


def _assert_scrubbed(m: Mention) -> None:
    assert (m.text, m.author_handle, m.author_name, m.author_id, m.url, m.raw) == ("", "", "", "", "", {})
    assert m.purged_at is not None


def test_retention_purges_old_mentions_and_keeps_cases(pctx: Context) -> None:
    old, new = _stored(pctx, 200, 1), _stored(pctx, 3, 2)
    rules = pctx.rules.model_copy(update={"retention": pctx.rules.retention.model_copy(update={"mention_days": 180})})
    assert purge_expired(replace(pctx, rules=rules)) == 1
    assert purge_expired(replace(pctx, rules=rules)) == 0
    with pctx.sessions() as s:
        _assert_scrubbed(s.get(Mention, old))  # type: ignore[arg-type]
        assert s.get(Mention, new).text == LEAKY  # type: ignore[union-attr]
        assert len(s.scalars(select(Case)).all()) == 2 and len(s.scalars(select(Score)).all()) == 2
        assert s.scalars(select(AuditEvent).where(AuditEvent.action == "retention_purge")).one().detail["mentions"] == 1


def test_erase_removes_one_persons_data_everywhere(pctx: Context) -> None:
    mine, other = _stored(pctx, 1, 1, "Jane"), _stored(pctx, 1, 2, "bob")
    with pctx.sessions() as s, s.begin():
        s.add(User(username="ag", password_hash="x"))
        s.flush()
        case = s.scalars(select(Case).where(Case.mention_id == mine)).one()
        s.add(Draft(case_id=case.id, author_id=s.scalars(select(User)).one().id, text="Hi @jane, please DM us",
                    verdict={"findings": [{"text": "@jane"}]}))
    with pctx.sessions() as s, s.begin():
        assert erase_author(s, "x", "@jane", utcnow()) == 1
    with pctx.sessions() as s:
        _assert_scrubbed(s.get(Mention, mine))  # type: ignore[arg-type]
        assert s.get(Mention, other).author_handle == "bob"  # type: ignore[union-attr]
        draft = s.scalars(select(Draft)).one()
        assert "jane" not in draft.text.lower() and "jane" not in json.dumps(draft.verdict).lower()
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "erase")).one()
        assert event.detail["mentions"] == 1 and "jane" not in json.dumps(event.detail).lower()


def test_erase_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from web.cli import main

    monkeypatch.setenv("REPGUARD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("REPGUARD_DATABASE_URL", raising=False)
    assert main(["erase", "--author", "jane", "--platform", "x"]) == 0
    assert "erased 0 mention(s)" in capsys.readouterr().out
    assert main(["erase", "--author", "jane", "--platform", "myspace"]) == 2
    assert main(["erase", "--author", "@", "--platform", "x"]) == 2


def test_files_under_home_are_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from web import create_app
    from web.cli import main

    home = tmp_path / "home"
    monkeypatch.setenv("REPGUARD_HOME", str(home))
    monkeypatch.delenv("REPGUARD_DATABASE_URL", raising=False)
    old = os.umask(0o022)
    try:
        monkeypatch.setattr("sys.stdin", io.StringIO("long-enough-pw\n"))
        assert main(["users", "add", "alice", "--password-stdin"]) == 0
        app = create_app({"TESTING": True})
        app.extensions["repguard.engine"].dispose()
    finally:
        os.umask(old)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    for path in home.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


BOMB = "\n".join(["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]",
                  *(f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]" for p, c in zip("abcdefg", "bcdefgh", strict=True)),
                  "brands: [{name: x, keywords: *h}]"])


def test_alias_bomb_is_refused_with_a_located_error() -> None:
    with pytest.raises(RulesError) as err:
        parse_rules(BOMB, "bomb.yaml")
    first = err.value.errors[0]
    assert first.path == "bomb.yaml" and first.line > 1 and "aliases expand" in first.message


def test_deep_nesting_and_size_are_refused_with_located_errors() -> None:
    with pytest.raises(RulesError) as err:
        parse_rules("brands: " + "[" * 2_000 + "]" * 2_000)
    assert err.value.errors[0].column == 8 + MAX_DEPTH and "nested" in err.value.errors[0].message
    with pytest.raises(RulesError) as err:
        parse_rules("brands: [{name: x}]\n" + "#" * 300_000)
    assert "larger than" in err.value.errors[0].message
    assert parse_rules("brands: [{name: &n Acme, keywords: [*n]}]").brands[0].keywords == ["Acme"]  # small aliases ok


def test_database_errors_do_not_carry_mention_text(engine: Any) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from monitor.db import make_sessionmaker

    with pytest.raises(SQLAlchemyError) as err, make_sessionmaker(engine)() as s, s.begin():
        s.add(Mention(source="replay", platform="x", external_id="1", text=LEAKY, created_at=utcnow()))
        s.add(Mention(source="replay", platform="x", external_id="1", text=LEAKY, created_at=utcnow()))
    assert leaks(str(err.value)) == []


def test_login_limiter_on_every_database(engine: Any) -> None:
    from monitor.db import make_sessionmaker
    from web import throttle

    key, window, now = throttle.key_of("address", "10.0.0.1"), timedelta(minutes=5), utcnow()
    factory = make_sessionmaker(engine)
    for _ in range(3):
        with factory() as s, s.begin():  # each failure in its own transaction, as in separate requests
            throttle.record_failure(s, key, 3, window, now)
    with factory() as s:
        assert throttle.blocked_until(s, [key, throttle.key_of("account", "x")], now) == now + window
    with factory() as s, s.begin():
        throttle.reset(s, key)
    with factory() as s:
        assert throttle.blocked_until(s, [key], now) is None


def test_mentions_stored_before_spans_existed_are_scanned(pctx: Context) -> None:
    from monitor.privacy import scan_pending

    leaky, plain = _stored(pctx, 1, 1), _stored(pctx, 1, 2)
    with pctx.sessions() as s, s.begin():
        s.get(Mention, plain).text = "acme is slow today"  # type: ignore[union-attr]
    assert scan_pending(pctx) == 2
    assert scan_pending(pctx) == 0  # a mention without personal data gets [] and is not scanned again
    with pctx.sessions() as s:
        assert {sp["label"] for sp in s.get(Mention, leaky).pii_spans or []} >= {"CREDIT_CARD", "US_SSN"}  # type: ignore[union-attr]
        assert s.get(Mention, plain).pii_spans == []  # type: ignore[union-attr]

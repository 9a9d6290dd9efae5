"""`repguard status` shows what needs attention: source errors, quarantined records, paused webhooks."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from monitor.db import make_engine, make_sessionmaker
from monitor.models import WebhookState, utcnow
from tests.conftest import RULES_YAML, record, write_jsonl
from web.cli import main


@pytest.fixture
def rules_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REPGUARD_HOME", str(tmp_path))
    monkeypatch.delenv("REPGUARD_DATABASE_URL", raising=False)
    path = tmp_path / "rules.yaml"
    path.write_text(RULES_YAML)
    return path


def test_missing_replay_file_is_not_ok(rules_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--once", "--rules", str(rules_file)]) == 0
    assert main(["status", "--rules", str(rules_file)]) == 0
    line = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("replay"))
    assert "cannot read replay file" in line and "stalled: never polled successfully" in line
    assert not line.endswith("ok")


def test_status_lists_quarantined_records_and_paused_webhooks(rules_file: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    write_jsonl(tmp_path / "mentions.jsonl", [record(1, "Acme fine"), record(2, "Acme fine", id="7" * 300),
                                              record(3, "Acme fine")])
    assert main(["run", "--once", "--rules", str(rules_file)]) == 0
    engine = make_engine()
    with make_sessionmaker(engine)() as s, s.begin():
        s.add(WebhookState(key="TEST_SLACK_SUPPORT", paused_until=utcnow() + timedelta(minutes=2),
                           last_error="Slack rate limit (HTTP 429)"))
    engine.dispose()
    assert main(["status", "--rules", str(rules_file)]) == 0
    out = capsys.readouterr().out
    assert "mentions 2 " in out and "quarantined records 1" in out
    assert "mentions.jsonl:2: invalid record: field 'external_id' is 300 characters" in out
    assert "webhook TEST_SLACK_SUPPORT paused until" in out and "HTTP 429" in out

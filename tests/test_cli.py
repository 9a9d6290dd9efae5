"""The command line: users, check, score, status and the demo command end to end."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT
from web.cli import main


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REPGUARD_HOME", str(tmp_path))
    monkeypatch.delenv("REPGUARD_DATABASE_URL", raising=False)
    return tmp_path


def test_users_add_and_reject_bad_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("long-enough-pw\n"))
    assert main(["users", "add", "alice", "--role", "approver", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["users", "add", "bob", "--password-stdin"]) == 2
    assert main(["users", "add", "carl", "--role", "boss", "--password-stdin"]) == 2
    assert "choose one of agent, approver, admin" in capsys.readouterr().err


@pytest.mark.parametrize(("text", "code"), [("Thanks, we are on it!", 0), ("You are idiots and morons.", 2)])
def test_check_exit_codes(text: str, code: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", text]) == code
    out = capsys.readouterr().out
    assert out.startswith(["PASS", "WARN", "BLOCK"][code])


def test_check_jsonl_names_a_bad_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO('{"id": 1, "text": "hello"}\n{broken\n'))
    assert main(["check", "--jsonl"]) == 3
    captured = capsys.readouterr()
    assert json.loads(captured.out.splitlines()[0])["id"] == 1
    assert "<stdin>:2: not valid JSON" in captured.err


def test_score_jsonl_shape(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO('{"id": "a", "text": "I love this"}\n{"id": "b", "text": "awful"}\n'))
    assert main(["score", "--jsonl"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [x["id"] for x in lines] == ["a", "b"]
    assert set(lines[0]) == {"id", "sentiment", "toxicity", "language"}
    assert set(lines[0]["toxicity"]) == {"score", "toxic", "labels"}
    assert lines[0]["sentiment"]["label"] == "positive" and lines[1]["sentiment"]["label"] == "negative"


def test_status_lists_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--once"]) == 0
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "replay" in out and "mentions 50" in out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_demo_serves_the_inbox(home: Path) -> None:
    port = _free_port()
    env = {**os.environ, "REPGUARD_HOME": str(home), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "web.cli", "demo", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        lines = []
        while time.monotonic() < deadline:
            line = proc.stdout.readline() if proc.stdout else ""
            lines.append(line)
            if "sign in as" in line or not line:
                break
        assert any(f"http://127.0.0.1:{port}/" in x for x in lines), lines
        session = requests.Session()
        for _ in range(100):
            try:
                page = session.get(f"http://127.0.0.1:{port}/login", timeout=5)
                break
            except requests.ConnectionError:
                threading.Event().wait(0.1)  # time.sleep is a no-op in tests
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        inbox = session.post(f"http://127.0.0.1:{port}/login", timeout=5,
                             data={"username": "agent", "password": "agent-demo", "csrf_token": token})
        assert inbox.status_code == 200 and "Inbox" in inbox.text
        assert inbox.text.count("/cases/") >= 10
        alerts = [json.loads(x) for x in (home / "demo-slack.jsonl").read_text().splitlines()]
        assert len(alerts) >= 10 and {a["channel"] for a in alerts} <= {"support", "escalations"}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stdout:
            proc.stdout.close()


def test_text_commands_start_without_the_database_layer_or_flask() -> None:
    # A cold `repguard check` pays for every import: the database layer, the pipeline and Flask are not needed.
    probe = ("import sys\nfrom web.cli import main\ncode = main(['check', 'Thanks, we are on it!'])\n"
             "print(code, sorted(m for m in ('sqlalchemy', 'flask', 'monitor.pipeline', 'monitor.db') "
             "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.stdout.strip().splitlines()[-1] == "0 []", out.stderr[-2000:]

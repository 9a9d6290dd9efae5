"""Engine contract: spans, fixed_text, actions, thread safety, no network, CLI exit codes."""

from __future__ import annotations

import argparse
import io
import json
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

import moderation
from moderation import cli
from moderation.policy import Policy

CASES = [
    # text, action, [(check, label, span text)], fixed_text
    ("Thanks for reaching out! We're on it.", "pass", [], None),
    ("We recieve your mesage.", "warn",
     [("spelling", "misspelling", "recieve"), ("spelling", "misspelling", "mesage")],
     "We receive your message."),
    ("Your card 4111 1111 1111 1111 is on file.", "block",
     [("pii", "CREDIT_CARD", "4111 1111 1111 1111")], "Your card [CREDIT_CARD] is on file."),
    ("ok Karen, we heard you.", "warn", [("toxicity", "put_down", "ok Karen")], None),
    ("You are an idiot.", "block", [("toxicity", "insult", "idiot")], None),
]


@pytest.mark.parametrize(("text", "action", "expected", "fixed"), CASES)
def test_check_contract(text: str, action: str, expected: list[tuple[str, str, str]],
                        fixed: str | None) -> None:
    verdict = moderation.check(text)
    assert verdict.action == action
    got = [(f.check, f.label, f.text) for f in verdict.findings if f.severity != "info"]
    assert got == expected
    for f in verdict.findings:
        assert text[f.start:f.end] == f.text
        assert f.severity in ("info", "warn", "block") and f.message
    assert verdict.fixed_text == (fixed if fixed is not None else text)


def test_overlapping_fixes_keep_the_redaction() -> None:
    verdict = moderation.check("Write to jane at gmial dot com today.")
    assert verdict.fixed_text == "Write to [EMAIL_ADDRESS] today."


def test_to_dict_is_json() -> None:
    data = moderation.check("Email me at jane.doe@gmail.com").to_dict()
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {"action", "findings", "fixed_text"}
    assert set(data["findings"][0]) == {"check", "start", "end", "text", "label", "severity", "score",
                                        "message", "suggestions"}


def test_checks_can_be_switched_off() -> None:
    verdict = moderation.check("You are an idiot, recieve this.", policy=Policy(checks=["policy"]))
    assert verdict.action == "pass"


def test_thread_safe_same_results() -> None:
    texts = ["Call 415-555-0132 now.", "We recieve it.", "ok Karen.", "All good here!"] * 6
    expected = [moderation.check(t).to_dict() for t in texts]
    with ThreadPoolExecutor(max_workers=6) as pool:
        got = list(pool.map(lambda t: moderation.check(t).to_dict(), texts))
    assert got == expected


def test_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network disabled in tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    verdict = moderation.check("Write to bob.smith@example.org or bob at gmail dot com.")
    assert [f.label for f in verdict.findings if f.check == "pii"] == ["EMAIL_ADDRESS", "EMAIL_ADDRESS"]


OFFLINE_SCRIPT = """
import socket
import subprocess
import sys
def refuse(*args, **kwargs):
    raise OSError("network disabled")
socket.socket.connect = refuse
socket.create_connection = refuse
import moderation
v = moderation.check("Mail jane.doe@gmail.com, we recieve it.")
print(sorted(f.label for f in v.findings))
"""


def test_models_load_with_no_network() -> None:
    # A fresh interpreter, so the lazy loading itself (spaCy, Presidio, word lists) runs offline.
    out = subprocess.run([sys.executable, "-c", OFFLINE_SCRIPT], capture_output=True, text=True, timeout=120,
                         check=True)
    assert out.stdout.strip() == "['EMAIL_ADDRESS', 'misspelling']"


def _args(text: str | None = None, *, as_json: bool = False, jsonl: bool = False) -> argparse.Namespace:
    return argparse.Namespace(text=text, json=as_json, jsonl=jsonl, platform="x", rules=None)


@pytest.mark.parametrize(("text", "code"), [
    ("All sorted, have a lovely day!", 0),
    ("Please kill the process, we recieve it.", 1),
    ("Your SSN 536-22-8790 is confirmed.", 2),
])
def test_cli_exit_codes(text: str, code: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run_check(_args(text), Policy()) == code
    assert capsys.readouterr().out.split()[0] == ["PASS", "WARN", "BLOCK"][code]


def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run_check(_args("We recieve it.", as_json=True), Policy()) == 1
    assert json.loads(capsys.readouterr().out)["fixed_text"] == "We receive it."


def test_check_jsonl_round_trip() -> None:
    src = io.StringIO('{"id": 1, "text": "hi there"}\n\n'
                      '{"id": "b", "text": "call 415-555-0132", "platform": "x"}\n')
    out = io.StringIO()
    assert cli.check_jsonl(src, out, policy=Policy(), platform="x") == 0
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in rows] == [1, "b"]
    assert [r["action"] for r in rows] == ["pass", "block"]
    assert set(rows[1]) == {"id", "action", "findings", "fixed_text"}


@pytest.mark.parametrize("bad", ['{"id": 1}\n', "not json\n", '["text"]\n'])
def test_check_jsonl_malformed_names_line(bad: str) -> None:
    with pytest.raises(cli.InputError, match="<stdin>:2"):
        cli.check_jsonl(io.StringIO('{"text": "fine"}\n' + bad), io.StringIO(), policy=Policy(), platform="x")


def test_policy_fields_are_documented() -> None:
    def walk(model: type) -> None:
        for name, field in model.model_fields.items():  # type: ignore[attr-defined]
            assert field.description, f"{model.__name__}.{name} has no description"
            ann = field.annotation
            if isinstance(ann, type) and hasattr(ann, "model_fields"):
                walk(ann)

    walk(Policy)


def test_warm_loads_the_teams_languages() -> None:
    """warm(languages=...) loads each language's dictionary, so a team's first French draft is not slow."""
    from moderation.engine import _get, warm

    spelling = _get("spelling")
    spelling._spellers.pop("fr", None)
    warm(["spelling"], languages=["en", "fr", "th"])  # Thai has no dictionary: nothing to load, no error
    assert "fr" in spelling._spellers and "th" not in spelling._spellers
    assert spelling._spellers["fr"]._index is not None  # the candidate index, not just the word list

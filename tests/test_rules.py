"""rules.yaml: schema, located errors, the CLI, and documentation of every key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from monitor.rules import Rules, RulesError, load_rules, parse_rules
from scripts.rules_reference import rows
from tests.conftest import ROOT
from web.cli import main

GOOD = "brands:\n  - name: Acme\n    keywords: [acme]\n"


def errors_of(text: str) -> list[str]:
    with pytest.raises(RulesError) as info:
        parse_rules(text, "r.yaml")
    return [str(e) for e in info.value.errors]


def test_bundled_rules_are_valid() -> None:
    rules = load_rules()
    assert rules.brands[0].name == "Lumen Mobile"
    assert "replay" in rules.sources
    assert all(r.then.slack for r in rules.routing if r.then.priority != "low")


@pytest.mark.parametrize(("text", "expected"), [
    (GOOD + "    keywrds: [x]\n", "r.yaml:4:5: brands.0.keywrds: unknown key 'keywrds'; did you mean 'keywords'?"),
    (GOOD + "sources:\n  twiter: {}\n", "r.yaml:5:3: sources.twiter: unknown source 'twiter'"),
    (GOOD + "sources:\n  twitter: {}\n", "r.yaml:5:3: sources.twitter: unknown source 'twitter'; did you mean 'x'?"),
    (GOOD + "sources:\n  replay: {enabled: maybe}\n",
     "r.yaml:5:12: sources.replay.enabled: Input should be a valid boolean"),
    (GOOD + "routing:\n  - name: a\n    then: {priority: hi}\n",
     "r.yaml:6:12: routing.0.then.priority: Input should be 'urgent', 'high', 'normal' or 'low'"),
    (GOOD + "moderation:\n  checks: [toxicty]\n",
     "r.yaml:5:3: moderation.checks: unknown check 'toxicty'; did you mean 'toxicity'?"),
    (GOOD + "slack:\n  channels:\n    a: {webhook_env: 'https://hooks.slack.com/services/x'}\n",
     "r.yaml:6:9: slack.channels.a.webhook_env: give the NAME of an environment variable"),
    (GOOD + "routing:\n  - name: a\n    then: {slack: [nope]}\n", "unknown Slack channel 'nope'"),
    ("brands: [\n  - a: b", "r.yaml:2:3: (yaml): invalid YAML"),
    ("", "r.yaml:1:1: (top): expected a mapping"),
    ("brands: []\n", "r.yaml:1:1: brands: List should have at least 1 item"),
    (GOOD + "sla: {high: -5}\n", "r.yaml:4:7: sla.high: Input should be greater than or equal to 1"),
])
def test_errors_name_file_line_column_key(text: str, expected: str) -> None:
    errors = errors_of(text)
    assert any(expected in e for e in errors), errors


def test_every_error_is_reported_at_once() -> None:
    errors = errors_of(GOOD + "    colour: red\nsla: {high: 0}\nmoderation: {toxicity: {warn: 2}}\n")
    assert len(errors) == 3


def test_cli_rules_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(GOOD)
    assert main(["rules", "check", str(good)]) == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD + "    keywrds: [x]\n  - name: [unclosed\n")
    assert main(["rules", "check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert re.match(rf"{re.escape(str(bad))}:\d+:\d+: ", err)
    assert "Traceback" not in err
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"brands:\n  - name: \xff\n")
    assert main(["rules", "check", str(binary)]) == 2
    assert f"{binary}:2:1: (file): not valid UTF-8" in capsys.readouterr().err
    assert main(["rules", "check", str(tmp_path / "missing.yaml")]) == 2


def test_every_rules_key_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    keys = [row.split("`")[1] for row in rows(Rules, "", set())]
    assert len(keys) > 40
    missing = [k for k in keys if f"| `{k}` |" not in readme]
    assert not missing, f"README.md lacks these rules.yaml keys (run scripts/rules_reference.py): {missing}"


def test_every_field_has_a_description() -> None:
    def walk(model: type[BaseModel], seen: set[type[BaseModel]]) -> list[str]:
        seen.add(model)
        out = []
        for name, field in model.model_fields.items():
            if not field.description:
                out.append(f"{model.__name__}.{name}")
            for sub in (field.annotation, *getattr(field.annotation, "__args__", ())):
                if isinstance(sub, type) and issubclass(sub, BaseModel) and sub not in seen:
                    out += walk(sub, seen)
        return out

    assert walk(Rules, set()) == []


def test_reply_checks_use_the_brands_languages_unless_set(tmp_path: Path) -> None:
    """A French-and-English brand gets its drafts checked in French and English; an explicit list wins."""
    text = "brands:\n  - name: A\n    languages: [fr, en]\n  - name: B\n    languages: [de, en]\n"
    assert parse_rules(text, "rules.yaml", tmp_path).moderation.languages == ["fr", "en", "de"]
    explicit = text + "moderation:\n  languages: [es]\n"
    assert parse_rules(explicit, "rules.yaml", tmp_path).moderation.languages == ["es"]

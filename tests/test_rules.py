"""rules.yaml: schema, located errors, the CLI, and documentation of every key."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel

from monitor.rules import Rules, RulesError, SourceConfig, load_rules, parse_rules
from monitor.sources import SOURCES
from monitor.sources.options import MastodonOptions, RedditOptions, ReplayOptions, XOptions
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
    (GOOD + "sources:\n  reddit:\n    subredits: [acme]\n",
     "r.yaml:6:5: sources.reddit.subredits: unknown key 'subredits'; did you mean 'subreddits'? "
     "(allowed: enabled, poll_interval, queries, subreddits)"),
    (GOOD + "sources:\n  x: {daily_read_budget: -1}\n",
     "r.yaml:5:7: sources.x.daily_read_budget: Input should be greater than or equal to 0"),
    (GOOD + "sources:\n  mastodon: []\n",
     "r.yaml:5:3: sources.mastodon: Input should be a valid dictionary or instance of MastodonOptions"),
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


def test_a_key_of_another_platform_is_refused_where_it_is_written() -> None:
    errors = errors_of(GOOD + "sources:\n  replay: {path: m.jsonl, hashtags: [a]}\n  x:\n    hashtags: [acme]\n")
    assert errors == [
        "r.yaml:5:27: sources.replay.hashtags: unknown key 'hashtags' (allowed: enabled, path, poll_interval, queries)",
        "r.yaml:7:5: sources.x.hashtags: unknown key 'hashtags' "
        "(allowed: daily_read_budget, enabled, poll_interval, queries)",
    ]


def test_each_bundled_source_reads_its_own_options() -> None:
    rules = parse_rules(GOOD + """sources:
  x: {daily_read_budget: 500, queries: [acme]}
  reddit: {subreddits: [acme, phones], poll_interval: 30}
  mastodon: {instance_url: "https://social.example", hashtags: [acme]}
  bluesky: {enabled: false}
  replay: {path: mentions.jsonl}
""", "r.yaml")
    x, reddit, mastodon = rules.sources["x"], rules.sources["reddit"], rules.sources["mastodon"]
    assert isinstance(x, XOptions) and (x.daily_read_budget, x.queries) == (500, ["acme"])
    assert isinstance(reddit, RedditOptions) and (reddit.subreddits, reddit.poll_interval) == (["acme", "phones"], 30)
    assert isinstance(mastodon, MastodonOptions) and mastodon.hashtags == ["acme"]
    assert mastodon.instance_url == "https://social.example"
    assert type(rules.sources["bluesky"]) is SOURCES.options("bluesky") and not rules.sources["bluesky"].enabled
    assert isinstance(rules.sources["replay"], ReplayOptions) and rules.sources["replay"].path == "mentions.jsonl"


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_a_source_uses_the_options_it_is_validated_with(name: str) -> None:
    options = SOURCES.options(name)
    assert options is SOURCES[name].options and issubclass(options, SourceConfig)
    source = SOURCES[name](SourceConfig(poll_interval=7), load_rules())
    assert type(source.config) is options and source.config.poll_interval == 7


def test_checking_rules_imports_no_platform_library() -> None:
    code = ("import sys; from monitor.rules import load_rules; load_rules(); "
            "print(sorted(m for m in ('tweepy', 'praw', 'mastodon', 'atproto') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


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
    assert [m for name in SOURCES for m in walk(SOURCES.options(name), set())] == []


def test_reply_checks_use_the_brands_languages_unless_set(tmp_path: Path) -> None:
    """A French-and-English brand gets its drafts checked in French and English; an explicit list wins."""
    text = "brands:\n  - name: A\n    languages: [fr, en]\n  - name: B\n    languages: [de, en]\n"
    assert parse_rules(text, "rules.yaml", tmp_path).moderation.languages == ["fr", "en", "de"]
    explicit = text + "moderation:\n  languages: [es]\n"
    assert parse_rules(explicit, "rules.yaml", tmp_path).moderation.languages == ["es"]

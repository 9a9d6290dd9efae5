"""The README documents every extension point: checks, sources, notifiers, commands and generated parts."""

from __future__ import annotations

import pytest

from moderation.checks import CHECKS
from monitor.notifiers import NOTIFIERS
from monitor.sources import SOURCES
from scripts.readme import render
from tests.conftest import ROOT
from web.cli import build_parser

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_generated_parts_are_current() -> None:
    assert render(README) == README, "run: python scripts/readme.py --write"


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_every_check_is_documented(name: str) -> None:
    assert f"`{name}`" in README


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_source_is_documented(name: str) -> None:
    assert f"`{name}`" in README


@pytest.mark.parametrize("name", sorted(NOTIFIERS))
def test_every_notifier_is_documented(name: str) -> None:
    assert f"`{name}`" in README


def test_every_command_is_documented() -> None:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:  # type: ignore[union-attr]
        assert f"`repguard {name}" in README, name

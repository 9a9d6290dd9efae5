"""Start-up warm-up: the checks load for the languages the rules list, before the first request."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from flask import Flask

from moderation.engine import _get
from web.warmup import trim_heap, warm_checks


def test_warm_checks_loads_the_rules_languages(app: Flask, rules_path: Path) -> None:
    """The bundled rules answer in English and French: both dictionaries are ready before serving."""
    data = yaml.safe_load(rules_path.read_text(encoding="utf-8"))
    assert "fr" in [lang for brand in data["brands"] for lang in brand.get("languages", [])]
    spelling = _get("spelling")
    spelling._spellers.pop("fr", None)
    warm_checks(app)
    assert spelling._spellers["fr"]._index is not None


def test_trim_heap_without_glibc_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """malloc_trim on glibc; where the C library cannot be found or lacks it, start-up must go on."""
    import ctypes.util

    trim_heap()  # glibc here
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: "libnot-a-real-c-library.so.0")
    trim_heap()

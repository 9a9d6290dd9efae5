"""Start-up warm-up shared by `repguard serve` and `repguard demo`."""

from __future__ import annotations

from flask import Flask


def trim_heap() -> None:
    """Return freed heap pages to the OS after start-up (glibc's malloc_trim; a no-op elsewhere)."""
    import ctypes
    import ctypes.util

    try:
        ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim(0)
    except (OSError, AttributeError, TypeError):
        pass  # not glibc: nothing to trim, and nothing breaks


def warm_checks(app: Flask) -> None:
    """Load the checks for every language the team answers in, then give the loading garbage back.

    Done before serving so the first live check is fast (a French team's first French draft included).
    """
    from moderation import warm
    from web.database import rules

    with app.app_context():
        languages = rules().moderation.languages
    warm(languages=languages)
    trim_heap()

"""Security figures: alias bomb and deep nesting refusal time, sign-in timing for known and unknown users.

Run: python bench/security_bench.py   (a minute; prints a Markdown table for docs/security.md)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.rules import RulesError, parse_rules

LEVELS = 9  # each level multiplies the expanded size by ten: 10**9 values
BOMB = "\n".join(["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]",
                  *(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, LEVELS)),
                  f"brands: [{{name: x, keywords: *a{LEVELS - 1}}}]"])


def timed(fn: Callable[[], object], runs: int = 5) -> float:
    """Median wall time of `fn` in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def refuse(text: str) -> Callable[[], object]:
    def run() -> object:
        try:
            parse_rules(text)
        except RulesError as exc:
            return exc
        raise AssertionError("accepted")
    return run


def login_times() -> tuple[float, float]:
    """Median ms of a wrong password for a real user and of an unknown user."""
    from monitor.models import User
    from web import create_app
    from web.auth import hash_password

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "SECRET_KEY": "b", "DATABASE_URL": f"sqlite:///{tmp}/b.db",
                          "WTF_CSRF_ENABLED": False, "LOGIN_ATTEMPTS": 10**6, "LOGIN_ATTEMPTS_PER_ADDRESS": 10**6})
        with app.extensions["repguard.sessions"]() as s:
            s.add(User(username="real", password_hash=hash_password("correct-horse"), role="agent"))
            s.commit()
        client = app.test_client()

        def attempt(name: str) -> Callable[[], object]:
            return lambda: client.post("/login", data={"username": name, "password": "wrong-password"})

        attempt("warm-up")()
        known, unknown = timed(attempt("real"), 9), timed(attempt("nobody"), 9)
        app.extensions["repguard.engine"].dispose()
        return known, unknown


def main() -> None:
    """Print the figures."""
    print("| measurement | median ms |\n|---|---|")
    bomb = f"alias bomb ({LEVELS} levels, 10^{LEVELS} values, {len(BOMB)} bytes) refused"
    print(f"| {bomb} | {timed(refuse(BOMB)):.1f} |")
    nested = "brands: " + "[" * 50_000 + "]" * 50_000
    print(f"| 50,000 nested `[` refused | {timed(refuse(nested), 3):.1f} |")
    known, unknown = login_times()
    print(f"| sign-in, real user, wrong password | {known:.0f} |")
    print(f"| sign-in, unknown user | {unknown:.0f} |")


if __name__ == "__main__":
    main()

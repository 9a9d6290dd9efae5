"""Regenerate the generated parts of README.md: the rules reference and the included docs/ sections."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.rules_reference import END, START, table  # noqa: E402

INCLUDE = re.compile(r"(<!-- include:(?P<path>[\w/.-]+) -->\n).*?(<!-- end:(?P=path) -->)", re.DOTALL)


def render(text: str) -> str:
    """Return README text with every generated part brought up to date."""
    head, rest = text.split(START, 1)
    text = f"{head}{START}\n{table()}\n{END}{rest.split(END, 1)[1]}"

    def include(m: re.Match[str]) -> str:
        body = (ROOT / m.group("path")).read_text(encoding="utf-8").rstrip("\n")
        # Links in docs/*.md are relative to docs/; the README sits one level up.
        folder = str(Path(m.group("path")).parent)
        body = re.sub(r"\]\((?!https?:|#|/)([^)]+)\)", lambda link: f"]({folder}/{link.group(1)})", body)
        return f"{m.group(1)}{body}\n{m.group(3)}"

    return INCLUDE.sub(include, text)


def main() -> int:
    """Rewrite README.md (`--write`) or exit 1 when it is out of date (`--check`)."""
    path = ROOT / "README.md"
    current = path.read_text(encoding="utf-8")
    fresh = render(current)
    if "--write" in sys.argv:
        path.write_text(fresh, encoding="utf-8")
        return 0
    if fresh != current:
        print("README.md is out of date: run python scripts/readme.py --write", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

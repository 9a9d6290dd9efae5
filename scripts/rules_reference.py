"""Print the rules.yaml reference (markdown) from the schema, so the README never drifts from it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.rules import Rules, SourceConfig
from monitor.sources import SOURCES


def _type(annotation: Any) -> str:
    text = getattr(annotation, "__name__", None) or str(annotation)
    return str(text).replace("typing.", "").replace("monitor.rules.", "").replace("moderation.policy.", "")


def _default(field: Any) -> str:
    if field.is_required():
        return "required"
    if field.default_factory is not None:
        value = field.default_factory()
        return "" if isinstance(value, BaseModel) else f"`{value!r}`"
    return f"`{field.default!r}`"


def rows(model: type[BaseModel], prefix: str, seen: set[type[BaseModel]]) -> list[str]:
    """Return one table row per key, depth first."""
    out = []
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        out.append(_row(path, field))
        for sub in (field.annotation, *getattr(field.annotation, "__args__", ())):
            if isinstance(sub, type) and issubclass(sub, BaseModel) and sub not in seen:
                seen.add(sub)
                joiner = "[]." if "list" in str(field.annotation) else (".*." if "dict" in str(field.annotation)
                                                                        else ".")
                out += rows(sub, path + joiner, seen)
                if sub is SourceConfig:
                    out += source_rows(path)
    return out


def _row(path: str, field: Any) -> str:
    return f"| `{path}` | {_type(field.annotation)} | {_default(field)} | {field.description or ''} |"


def source_rows(prefix: str) -> list[str]:
    """Return a row per key that a source adds to the common ones, under that source's own name."""
    out = []
    for name in sorted(SOURCES):
        model = SOURCES.options(name)
        out += [_row(f"{prefix}.{name}.{key}", field) for key, field in model.model_fields.items()
                if key not in SourceConfig.model_fields]
    return out


START, END = "<!-- rules-reference:start -->", "<!-- rules-reference:end -->"


def table() -> str:
    """Return the whole markdown table."""
    return "| key | type | default | meaning |\n|---|---|---|---|\n" + "\n".join(rows(Rules, "", set()))


def main() -> None:
    """Print the table, or with --write FILE replace it between the markers in FILE."""
    if len(sys.argv) == 3 and sys.argv[1] == "--write":
        path = Path(sys.argv[2])
        text = path.read_text(encoding="utf-8")
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        path.write_text(f"{head}{START}\n{table()}\n{END}{tail}", encoding="utf-8")
        return
    print(table())


if __name__ == "__main__":
    main()

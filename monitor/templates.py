"""Suggested replies: rules.yaml templates with placeholders filled for a case."""

from __future__ import annotations

from dataclasses import dataclass

from monitor.models import Case
from monitor.rules import Rules


class _Fill(dict[str, str]):
    """Leave unknown placeholders as they are instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def human_minutes(minutes: int) -> str:
    """Say a duration the way a person would ("2 hours", "30 minutes", "1 day")."""
    for size, unit in ((1440, "day"), (60, "hour"), (1, "minute")):
        if minutes >= size and minutes % size == 0:
            n = minutes // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return f"{minutes} minutes"


@dataclass(frozen=True)
class Suggestion:
    """A filled template."""

    name: str
    text: str
    private: bool


def suggestions(rules: Rules, case: Case) -> list[Suggestion]:
    """Fill every template for a case: {author}, {brand}, {sla}, {handle}."""
    mention = case.mention
    brand = next((b for b in rules.brands if b.name == mention.brand), rules.brands[0])
    values = _Fill(author=f"@{mention.author_handle}" if mention.author_handle else "there",
                   brand=brand.name, sla=human_minutes(rules.sla_minutes(case.priority)),
                   handle=brand.handles.get(mention.platform, brand.name))
    return [Suggestion(t.name, t.text.format_map(values), t.private) for t in rules.templates]

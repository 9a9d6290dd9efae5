"""Suggested replies: the rules.yaml templates that suit a case, in the customer's language first."""

from __future__ import annotations

from dataclasses import dataclass

from monitor.models import Case
from monitor.rules import Rules, Template


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
    """A filled template, in one language."""

    name: str
    text: str
    private: bool
    language: str = ""


def suits(template: Template, case: Case) -> bool:
    """Whether a template is meant for this case's routing rule, queue and platform."""
    return ((not template.routes or case.rule in template.routes)
            and (not template.queues or case.queue in template.queues)
            and (not template.platforms or case.mention.platform in template.platforms))


def suggestions(rules: Rules, case: Case, language: str = "") -> list[Suggestion]:
    """Fill the templates that suit a case: the customer's language first, then the base text.

    Placeholders: {author}, {brand}, {handle}, and {promise} (also {sla}) — the public wording of the
    response time from care.promise, never the internal SLA minutes.
    """
    mention = case.mention
    language = language or mention.language
    brand = next((b for b in rules.brands if b.name == mention.brand), rules.brands[0])

    def values(lang: str) -> _Fill:
        wording = rules.care.promise_translations.get(lang, {}) if lang else rules.care.promise
        promise = (wording.get(case.priority) or rules.care.promise.get(case.priority)
                   or human_minutes(rules.sla_minutes(case.priority)))
        return _Fill(author=f"@{mention.author_handle}" if mention.author_handle else "there",
                     brand=brand.name, sla=promise, promise=promise,
                     handle=brand.handles.get(mention.platform, brand.name))

    first, rest = [], []
    for t in (t for t in rules.templates if suits(t, case)):
        if language in t.translations:
            first.append(Suggestion(t.name, t.translations[language].format_map(values(language)), t.private,
                                    language))
        rest.append(Suggestion(t.name, t.text.format_map(values("")), t.private))
    return first + rest

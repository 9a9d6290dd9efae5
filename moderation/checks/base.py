"""The extension seam for moderation checks, shaped like a Presidio recognizer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from moderation.findings import Finding
from moderation.policy import Policy


@dataclass(frozen=True)
class CheckContext:
    """What a check may know besides the text: platform, policy, the mention answered."""

    platform: str = "x"
    policy: Policy = field(default_factory=Policy)
    mention: dict[str, Any] | None = None


class Check:
    """Base class: subclass, set `name`, implement `analyze`, register in `CHECKS`.

    Example::

        class ShoutingCheck(Check):
            name = "shouting"

            def analyze(self, text, ctx):
                if text.isupper():
                    return [Finding("tone", 0, len(text), text, "shouting", "warn", 1.0,
                                    "The whole reply is in capitals.")]
                return []
    """

    name: ClassVar[str] = ""

    def load(self) -> None:
        """Load models or data once; called lazily before the first `analyze`."""

    def warm(self) -> None:
        """Load what a first `analyze` would load lazily (called at server start-up)."""

    def warm_language(self, lang: str) -> None:
        """Load what a first draft in `lang` would load lazily (a dictionary, an encoder); optional."""

    def analyze(self, text: str, ctx: CheckContext) -> list[Finding]:
        """Return findings for `text`."""
        raise NotImplementedError

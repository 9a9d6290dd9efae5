"""rules.yaml: the typed schema and a loader whose errors name file, line, column and key."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)

from moderation.policy import Policy
from monitor.care import Care, Team
from monitor.yaml_limits import LimitError, compose_bounded

PRIORITIES = ("urgent", "high", "normal", "low")
SENTIMENTS = ("negative", "neutral", "positive")
DEFAULT_RULES = Path(__file__).resolve().parent.parent / "rules.yaml"


class Strict(BaseModel):
    """Base for rules models: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Brand(Strict):
    """A brand to watch."""

    name: str = Field(description="Display name of the brand.")
    handles: dict[str, str] = Field(default_factory=dict, description="The brand's own account per platform.")
    keywords: list[str] = Field(default_factory=list, description="Words and queries that count as a mention.")
    languages: list[str] = Field(default_factory=lambda: ["en"], description="Languages the team answers in.")


class SourceConfig(Strict):
    """Options every source shares; a source's own model (its class's `options`) adds its keys."""

    enabled: bool = Field(True, description="Whether the source is collected and can post.")
    poll_interval: int = Field(60, ge=1, description="Seconds between polls.")
    queries: list[str] = Field(default_factory=list, description="Search queries (defaults to brand keywords).")


class RouteCondition(Strict):
    """When a routing rule matches; every given condition must hold."""

    sentiment: list[Literal["negative", "neutral", "positive"]] = Field(
        default_factory=list, description="Sentiment labels that match (empty = any)."
    )
    toxicity_min: float = Field(0.0, ge=0, le=1, description="Minimum toxicity probability.")
    negative_min: float = Field(0.0, ge=0, le=1, description="Minimum probability of negative sentiment.")
    sources: list[str] = Field(default_factory=list, description="Source names that match (empty = any).")
    brands: list[str] = Field(default_factory=list, description="Brand names that match (empty = any).")
    languages: list[str] = Field(default_factory=list, description="Language codes that match (empty = any).")
    min_followers: int = Field(0, ge=0, description="Minimum author follower count (reach).")
    personal_data: bool = Field(
        False, description="Match only mentions where the author exposed personal data (card, SSN, phone, ...)."
    )
    language_unsupported: bool = Field(
        False, description="Match only mentions in a language the scorer's model does not read (see `repguard score`)."
    )


class RouteAction(Strict):
    """What happens to a mention that matches."""

    slack: list[str] = Field(default_factory=list, description="Slack channel names (see `slack.channels`).")
    queue: str = Field("inbox", description="Inbox queue the case goes to.")
    priority: Literal["urgent", "high", "normal", "low"] = Field("normal", description="Case priority.")
    case: bool = Field(True, description="Whether to open a case in the inbox.")


class Route(Strict):
    """A named routing rule; the first matching rule wins."""

    name: str = Field(description="Rule name shown on cases and alerts.")
    when: RouteCondition = Field(default_factory=RouteCondition, description="Conditions.")
    then: RouteAction = Field(default_factory=RouteAction, description="Actions.")


class SlackChannel(Strict):
    """A Slack incoming webhook; the URL itself lives in an environment variable."""

    webhook_env: str = Field(description="Name of the environment variable that holds the webhook URL.")

    @field_validator("webhook_env")
    @classmethod
    def _not_a_url(cls, value: str) -> str:
        if "://" in value or not value.replace("_", "").isalnum():
            raise ValueError("give the NAME of an environment variable (e.g. SLACK_WEBHOOK_ALERTS), never the URL")
        return value


class Slack(Strict):
    """Slack alerting."""

    channels: dict[str, SlackChannel] = Field(default_factory=dict, description="Channel name → webhook.")
    rate_per_second: float = Field(1.0, gt=0, description="Maximum messages per second per webhook.")
    max_alert_age_hours: float = Field(
        24.0, gt=0, description="An alert still undelivered (429s, 5xx, network) after this long is given up.")


class Sla(Strict):
    """First-response targets, in minutes, per priority."""

    urgent: int = Field(15, ge=1, description="Minutes to first response for urgent cases.")
    high: int = Field(60, ge=1, description="Minutes to first response for high-priority cases.")
    normal: int = Field(240, ge=1, description="Minutes to first response for normal cases.")
    low: int = Field(1440, ge=1, description="Minutes to first response for low-priority cases.")


class Template(Strict):
    """A suggested reply; placeholders {author}, {brand}, {sla}, {handle} are filled in."""

    name: str = Field(description="Template name.")
    text: str = Field(description="Reply text with placeholders.")
    private: bool = Field(False, description="Whether it is sent as a private message.")
    routes: list[str] = Field(default_factory=list, description="Routing rules whose cases it suits (empty = any).")
    queues: list[str] = Field(default_factory=list, description="Queues whose cases it suits (empty = any).")
    platforms: list[str] = Field(default_factory=list, description="Platforms it suits (empty = any).")
    translations: dict[str, str] = Field(
        default_factory=dict, description="Language code → the text in that language (offered first to customers "
        "writing in it).")


class ReplyRules(Strict):
    """How approved replies go out."""

    undo_seconds: int = Field(
        30, ge=0, le=3600, description="Seconds between approval and posting during which a reply can be cancelled."
    )


class Retention(Strict):
    """How long personal data from mentions is kept."""

    mention_days: int = Field(
        0, ge=0, le=36_500,
        description="Days after which a mention's text, link and author data are purged; cases, scores and "
                    "counts stay (0 = keep).",
    )


class Rules(Strict):
    """The whole rules.yaml."""

    brands: list[Brand] = Field(min_length=1, description="Brands to watch.")
    sources: dict[str, SourceConfig] = Field(
        default_factory=dict, description="Collectors by name: keys every source takes (`*`), then each source's own.")
    routing: list[Route] = Field(default_factory=list, description="Routing rules, first match wins.")
    slack: Slack = Field(default_factory=Slack, description="Slack alerting.")
    sla: Sla = Field(default_factory=Sla, description="First-response targets.")
    templates: list[Template] = Field(default_factory=list, description="Suggested replies.")
    moderation: Policy = Field(default_factory=Policy, description="Reply moderation policy.")
    replies: ReplyRules = Field(default_factory=ReplyRules, description="The reply path: undo window.")
    retention: Retention = Field(default_factory=Retention, description="Retention of mention personal data.")
    teams: list[Team] = Field(default_factory=list, description="Teams and their assignment rules.")
    care: Care = Field(default_factory=Care, description="Case types, close reasons, promises, notifications.")
    incidents: Incidents = Field(default_factory=lambda: Incidents(),
                                 description="Spikes, incidents and recurring problems.")
    _base_dir: Path = PrivateAttr(default_factory=Path.cwd)

    @property
    def base_dir(self) -> Path:
        """Directory that relative paths in the file are resolved against."""
        return self._base_dir

    @field_validator("sources", mode="wrap")
    @classmethod
    def _source_options(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        """Validate each entry with its own source's options model, keeping every error's location."""
        from monitor.sources import SOURCES  # the registry imports this module

        if not isinstance(value, dict):
            return handler(value)
        for name in value:
            if name not in SOURCES:
                raise ValueError(unknown_name("source", str(name), SOURCES))
        out, errors = {}, []
        for name, entry in value.items():
            try:
                out[name] = SOURCES.options(name).model_validate(entry)
            except ValidationError as exc:
                errors += [{"type": e["type"], "loc": (name, *e["loc"]), "input": e["input"], **_ctx(e)}
                           for e in exc.errors()]
        if errors:
            # raised here, pydantic puts `sources` in front of each location
            raise ValidationError.from_exception_data("sources", errors)  # type: ignore[arg-type]
        return out

    @model_validator(mode="after")
    def _channels_exist(self) -> Rules:
        for i, route in enumerate(self.routing):
            for ch in route.then.slack:
                if ch not in self.slack.channels:
                    known = ", ".join(sorted(self.slack.channels)) or "none defined"
                    raise ValueError(f"routing[{i}] ({route.name}): unknown Slack channel {ch!r}; "
                                     f"defined under slack.channels: {known}")
        for event, channels in self.care.notify.model_dump().items():
            for ch in channels:
                if ch not in self.slack.channels:
                    raise ValueError(f"care.notify.{event}: unknown Slack channel {ch!r}")
        return self

    @model_validator(mode="before")
    @classmethod
    def _reply_languages(cls, data: Any) -> Any:
        """Unless moderation.languages is set, drafts are checked in the languages the brands answer in."""
        if not isinstance(data, dict) or not isinstance(data.get("brands"), list):
            return data
        given = data.get("moderation", {})
        if not isinstance(given, dict) or "languages" in given:
            return data
        moderation: dict[str, Any] = dict(given)
        langs = [lang for b in data["brands"] if isinstance(b, dict) and isinstance(b.get("languages"), list)
                 for lang in b["languages"] if isinstance(lang, str)]
        if not langs:
            return data
        return {**data, "moderation": {**moderation, "languages": list(dict.fromkeys(langs))}}

    @model_validator(mode="after")
    def _incident_channels_exist(self) -> Rules:
        for ch in self.incidents.slack:
            if ch not in self.slack.channels:
                known = ", ".join(sorted(self.slack.channels)) or "none defined"
                raise ValueError(f"incidents.slack: unknown Slack channel {ch!r}; "
                                 f"defined under slack.channels: {known}")
        return self

    def sla_minutes(self, priority: str) -> int:
        """Return the first-response target for a priority."""
        return int(getattr(self.sla, priority))


def _ctx(error: Any) -> dict[str, Any]:
    """The context part of a pydantic error, for raising it again."""
    return {"ctx": error["ctx"]} if "ctx" in error else {}


# Names people type for things registered under another name.
ALIASES = {"twitter": "x", "tweepy": "x", "bsky": "bluesky", "atproto": "bluesky", "praw": "reddit",
           "mastodon.py": "mastodon", "pii_check": "pii", "spell": "spelling", "spellcheck": "spelling"}


def unknown_name(kind: str, name: str, known: Any) -> str:
    """Say that a name is unknown, with a did-you-mean hint and the allowed names."""
    alias = ALIASES.get(name.lower())
    hint = [alias] if alias in known else difflib.get_close_matches(name, list(known), n=1)
    did = f"; did you mean {hint[0]!r}?" if hint else ""
    return f"unknown {kind} {name!r}{did} (available: {', '.join(sorted(known))})"


@dataclass(frozen=True)
class RuleError:
    """One located problem in a rules file."""

    path: str
    line: int
    column: int
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.key}: {self.message}"


class RulesError(Exception):
    """rules.yaml is invalid; `errors` holds every located problem."""

    def __init__(self, errors: list[RuleError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


def _positions(node: yaml.Node, prefix: tuple[Any, ...], out: dict[tuple[Any, ...], tuple[int, int]]) -> None:
    """Map each key path to the (line, column) of its key (or item) in the YAML source."""
    out.setdefault(prefix, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            path = (*prefix, key_node.value)
            out[path] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _positions(value_node, path, out)
            out[path] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _positions(item, (*prefix, i), out)


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """Return the pydantic model that owns the mapping at `loc` (for did-you-mean hints)."""
    model: Any = Rules
    if loc[:1] == ("sources",) and len(loc) > 1:
        from monitor.sources import SOURCES  # the registry imports this module

        # each entry under `sources:` has its own source's model
        model = SOURCES.options(str(loc[1])) if loc[1] in SOURCES else None
        loc = loc[2:]
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if isinstance(model, type) and issubclass(model, BaseModel) else None
        if field is None:
            # dict-valued fields (sources, channels) keep the same value model under any key
            continue
        ann = field.annotation
        args = getattr(ann, "__args__", ())
        model = next((a for a in (ann, *args) if isinstance(a, type) and issubclass(a, BaseModel)), None)
        if model is None:
            return None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _describe(err: Any) -> str:
    """Turn a pydantic error into plain words, with a did-you-mean for unknown keys."""
    loc = tuple(err["loc"])
    if err["type"] == "extra_forbidden":
        owner = _model_at(loc[:-1])
        allowed = sorted(owner.model_fields) if owner else []
        hint = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        did = f"; did you mean {hint[0]!r}?" if hint else ""
        return f"unknown key {loc[-1]!r}{did} (allowed: {', '.join(allowed)})"
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "missing":
        return "required key is missing"
    return msg


def _syntax_error(path: str, exc: yaml.YAMLError) -> RuleError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc)
    return RuleError(path, line, col, "(yaml)", f"invalid YAML: {problem}")


def parse_rules(text: str, path: str = "rules.yaml", base_dir: Path | None = None) -> Rules:
    """Validate rules text; raise RulesError listing every located problem."""
    try:
        node = compose_bounded(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RulesError([_syntax_error(path, exc)]) from None
    except LimitError as exc:
        line, col = (exc.mark.line + 1, exc.mark.column + 1) if exc.mark else (1, 1)
        raise RulesError([RuleError(path, line, col, "(yaml)" if exc.mark else "(file)", exc.message)]) from None
    if not isinstance(data, dict) or node is None:
        raise RulesError([RuleError(path, 1, 1, "(top)", "expected a mapping with at least a `brands:` key")])
    positions: dict[tuple[Any, ...], tuple[int, int]] = {}
    _positions(node, (), positions)
    try:
        rules = Rules.model_validate(data)
        rules._base_dir = base_dir or Path(path).resolve().parent
        return rules
    except ValidationError as exc:
        errors = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            named = re.search(r"unknown \w+ '([^']+)'", str(err["msg"]))
            if named and (*loc, named.group(1)) in positions:
                loc = (*loc, named.group(1))  # point at the offending key itself
            found = next((loc[:i] for i in range(len(loc), -1, -1) if loc[:i] in positions), ())
            line, col = positions.get(found, (1, 1))
            key = ".".join(str(p) for p in loc) or "(top)"
            errors.append(RuleError(path, line, col, key, _describe(err)))
        raise RulesError(errors) from None


def load_rules(path: str | Path | None = None) -> Rules:
    """Read and validate a rules file (default: the bundled rules.yaml)."""
    target = Path(path) if path else DEFAULT_RULES
    try:
        raw = target.read_bytes()
    except OSError as exc:
        raise RulesError([RuleError(str(target), 1, 1, "(file)", f"cannot read: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RulesError([RuleError(str(target), line, 1, "(file)", "not valid UTF-8")]) from None
    return parse_rules(text, str(target), target.resolve().parent)


SpikeScope = Literal["brand", "language", "query"]
SentimentLabel = Literal["negative", "neutral", "positive"]


def _all_scopes() -> list[SpikeScope]:
    return ["brand", "language", "query"]


def _negative_only() -> list[SentimentLabel]:
    return ["negative"]


class SpikeRules(Strict):
    """When a bucket's volume counts as a spike against the learned time-of-week baseline."""

    bucket_minutes: int = Field(15, ge=1, le=1440, description="Length of one counting bucket.")
    history_days: int = Field(28, ge=1, le=365, description="Days of history the baseline learns from.")
    p_value: float = Field(0.001, gt=0, lt=1, description="Tail probability below which a count is a spike.")
    dispersion: float = Field(
        10.0, ge=0, description="Negative-binomial size: variance is mean + mean²/dispersion (0 = Poisson).")
    ratio: float = Field(2.0, ge=1, description="A spike is also at least this many times the baseline.")
    min_count: int = Field(10, ge=1, description="Mentions a bucket needs before it can be a spike.")
    end_after: int = Field(2, ge=1, description="Quiet buckets in a row that end a spike.")
    scopes: list[SpikeScope] = Field(
        default_factory=_all_scopes,
        description="Series watched per brand: all its mentions, per language, per keyword.")


class Incidents(Strict):
    """Spike alerts, incident grouping, digests and recurring problems."""

    enabled: bool = Field(True, description="Whether the pipeline groups mentions and watches for spikes.")
    slack: list[str] = Field(default_factory=list,
                             description="Slack channels for spike alerts, incident messages and digests.")
    similarity: float = Field(0.5, gt=0, le=1, description="Similarity a mention needs to join a group.")
    coherence: float = Field(
        0.38, ge=0, le=1, description="Mean similarity between a group's mentions needed to open an incident.")
    lexical_weight: float = Field(
        0.5, ge=0, lt=1, description="Share of similarity from shared wording (character n-grams) next to meaning.")
    window_minutes: int = Field(60, ge=1, description="A group takes mentions up to this long after its last one.")
    min_mentions: int = Field(8, ge=2, description="Mentions a group needs to become an incident.")
    link_languages_minutes: int = Field(
        30, ge=0, description="Incidents of one brand in different languages that start this close are one (0 = off).")
    close_after_minutes: int = Field(240, ge=1, description="An incident with no new mention for this long closes.")
    digest_minutes: int = Field(30, ge=1, description="At most one Slack digest per incident in this interval.")
    suppress_mention_alerts: bool = Field(
        True, description="Mentions that join an open incident get no Slack alert of their own (cases still open).")
    sentiments: list[SentimentLabel] = Field(
        default_factory=_negative_only, description="Sentiments of the mentions that form incidents.")
    spikes: SpikeRules = Field(default_factory=lambda: SpikeRules(), description="Spike detection.")
    statement_pace_seconds: float = Field(
        30.0, ge=0, description="Seconds between two holding-statement replies on the same platform.")
    recurring_similarity: float = Field(
        0.5, gt=0, le=1, description="Similarity that puts negative mentions in one recurring problem.")


Rules.model_rebuild()

"""Command-line front ends for the text library: `repguard score` and `repguard check`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import IO, Any

from moderation.engine import check
from moderation.policy import Policy
from moderation.scores import score

EXIT_CODES = {"pass": 0, "warn": 1, "block": 2}
BATCH = 64


class InputError(ValueError):
    """A malformed input line; the message names the line."""


def read_jsonl(stream: IO[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank JSON line with a string `text`."""
    for lineno, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"<stdin>:{lineno}: not valid JSON: {exc.msg} (column {exc.colno})") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise InputError(f'<stdin>:{lineno}: expected an object with a string "text" field')
        yield lineno, obj


def score_jsonl(stdin: IO[str], stdout: IO[str], *, threshold: float, backend: str | None = None) -> int:
    """Score JSON lines from stdin and write one result line per input."""
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        for obj, res in zip(batch, score([b["text"] for b in batch], backend=backend), strict=True):
            out = {
                "id": obj.get("id"),
                "sentiment": {"label": res.sentiment.label, "scores": res.sentiment.scores},
                "toxicity": {
                    "score": res.toxicity.score,
                    "toxic": res.toxicity.score >= threshold,
                    "labels": res.toxicity.labels,
                },
                "language": {"code": res.language.code, "score": res.language.score},
            }
            stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        batch.clear()

    for _, obj in read_jsonl(stdin):
        batch.append(obj)
        if len(batch) >= BATCH:
            flush()
    flush()
    return 0


def check_jsonl(stdin: IO[str], stdout: IO[str], *, policy: Policy, platform: str) -> int:
    """Check JSON lines from stdin and write one verdict line per input."""
    for _, obj in read_jsonl(stdin):
        verdict = check(obj["text"], platform=str(obj.get("platform") or platform), policy=policy)
        stdout.write(json.dumps({"id": obj.get("id"), **verdict.to_dict()}, ensure_ascii=False) + "\n")
    return 0


def render_verdict(text: str, verdict_dict: dict[str, Any]) -> str:
    """Render a verdict for people: action, then each finding with its span and fix."""
    lines = [f"{verdict_dict['action'].upper()}"]
    for f in verdict_dict["findings"]:
        fix = f" → {f['suggestions'][0]!r}" if f["suggestions"] else ""
        lines.append(f"  [{f['severity']}] {f['check']}/{f['label']} {f['start']}-{f['end']} "
                     f"{f['text']!r}: {f['message']}{fix}")
    if verdict_dict["fixed_text"] != text:
        lines.append(f"  fixed: {verdict_dict['fixed_text']}")
    return "\n".join(lines)


def run_check(args: argparse.Namespace, policy: Policy) -> int:
    """Run `repguard check` with parsed arguments."""
    try:
        if args.jsonl:
            return check_jsonl(sys.stdin, sys.stdout, policy=policy, platform=args.platform)
        text = sys.stdin.read() if args.text in (None, "-") else args.text
        verdict = check(text, platform=args.platform, policy=policy)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    if args.json:
        print(json.dumps(verdict.to_dict(), ensure_ascii=False))
    else:
        print(render_verdict(text, verdict.to_dict()))
    return EXIT_CODES[verdict.action]


def run_score(args: argparse.Namespace, policy: Policy) -> int:
    """Run `repguard score` with parsed arguments."""
    try:
        return score_jsonl(sys.stdin, sys.stdout, threshold=policy.toxicity.warn, backend=args.backend)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3

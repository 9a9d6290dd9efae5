"""Project-authored training sentences per language, expanded from the hand-written fragments in
scripts/data/multilingual_authored/<lang>.yaml (complaints, praise, questions, insults, agent replies).

Written for this project (no outside text), so they may train the shipped heads; they cover what the
licence-clean public sets lack: Urdu sentiment, toxicity for Thai, Urdu, Vietnamese, Bulgarian, Spanish and
Indonesian, and neutral customer questions in every language. Expansion is deterministic: each sentence
alone, then joined with one of its category's tails (or, for insults, after a lead-in). The held-out carve
groups every variant with its base sentence, so no sentence is on both sides.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

FOLDER = Path(__file__).resolve().parent / "data" / "multilingual_authored"
SENTIMENT_KEYS = {"negative": "negative_tail", "neutral": None, "positive": "positive_tail"}
TOXIC_KEYS = {"insult": ("toxic", "insult_lead"), "benign": ("not_toxic", "benign_tail"),
              "neutral": ("not_toxic", None)}


def languages() -> list[str]:
    """Languages with a fragment file."""
    return sorted(p.stem for p in FOLDER.glob("*.yaml"))


def _expand(base: list[str], extra: list[str], before: bool) -> list[tuple[str, str]]:
    """(text, base) pairs: every sentence alone and with one extra fragment, chosen round-robin."""
    rows = [(s, s) for s in base]
    for i, s in enumerate(base):
        if extra:
            frag = extra[i % len(extra)]
            rows.append((f"{frag} {s}" if before else f"{s} {frag}", s))
    return rows


def frame(lang: str, task: str) -> pd.DataFrame:
    """Columns text, label, group (the base sentence) for one language and task."""
    spec = yaml.safe_load((FOLDER / f"{lang}.yaml").read_text(encoding="utf-8"))
    rows: list[tuple[str, str, str]] = []
    if task == "sentiment":
        for label, tail in SENTIMENT_KEYS.items():
            rows += [(t, label, g) for t, g in _expand(spec[label], spec.get(tail, []) if tail else [], False)]
    else:
        for key, (label, extra) in TOXIC_KEYS.items():
            frags = spec.get(extra, []) if extra else []
            rows += [(t, label, g) for t, g in _expand(spec[key], frags, key == "insult")]
    return pd.DataFrame(rows, columns=["text", "label", "group"]).drop_duplicates("text")


TEMPLATES = Path(__file__).resolve().parent / "data" / "multilingual_templates"


def template_languages() -> list[str]:
    """Languages with a slot-fragment file."""
    return sorted(p.stem for p in TEMPLATES.glob("*.yaml"))


def templated(lang: str) -> pd.DataFrame:
    """Columns text, label, group: slot sentences built from one language's fragments.

    Each service failure appears told flatly, with a churn threat, after a praise word (sarcasm) — all
    negative — and followed by how it was fixed plus thanks (positive); praise and questions stand alone.
    `group` ties every variant to its failure, so a cross-validation fold never splits them.
    """
    spec = yaml.safe_load((TEMPLATES / f"{lang}.yaml").read_text(encoding="utf-8"))
    join, rows = spec["join"], []
    for i, fail in enumerate(spec["failure"]):
        lead, thanks = spec["sarcasm_lead"][i % len(spec["sarcasm_lead"])], spec["thanks"][i % len(spec["thanks"])]
        churn, fixed = spec["churn"][i % len(spec["churn"])], spec["fixed"][i % len(spec["fixed"])]
        rows += [(fail[0].upper() + fail[1:], "negative", fail), (f"{fail}{join}{churn}", "negative", fail),
                 (f"{lead}{join}{fail}{join}{thanks}", "negative", fail),
                 (f"{fail}{join}{fixed}{join}{spec['thanks_fixed']}", "positive", fail)]
    rows += [(t, "positive", t) for t in spec["praise"]] + [(t, "neutral", t) for t in spec["question"]]
    # whole sentences that fit no slot: sarcasm without a failure word and its praising look-alikes
    rows += [(t, label, t) for label, texts in spec.get("standalone", {}).items() for t in texts]
    return pd.DataFrame(rows, columns=["text", "label", "group"])

"""Tests for the shipped ONNX text model, the backend registry and the optional Detoxify backend."""

from __future__ import annotations

import io
import json
import shutil
import sys
import threading
import time
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from moderation import scores as scores_mod
from moderation.cli import score_jsonl
from moderation.detox import DetoxifyScorer, DetoxifyUnavailable, load_detoxify
from moderation.scores import SENTIMENT_LABELS, get_scorer, score
from moderation.stacker import FEATURES, STACKER_FILE, SentimentStacker
from moderation.textmodel import DATA_DIR, OnnxScorer, TextModel, artefact_present, model_dir

INSULT = "You are a pathetic idiot and everyone hates you, shut up."
THANKS = "Thank you so much for your help today, you made my week!"
NEGATIVE = "Worst customer service ever. Three hours on hold and my order is still missing. Furious."
POSITIVE = "I absolutely love the new update, great job team!"
FRENCH = "Bonjour, je voudrais changer ma réservation s'il vous plaît"
BATCH = [INSULT, THANKS, NEGATIVE, POSITIVE, "ok", "", FRENCH]


@pytest.fixture(scope="module")
def scorer() -> Any:
    """The shipped model, loaded once for the module."""
    return get_scorer("onnx")


def test_artefact_is_shipped_and_default() -> None:
    assert artefact_present()
    assert scores_mod.DEFAULT_BACKEND == "onnx"
    meta = json.loads((DATA_DIR / "textmodel.json").read_text())
    assert (DATA_DIR / meta["model"]).stat().st_size < 60_000_000


def test_insult_scores_higher_than_thanks(scorer: Any) -> None:
    insult, thanks = scorer.score([INSULT, THANKS])
    assert insult.toxicity.score > thanks.toxicity.score
    assert insult.toxicity.score >= 0.5 > thanks.toxicity.score
    assert set(insult.toxicity.labels) >= {"offensive", "identity_attack", "obscene"}


def test_clear_sentiment(scorer: Any) -> None:
    neg, pos = scorer.score([NEGATIVE, POSITIVE])
    assert neg.sentiment.label == "negative"
    assert pos.sentiment.label == "positive"
    for res in (neg, pos):
        assert list(res.sentiment.scores) == list(SENTIMENT_LABELS)
        assert sum(res.sentiment.scores.values()) == pytest.approx(1.0, abs=1e-3)
        assert res.backend == "onnx"


COMPLAINTS = ["the store in Bristol was closed during opening hours. Not happy.",
              "my card was charged twice, please refund!!"]


def test_sentiment_stacker_is_shipped_and_applied(scorer: Any) -> None:
    spec = json.loads((DATA_DIR / STACKER_FILE).read_text())
    assert tuple(spec["features"]) == FEATURES
    assert len(spec["coef"]) == len(spec["intercept"]) == len(SENTIMENT_LABELS)
    assert all(len(row) == len(FEATURES) for row in spec["coef"])
    assert isinstance(scorer.stacker, SentimentStacker)
    raw = OnnxScorer(stacker=False).score(COMPLAINTS)
    assert [r.sentiment.label for r in raw] != ["negative", "negative"]  # what the stacker fixes
    for res in scorer.score(COMPLAINTS):
        assert res.sentiment.label == "negative"
        assert list(res.sentiment.scores) == list(SENTIMENT_LABELS)
        assert sum(res.sentiment.scores.values()) == pytest.approx(1.0, abs=1e-3)


def test_stacker_keeps_blank_texts_and_is_optional(tmp_path: Path) -> None:
    stacker = SentimentStacker.load(DATA_DIR / STACKER_FILE)
    assert stacker is not None and SentimentStacker.load(tmp_path / STACKER_FILE) is None
    onnx = [[0.2, 0.7, 0.1], [0.3, 0.4, 0.3]]
    out = stacker.apply(np.asarray(onnx), ["  ", "Not happy at all."])
    assert out[0].tolist() == onnx[0]
    assert out.sum(axis=1) == pytest.approx([1.0, 1.0])
    with pytest.raises(ValueError, match="do not match"):
        SentimentStacker({**stacker.spec, "features": ["x"]})


def test_flat_brand_complaints_are_negative_and_questions_are_not(scorer: Any) -> None:
    """Complaints told without a sentiment word read as negative; a plain question or thanks does not."""
    from moderation.stacker import SERVICE_FAILURE

    assert SERVICE_FAILURE.findall("Still no refund after 3 weeks, on hold again") == ["Still", "refund", "3 weeks",
                                                                                         "on hold", "again"]
    # none of these strings is in bench/data/brand_mentions_en.tsv (the stacker's generated training rows)
    flat = ["@FlyCo my suitcase went to Oslo and I went to Rome, 2 days and nobody has called",
            "@Bankly the transfer I made on monday is still not in my account"]
    calm = ["@FlyCo do you allow skis as checked baggage?", "@Bankly thanks, the new card arrived today!"]
    generated = (DATA_DIR.parents[1] / "bench" / "data" / "brand_mentions_en.tsv").read_text(encoding="utf-8")
    assert not any(t in generated for t in flat + calm)
    labels = [r.sentiment.label for r in scorer.score(flat + calm)]
    assert labels[:2] == ["negative", "negative"] and "negative" not in labels[2:]


def test_language(scorer: Any) -> None:
    en, fr = scorer.score([NEGATIVE, BATCH[-1]])
    assert (en.language.code, fr.language.code) == ("en", "fr")
    assert 0.5 < en.language.score <= 1.0


def test_batch_matches_single(scorer: Any) -> None:
    batched = scorer.score(BATCH)
    for text, res in zip(BATCH, batched, strict=True):
        (single,) = scorer.score([text])
        assert single.sentiment.label == res.sentiment.label or text in ("ok", "")
        assert single.toxicity.score == pytest.approx(res.toxicity.score, abs=0.05)
        for label, value in res.sentiment.scores.items():
            assert single.sentiment.scores[label] == pytest.approx(value, abs=0.05)


def test_order_is_kept_with_length_sorting(scorer: Any) -> None:
    texts = [INSULT, "ok", THANKS * 3, "", NEGATIVE]
    forward = scorer.score(texts)
    backward = scorer.score(texts[::-1])[::-1]
    for a, b in zip(forward, backward, strict=True):
        assert a.toxicity.score == pytest.approx(b.toxicity.score, abs=0.05)


def test_long_text_is_truncated(scorer: Any) -> None:
    (res,) = scorer.score([NEGATIVE * 40])
    assert 0.0 <= res.toxicity.score <= 1.0


def test_concurrent_scoring_is_consistent(scorer: Any) -> None:
    expected = [r.toxicity.score for r in scorer.score(BATCH)]
    errors: list[BaseException] = []
    results: list[list[float]] = []

    def work() -> None:
        try:
            for _ in range(3):
                results.append([r.toxicity.score for r in scorer.score(BATCH)])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 18
    for got in results:
        assert got == pytest.approx(expected, abs=1e-6)


def test_loading_happens_once_across_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[object] = []

    def slow_factory() -> OnnxScorer:
        time.sleep(0.05)
        made = OnnxScorer()
        built.append(made)
        return made

    monkeypatch.setitem(scores_mod.BACKENDS, "onnx-once", slow_factory)
    got: list[object] = []
    threads = [threading.Thread(target=lambda: got.append(get_scorer("onnx-once"))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    scores_mod._loaded.pop("onnx-once", None)
    assert len(built) == 1
    assert all(g is built[0] for g in got)


def test_unknown_backend_errors() -> None:
    with pytest.raises(ValueError, match="unknown scorer 'nope'"):
        score(["hello"], backend="nope")


def test_empty_input() -> None:
    assert score([], backend="onnx") == []
    assert get_scorer("onnx").score([]) == []


def test_model_dir_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not artefact_present(tmp_path)
    for name in ("textmodel.json", "tokenizer.json", "textmodel.int8.onnx"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    monkeypatch.setenv("REPGUARD_TEXTMODEL_DIR", str(tmp_path))
    assert model_dir() == tmp_path
    assert artefact_present()
    model = TextModel()
    probs = model.predict([INSULT, THANKS])
    assert set(probs) >= {"sentiment", "offensive", "hate"}
    assert probs["sentiment"].shape == (2, 3)


def test_score_jsonl_shape() -> None:
    lines = [json.dumps({"id": i, "text": t}) for i, t in enumerate([INSULT, THANKS, NEGATIVE])]
    out = io.StringIO()
    assert score_jsonl(io.StringIO("\n".join(lines) + "\n"), out, threshold=0.5, backend="onnx") == 0
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in rows] == [0, 1, 2]
    for row in rows:
        assert set(row) == {"id", "sentiment", "toxicity", "language"}
        assert set(row["sentiment"]) == {"label", "scores"}
        assert set(row["toxicity"]) == {"score", "toxic", "labels"}
        assert set(row["language"]) == {"code", "score"}
        assert row["toxicity"]["toxic"] == (row["toxicity"]["score"] >= 0.5)
    assert rows[0]["toxicity"]["toxic"] and not rows[1]["toxicity"]["toxic"]


def test_detoxify_needs_a_checkpoint(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("REPGUARD_DETOXIFY_CHECKPOINT", raising=False)
    with pytest.raises(DetoxifyUnavailable, match="REPGUARD_DETOXIFY_CHECKPOINT"):
        load_detoxify()
    with pytest.raises(DetoxifyUnavailable, match="not found"):
        load_detoxify(str(tmp_path / "missing.ckpt"))
    with pytest.raises(DetoxifyUnavailable):
        get_scorer("detoxify")
    assert "detoxify" not in scores_mod._loaded


def test_detoxify_loading_and_mapping(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Stand-in `detoxify` module: checks the constructor arguments and the output mapping."""
    calls: list[tuple[Any, ...]] = []

    class FakeDetoxify:
        def __init__(self, model_type: str, checkpoint: str, device: str,
                     huggingface_config_path: Any) -> None:
            calls.append((model_type, checkpoint, device, huggingface_config_path))

        def predict(self, texts: list[str]) -> dict[str, list[float]]:
            return {"toxicity": [0.9 if "idiot" in t else 0.1 for t in texts], "insult": [0.8] * len(texts)}

    ckpt = tmp_path / "model.ckpt"
    ckpt.write_bytes(b"x")
    monkeypatch.setitem(sys.modules, "detoxify", types.SimpleNamespace(Detoxify=FakeDetoxify))
    monkeypatch.setenv("REPGUARD_DETOXIFY_CHECKPOINT", str(ckpt))
    monkeypatch.setenv("REPGUARD_DETOXIFY_CONFIG", str(tmp_path))
    model = load_detoxify(model_type="unbiased")
    assert calls == [("unbiased", str(ckpt), "cpu", str(tmp_path))]
    insult, thanks = DetoxifyScorer(model).score([INSULT, THANKS])
    assert (insult.toxicity.score, thanks.toxicity.score) == (0.9, 0.1)
    assert insult.toxicity.labels == {"insult": 0.8}
    assert insult.backend == "detoxify" and insult.language.code == "en"


def test_detoxify_single_text_is_squeezed_to_floats() -> None:
    """Detoxify's predict returns a float per label (not a list) for a one-text batch."""

    class SqueezingDetoxify:
        def predict(self, texts: list[str]) -> dict[str, Any]:
            rows = [[0.9 if "idiot" in t else 0.1, 0.3] for t in texts]
            cols = {"toxicity": [r[0] for r in rows], "insult": [r[1] for r in rows]}
            return {k: v[0] if len(v) == 1 else v for k, v in cols.items()}

    (one,) = DetoxifyScorer(SqueezingDetoxify()).score([INSULT])
    assert one.toxicity.score == 0.9 and one.toxicity.labels == {"insult": 0.3}
    assert [s.toxicity.score for s in DetoxifyScorer(SqueezingDetoxify()).score([INSULT, THANKS])] == [0.9, 0.1]


def test_policy_check_uses_the_default_backend() -> None:
    from moderation import Policy, check

    assert Policy().scorer is None
    verdict = check("Thanks for waiting. You are a pathetic idiot.", platform="x", policy=Policy())
    assert any(f.check == "toxicity" for f in verdict.findings)
    assert "onnx" in scores_mod._loaded

"""The multilingual reply-insult head: loading, the two operating points, and its place in the reply check.

Every reply here was written for these tests (not taken from a bench or training set).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

import moderation.checks.native as native
from moderation import check
from moderation.embed import embed
from moderation.hostility import features
from moderation.policy import ToxicityPolicy
from moderation.replyhead import ReplyHead, reply_head, reply_insult
from moderation.replyngrams import ReplyNgrams, buckets, grams

BELITTLING = [  # no insult word: the multilingual toxicity heads alone let each of them through
    "Franchement, si vous aviez lu le mode d'emploi comme un adulte, on n'en serait pas là.",
    "Kalau nggak ngerti cara pakai aplikasi, mending minta tolong cucu aja deh, Pak.",
]


def _toxicity(text: str) -> list[tuple[str, str]]:
    return [(f.label, f.severity) for f in check(text).findings if f.check == "toxicity"]


def test_a_tiny_head_loads_and_predicts_the_logistic_unit(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    spec = {"mean": rng.normal(size=4).tolist(), "scale": (rng.random(4) + 0.5).tolist(),
            "coef": rng.normal(size=4).tolist(), "intercept": -0.3, "threshold": 0.9, "veto_below": 0.05,
            "languages": ["fr", "vi"]}
    path = tmp_path / "head.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    head = ReplyHead.load(path)
    x = rng.normal(size=(3, 4)).astype(np.float32)
    z = ((features(x) - np.asarray(spec["mean"])) / np.asarray(spec["scale"])) @ np.asarray(spec["coef"]) - 0.3
    assert np.allclose(head.predict(x), 1 / (1 + np.exp(-z)), atol=1e-5)
    assert head.languages == frozenset({"fr", "vi"}) and head.veto_below < head.threshold


def test_the_shipped_head_covers_the_ten_languages_and_not_english() -> None:
    head = reply_head()
    assert head is not None
    assert {"ar", "bg", "de", "es", "fr", "id", "pt", "th", "ur", "vi"} <= head.languages
    assert reply_insult("You could have read the manual like an adult.", "en") is None


@pytest.mark.parametrize("text", BELITTLING)
def test_belittling_without_an_insult_word_is_flagged(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert ("insult", "warn") in _toxicity(text)
    monkeypatch.setattr(native, "reply_insult", lambda *args: None)
    assert _toxicity(text) == []  # the heads alone miss it


def test_a_plainly_benign_reply_vetoes_the_heads_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Mày đúng là quái vật, chạy 42 km luôn 😂🔥 Quà của bạn ở quầy lễ tân nhé!"  # warm gym slang
    assert _toxicity(text) == []  # the shipped head vetoes it
    monkeypatch.setattr(native, "reply_insult", lambda *args: None)
    assert ("insult", "warn") in _toxicity(text)  # the heads read "quái vật" (monster) as an insult
    sure_benign = SimpleNamespace(veto_below=0.2, threshold=0.9)
    monkeypatch.setattr(native, "reply_insult", lambda *args: (0.1, sure_benign))
    assert _toxicity(text) == []
    unsure = SimpleNamespace(veto_below=0.05, threshold=0.9)
    monkeypatch.setattr(native, "reply_insult", lambda *args: (0.1, unsure))
    assert ("insult", "warn") in _toxicity(text)  # over the veto point the heads' finding stays


def test_char_ngrams_stay_inside_word_edges_and_read_thai() -> None:
    assert grams("Ab c") == [" a", "ab", "b ", " ab", "ab ", " ab ", " c", "c ", " c "]
    thai = grams("โง่จริง")  # no spaces in Thai: the grams run through the whole run of letters
    assert " โ" in thai and "โง่จ" in thai and len(thai) == len(set(thai)) + (len(thai) - len(set(thai)))


def test_hashed_ngrams_give_scikit_learns_logit(tmp_path: Path) -> None:
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.linear_model import LogisticRegression

    texts = ["t'es un boulet", "vous êtes nul", "merci beaucoup", "bonne journée à vous", "quel boulet, nul",
             "merci, bonne journée"]
    y = np.asarray([1, 1, 0, 0, 1, 0])
    bits = 10
    rows, cols, vals = zip(*[(r, c, n) for r, t in enumerate(texts) for c, n in buckets(t, bits).items()],
                           strict=True)
    counts = csr_matrix((vals, (rows, cols)), shape=(len(texts), 1 << bits))
    tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
    clf = LogisticRegression(C=10).fit(tfidf.transform(counts), y)
    np.savez_compressed(tmp_path / "ng.npz", idf=tfidf.idf_, coef=clf.coef_[0])  # stored float64, read as float32
    model = ReplyNgrams.load(tmp_path / "ng.npz", float(clf.intercept_[0]), 2.0)
    new = ["Vous êtes un boulet.", "Merci et bonne journée !", "🙂"]
    new_counts = csr_matrix([[buckets(t, bits).get(i, 0) for i in range(1 << bits)] for t in new])
    expected = clf.decision_function(tfidf.transform(new_counts))
    assert np.allclose([model.logit(t) for t in new], expected, atol=1e-5)
    assert model.logit(new[0]) > 0 > model.logit(new[1]) and model.bits == bits


def test_the_shipped_head_stacks_its_ngrams() -> None:
    head = reply_head()
    assert head is not None and head.ngrams is not None
    text = "Sérieux, vous êtes un vrai boulet, relisez le mail."
    vector = embed([text])
    assert head.predict(vector, [text])[0] != pytest.approx(replace(head, ngrams=None).predict(vector)[0])
    with pytest.raises(ValueError, match="pass the texts"):
        head.predict(vector)


class _Heads:
    """Heads that find a text toxic when it contains "plaie"."""

    def predict(self, texts: list[str], languages: list[str], adapted: bool = True) -> tuple[np.ndarray, np.ndarray]:
        tox = np.asarray([0.7 if "plaie" in t else 0.05 for t in texts], dtype=np.float32)
        return np.full((len(texts), 3), 1 / 3, dtype=np.float32), tox


def test_a_long_courteous_reply_does_not_veto_its_insulting_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    sentences = ["Merci pour votre message et pour votre patience.", "Nous avons vérifié la commande ce matin.",
                 "Vous êtes une vraie plaie."]
    text = " ".join(sentences)
    spans, start = [], 0
    for sentence in sentences:
        spans.append((start, start + len(sentence)))
        start += len(sentence) + 1
    head = SimpleNamespace(veto_below=0.3, threshold=0.9)

    def found(scores: dict[str, float]) -> list[str]:
        monkeypatch.setattr(native, "reply_insult", lambda t, lang: (scores.get(t, 0.95), head))
        return [f.text for f in native.native_findings(text, spans, sentences, [[0, 1, 2]], "fr", _Heads(),
                                                       ToxicityPolicy(), [])]

    assert found({text: 0.1}) == ["Vous êtes une vraie plaie."]  # the sentence alone reads as an insult
    assert found({text: 0.1, sentences[2]: 0.1}) == []  # benign both ways: the heads' finding is dropped


def test_a_head_whose_ngram_file_is_missing_is_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    import moderation.data
    import moderation.replyhead as replyhead

    spec = json.loads((Path(moderation.data.__file__).parent / "reply_insults_e5.json").read_text(encoding="utf-8"))
    (tmp_path / "reply_insults_e5.json").write_text(json.dumps(spec), encoding="utf-8")  # no .npz beside it
    (tmp_path / "__init__.py").write_text("", encoding="utf-8")
    monkeypatch.setattr(moderation.data, "__file__", str(tmp_path / "__init__.py"))
    replyhead.reply_head.cache_clear()
    try:
        assert replyhead.reply_head() is None
        assert replyhead.reply_insult("Vous êtes un boulet.", "fr") is None
        assert "reply-insult head unavailable" in caplog.text
    finally:
        monkeypatch.undo()
        replyhead.reply_head.cache_clear()
    assert replyhead.reply_head() is not None

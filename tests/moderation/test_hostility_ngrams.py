"""Word n-gram model stacked on the hostility head: same features as at training, shipped and wired in."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from moderation.hostility import HOSTILITY_FILE, SECOND_FILE, HostilityHead
from moderation.hostility_ngrams import NGRAM_FILE, NgramModel, analyse, terms
from moderation.textmodel import DATA_DIR, OnnxScorer, artefact_present

needs_model = pytest.mark.skipif(not artefact_present(), reason="shipped text model not installed")


def test_terms_are_content_words_and_word_pairs_lower_cased() -> None:
    assert terms("Try to keep UP, try!") == {"try": 2, "keep": 1, "up": 1, "try to": 1, "to keep": 1,
                                            "keep up": 1, "up try": 1}
    assert terms("Your fault") == {"fault": 1, "your fault": 1}  # "your" only inside a pair
    assert terms("a I") == {}  # one-letter tokens are not words (as in scikit-learn)
    assert terms("Try to keep UP", unigrams=False) == {"try to": 1, "to keep": 1, "keep up": 1}


def test_logit_matches_scikit_learn_tfidf_and_logistic_regression() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = ["read the guide first", "thanks for reading the guide", "read it again, slowly",
             "glad the guide helped", "maybe read it this time", "thanks, all sorted now"]
    y = np.asarray([1, 0, 1, 0, 1, 0])
    vec = TfidfVectorizer(analyzer=analyse, sublinear_tf=True)
    clf = LogisticRegression(C=10.0).fit(vec.fit_transform(texts), y)
    vocab = {t: (float(vec.idf_[i]), float(clf.coef_[0][i])) for t, i in vec.vocabulary_.items()}
    model = NgramModel(vocab, float(clf.intercept_[0]), 1.0, 0.0)
    probe = ["read the guide read the guide", "thanks again", "nothing known here"]
    assert [model.logit(t) for t in probe] == pytest.approx(list(clf.decision_function(vec.transform(probe))),
                                                            abs=1e-9)


def test_stack_adds_weighted_logits_and_recentres_on_the_offset() -> None:
    model = NgramModel({"slowly": (1.0, 2.0)}, -1.0, 1.5, 0.5)
    scores = model.stack(np.asarray([0.0, 0.0]), ["read it slowly", "no match"])
    assert scores[0] == pytest.approx(1 / (1 + math.exp(-(1.5 * (2.0 - 1.0) - 0.5))))
    assert scores[1] == pytest.approx(1 / (1 + math.exp(-(1.5 * -1.0 - 0.5))))
    assert scores[1] < 0.5 < scores[0]


def test_shipped_head_names_its_ngram_model_and_the_e5_head_does_not() -> None:
    head = HostilityHead.load(DATA_DIR / HOSTILITY_FILE)
    assert head.ngrams is not None and head.ngrams.weight > 0 and len(head.ngrams.vocab) > 1000
    assert (DATA_DIR / NGRAM_FILE).stat().st_size < 5_000_000
    assert HostilityHead.load(DATA_DIR / SECOND_FILE).ngrams is None
    assert json.loads((DATA_DIR / SECOND_FILE).read_text(encoding="utf-8"))["band_low"] < 0.5


def test_predict_without_texts_is_the_head_alone() -> None:
    head = HostilityHead.load(DATA_DIR / HOSTILITY_FILE)
    # near the head's mean direction, so that no score saturates at 0 or 1
    noise = np.random.default_rng(0).normal(scale=0.01, size=(3, 384))
    pooled = (np.tile(head.mean, (3, 1)) + noise).astype(np.float32)
    alone = 1 / (1 + np.exp(-head.logits(pooled)))
    assert np.allclose(head.predict(pooled), alone)
    stacked = head.predict(pooled, ["Try to keep up.", "Thanks for waiting!", "ok"])
    assert head.ngrams is not None
    expected = head.ngrams.stack(head.logits(pooled), ["Try to keep up.", "Thanks for waiting!", "ok"])
    assert np.allclose(stacked, expected) and not np.allclose(stacked, alone)


@needs_model
def test_scorer_reports_the_stacked_score() -> None:
    scorer = OnnxScorer(multilingual=False)
    texts = ["Your parcel is on its way, thanks for waiting.",
             "Maybe read the email before writing to us again."]
    calm, jab = scorer.score(texts, language="en", sentiment=False)
    assert calm.toxicity.hostility is not None and jab.toxicity.hostility is not None
    assert calm.toxicity.hostility < 0.5 <= jab.toxicity.hostility


@needs_model
def test_everyday_care_sentences_are_not_read_as_jabs() -> None:
    scorer = OnnxScorer(multilingual=False)
    texts = ["Thanks for bringing this to our attention.", "We appreciate you bringing this to our attention.",
             "Thanks for letting us know."]
    for text in texts:  # one at a time, as a one-sentence reply is scored
        assert scorer.score([text], language="en", sentiment=False)[0].toxicity.hostility < 0.4, text


def test_plain_terms_are_capped_and_jabs_are_not() -> None:
    vocab = {"stop": (1.0, 6.0), "to our": (1.0, 5.0), "your fault": (1.0, 5.0), "read": (1.0, -3.0)}
    capped = NgramModel(vocab, 0.0, 1.0, 0.0, plain_cap=2.0)
    free = NgramModel(vocab, 0.0, 1.0, 0.0)
    assert [capped.vocab[t][1] for t in vocab] == [2.0, 2.0, 5.0, -3.0]  # negative weights are left alone
    assert capped.logit("please stop, this goes to our team") < free.logit("please stop, this goes to our team")
    assert capped.logit("it is your fault") == free.logit("it is your fault")


def test_shipped_model_caps_plain_terms() -> None:
    model = NgramModel.load(DATA_DIR / NGRAM_FILE)
    assert model.plain_cap is not None
    fitted = json.loads((DATA_DIR / NGRAM_FILE).read_text(encoding="utf-8"))["vocab"]
    ordinary = [t for t, (_, c) in fitted.items() if " " not in t and c > model.plain_cap]
    assert ordinary, "the cap should bind on some single words, or it is not needed"
    assert {model.vocab[t][1] for t in ordinary} == {model.plain_cap}
    assert model.vocab["your fault"][1] == fitted["your fault"][1]  # a pair with a content word is not capped

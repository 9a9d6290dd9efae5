"""Personal data hidden by typing tricks, cues after the value, address blocks, and look-alikes left alone."""

from __future__ import annotations

import pytest

from moderation.checks import CheckContext
from moderation.engine import _get
from moderation.pii_normalize import normalise, original_span

ZW = "\u200b"


@pytest.mark.parametrize(("text", "expected"), [
    ("call ０９０-１２３４-５６７８", "call 090-1234-5678"),
    (f"card 4111{ZW}1111", "card 41111111"),
    ("number 4l5-555-O188", "number 415-555-0188"),
    ("No1 iOS17 Go1 I 100 0x800F0922", "No1 iOS17 Go1 I 100 0x800F0922"),  # letters in words stay letters
    ("dial 0 6 1 2 3 4 5 6 7 8 now", "dial 0612345678 now"),
    ("mail r o b @ g m a i l . c o m", "mail rob@gmail.com"),
    ("Press 1 2 3 then", "Press 1 2 3 then"),  # too few digits to be a value
    ("card four one one one, one one one one, one one one one, one one one one.",
     "card 4111 1111 1111 1111."),  # a comma between groups read out becomes a space
    ("plus four four, seven seven zero zero, nine zero zero one two three", "+44 7700 900123"),
    ("the IBAN begins GB29 NWBK and continues 6016 1331 9268 19", "the IBAN begins GB29 NWBK 6016 1331 9268 19"),
    ("4111 1111 and the second half 1111 1111", "4111 1111 1111 1111"),
    ("one plus one is two", "one plus one is two"),  # "plus" only counts before a number read out
    ("Press OK and then wait", "Press OK and then wait"),  # no digits after: nothing joined
    ("one of our two agents", "one of our two agents"),
])
def test_normalise(text: str, expected: str) -> None:
    """Tricks are undone; ordinary words and short digit lists are not touched."""
    assert normalise(text)[0] == expected


def test_spans_map_back_to_the_original() -> None:
    """A span of the normalised text covers the same value in the original, hidden characters included."""
    text = f"x 4{ZW}O12 y and four one one one, one one one one, one one one one, one one one one!"
    norm, where = normalise(text)
    start = norm.index("4012")
    assert text[slice(*original_span(where, start, start + 4))] == f"4{ZW}O12"
    start = norm.index("4111")
    end = norm.index("1111!") + 4
    assert text[slice(*original_span(where, start, end))].endswith("one one one one")


def _found(text: str) -> list[tuple[str, str]]:
    """(label, exact text) of each PII finding."""
    return [(f.label, f.text) for f in _get("pii").analyze(text, CheckContext())]


@pytest.mark.parametrize(("text", "label", "value"), [
    ("Your mobile ０９０-１２３４-５６７８ is saved.", "PHONE_NUMBER", "０９０-１２３４-５６７８"),
    (f"We'll text 415{ZW}555{ZW}0143 today.", "PHONE_NUMBER", f"415{ZW}555{ZW}0143"),
    ("The refund to card 4O12 8888 8888 1881 is done.", "CREDIT_CARD", "4O12 8888 8888 1881"),
    ("The card is four one one one, one one one one, one one one one, one one one one.", "CREDIT_CARD",
     "four one one one, one one one one, one one one one, one one one one"),
    ("Your card number is 4111 1111 and then 1111 1111.", "CREDIT_CARD", "4111 1111 and then 1111 1111"),
    ("555-0123 is his home line, he prefers evenings.", "PHONE_NUMBER", "555-0123"),
    ("Confirming 617, 555, 0142 as the best number to call.", "PHONE_NUMBER", "617, 555, 0142"),
    ("Reach him on 030/1234/5678 after lunch.", "PHONE_NUMBER", "030/1234/5678"),
    ("We'll call you on 92440268.", "PHONE_NUMBER", "92440268"),
    ("Refunded to de89.3704.0044.0532.0130.00 today.", "IBAN_CODE", "de89.3704.0044.0532.0130.00"),
    ("Account:\nGB29 NWBK\n6016 1331 9268 19", "IBAN_CODE", "GB29 NWBK\n6016 1331 9268 19"),
    ("Send it to john dot smith at yahoo dot com.", "EMAIL_ADDRESS", "john dot smith at yahoo dot com"),
    ("We'll post it to Postfach 12 34, 10117 Berlin.", "STREET_ADDRESS", "Postfach 12 34, 10117 Berlin"),
    ("Carrera 7 #32-16, Bogotá is on the label.", "STREET_ADDRESS", "Carrera 7 #32-16"),
    ("i have your address as 7104 mitchell lights\nandrewmouth, mi 22527", "STREET_ADDRESS",
     "7104 mitchell lights\nandrewmouth, mi 22527"),
    ("Send it to Studio 10U\nWillis Springs\nKirbyfurt\nHS0R 2ZE.", "STREET_ADDRESS",
     "Studio 10U\nWillis Springs\nKirbyfurt\nHS0R 2ZE"),
])
def test_hidden_values_are_found_on_the_original_text(text: str, label: str, value: str) -> None:
    """The value is reported with its exact span in the text as written."""
    assert (label, value) in _found(text)


@pytest.mark.parametrize("text", [
    "12345678 is your order number.",
    "4567 8901 23 is your ticket reference.",
    "Your tracking code is 9400 1111 2222 3333 4444 55.",
    "iPhone 15 Pro Max 256 GB, IMEI 35 209900 176148 1",
    "We'll ring 0161-496-0000 ext 22, our Manchester office.",
    "Our number is 020 7946 0000, call any time.",
    "Hours: 9-17 weekdays, 10-16 Saturdays.",
    "Our returns centre: Unit 9, Parkway Trading Estate, Manchester M17 1SN.",
    "Our returns address is\nUnit 5, Brookfield Estate\nLeeds LS9 0PS",
    "Order 112-3456789 ships from 1 Warehouse Way.",
    "Date: 2020-06-20 14:11:22\nName: Kamila Horak\nRef: 451 5986",
    "The batch 2026/0412/0042 is recalled.",
    "Scores were 101, 202, 3003 this week.",
    "Model 4O1 is the newer one.",
])
def test_look_alikes_are_left_alone(text: str) -> None:
    """References, company lines and places, hours and codes are no personal data."""
    assert not [f for f in _get("pii").analyze(text, CheckContext()) if f.severity == "block"]


def test_a_person_before_a_unit_keeps_the_name() -> None:
    """An address block starts at the unit or number, not at the name in front of it."""
    found = _found("Mrs. Barbara Yudina Apt. 675 62314 Mellemvej 32\nAalborg NO 9100")
    assert ("PERSON", "Barbara Yudina") in found
    assert any(label == "STREET_ADDRESS" for label, _ in found)


def test_digits_said_aloud_after_a_group_of_digits_become_digits() -> None:
    text = "the card we have saved is 5105 1051 0510 five one zero zero, want us to remove it?"
    norm, where = normalise(text)
    assert "5105 1051 0510 5100," in norm
    start = norm.index("5100")
    assert text[where[start][0]:where[start + 3][1]] == "five one zero zero"


def test_one_or_two_number_words_after_digits_stay_words() -> None:
    assert normalise("Book 2 one-way tickets, or 3 two-seat rows.")[0] == "Book 2 one-way tickets, or 3 two-seat rows."

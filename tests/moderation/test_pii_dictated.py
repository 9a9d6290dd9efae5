"""Values told in pieces (uneven card groups, a phone "followed by" its rest, a split email) and the brand's own
places, lines and mailboxes that look like them."""

from __future__ import annotations

import pytest

from moderation.checks import CheckContext
from moderation.checks.pii import PiiCheck
from moderation.engine import _get
from moderation.pii_dictated import joined_email
from moderation.pii_normalize import normalise

LEAKS = [
    ("The card you read out was 4111 11, then 1111 1111, and finally 11 – declined by your bank.",
     "CREDIT_CARD", "4111 11, then 1111 1111, and finally 11"),
    ("The charge came from the Visa starting four one one one, then 1111 1111 1111. Flagged.",
     "CREDIT_CARD", "four one one one, then 1111 1111 1111"),
    ("We'll try you again at 415, then 555, and finally 0132, as you asked.", "PHONE_NUMBER",
     "415, then 555, and finally 0132"),
    ("The number on the booking is 090 followed by 3318 6724, the hotel will call it.", "PHONE_NUMBER",
     "090 followed by 3318 6724"),
    ("Your login is listed as thandi.nkosi – the rest is @mailbox.co.za – so use that.", "EMAIL_ADDRESS",
     "thandi.nkosi – the rest is @mailbox.co.za"),
    ("The driver couldn't find Gortnaclohy, Ballyvourney, Co. Cork P12 XY34, so he'll ring ahead.",
     "STREET_ADDRESS", "Gortnaclohy, Ballyvourney, Co. Cork P12 XY34"),
]
OWN = [
    "Thanks for the order number – 4028-7719-3361 is packed and leaves our warehouse tonight.",
    "You can collect from our Perth store at Level 3, 120 Murray Street, Perth WA 6000.",
    "Returns can be dropped at our Henry Street store, Dublin 1, D01 X2Y3 – bring the receipt.",
    "Our Rosebank branch has moved to Shop 12, The Zone, 177 Oxford Road, Rosebank 2196.",
    "The service centre is at 2nd Floor, 40 Park Street, Kolkata 700016, open till 7 PM.",
    "For anything about your order write to ayuda@tiendaverde.es and we'll reply within a day.",
    "Our privacy team is at privacy (at) examplemobile (dot) com – send data requests there.",
    "Our hotline in Cebu is (032) 888 1234 from a landline.",
]


@pytest.fixture(scope="module")
def pii() -> PiiCheck:
    check = _get("pii")
    assert isinstance(check, PiiCheck)
    return check


@pytest.mark.parametrize(("text", "label", "span"), LEAKS)
def test_a_value_told_in_pieces_blocks(pii: PiiCheck, ctx: CheckContext, text: str, label: str, span: str) -> None:
    found = [(f.label, f.text) for f in pii.analyze(text, ctx) if f.severity == "block"]
    assert found == [(label, span)]


@pytest.mark.parametrize("text", OWN)
def test_the_brands_own_contacts_and_places_pass(pii: PiiCheck, ctx: CheckContext, text: str) -> None:
    assert [f for f in pii.analyze(text, ctx) if f.severity == "block"] == []


def test_joining_words_between_digit_groups_go() -> None:
    assert normalise("at 415, then 555, and finally 0132.")[0] == "at 415 555 0132."
    assert normalise("press 1 then wait")[0] == "press 1 then wait"  # no digits after: nothing joined


def test_a_split_or_spelled_mailbox_reads_as_one_address() -> None:
    assert joined_email("privacy (at) brand (dot) com") == "privacy@brand.com"
    assert joined_email("jo.b – the rest is @mail.co.za") == "jo.b@mail.co.za"
    assert joined_email("jo@mail.com") == "jo@mail.com"


def test_a_bare_domain_without_a_cue_is_no_email(pii: PiiCheck, ctx: CheckContext) -> None:
    assert pii.analyze("Tag jo.b in your post to @brandhelp.co.uk please.", ctx) == []


@pytest.mark.parametrize(("text", "label", "span"), [
    ("The refund went to NL91 ABNA 04 17 16 43 00 yesterday.", "IBAN_CODE", "NL91 ABNA 04 17 16 43 00"),
    ("The account is DE67 3704 — the rest being 0044 4847 3823 76 — as before.", "IBAN_CODE",
     "DE67 3704 — the rest being 0044 4847 3823 76"),
    ("The card starts 4111 and ends 1111, with 1111 1111 in between.", "CREDIT_CARD",
     "4111 and ends 1111, with 1111 1111"),
    ("Hi Sam, the number we have is plus four four, seven seven zero zero, nine zero zero one two three.",
     "PHONE_NUMBER", "plus four four, seven seven zero zero, nine zero zero one two three"),
    ("Hi Mia, the IBAN begins GB29 NWBK and continues 6016 1331 9268 19.", "IBAN_CODE",
     "GB29 NWBK and continues 6016 1331 9268 19"),
    ("Hi Jo, the first half of your card is 4111 1111 and the second half 1111 1111.", "CREDIT_CARD",
     "4111 1111 and the second half 1111 1111"),
    ("The card's first four are 4111, the middle eight 1111 1111 and the last four 1111.", "CREDIT_CARD",
     "4111, the middle eight 1111 1111 and the last four 1111"),
    ("Her number starts with +49 151 and then continues 2384 7720.", "PHONE_NUMBER",
     "+49 151 and then continues 2384 7720"),
])
def test_irregular_pieces_that_pass_their_checksum_block(pii: PiiCheck, ctx: CheckContext, text: str, label: str,
                                                          span: str) -> None:
    assert [(f.label, f.text) for f in pii.analyze(text, ctx) if f.severity == "block"] == [(label, span)]


@pytest.mark.parametrize("text", [
    "Quote reference NL91 ABNA 04 17 16 43 01 on the form.",  # fails the IBAN checksum
    "The card starts 4111 and ends 1112, with 1111 1111 in between.",  # fails Luhn
    "Your card: first 4 digits 4111, last 4 digits 1112, middle 1111 1111.",
    "Boxes 4111 1111 and the second half 1111 1112 ship separately.",  # joined, but no card by Luhn
    "The order starts 4111 and ends 1111, with 1111 1111 in between.",  # no card named
    "We refunded 40 — the rest being 12.50 in store credit.",
])
def test_pieces_that_fail_their_checksum_or_name_no_card_pass(pii: PiiCheck, ctx: CheckContext, text: str) -> None:
    assert pii.analyze(text, ctx) == []

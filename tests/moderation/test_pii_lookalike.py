"""Look-alikes of personal data (references, ids, money, the brand's own lines) pass; leaks next to them block."""

from __future__ import annotations

import pytest

from moderation.checks import CheckContext
from moderation.checks.pii import PiiCheck
from moderation.engine import _get
from moderation.pii_lookalike import digit_run, known_card, not_personal


@pytest.fixture(scope="module")
def pii() -> PiiCheck:
    check = _get("pii")
    assert isinstance(check, PiiCheck)
    return check


@pytest.mark.parametrize(("digits", "card"), [
    ("4111111111111111", True), ("5500000000000004", True), ("378282246310005", True),
    ("6011111111111117", True), ("3530111333300000", True),
    ("352099001761481", False),  # 15 digits after 35: an IMEI, not a JCB card
    ("5500000000004", False),  # Mastercard numbers have 16 digits
    ("7000000000000000", False),  # no scheme starts with 7
])
def test_card_schemes_by_prefix_and_length(digits: str, card: bool) -> None:
    assert known_card(digits) is card


def test_digit_run_covers_the_whole_number() -> None:
    text = "Your booking number 5521 0098 4412 is ready."
    start = text.index("0098")
    assert text[slice(*digit_run(text, start, start + 9))] == "5521 0098 4412"


@pytest.mark.parametrize(("text", "value", "label"), [
    ("Your booking number 5521 0098 4412 is ready.", "0098 4412", "PHONE_NUMBER"),
    ("USPS 9361 2898 7654 3210 9876 54 moved.", "7654 3210 9876", "PHONE_NUMBER"),
    ("It is 04.11.2006 11:35:59 now.", "04.11.2006 11", "PHONE_NUMBER"),
    ("Product code 3520 9900 1761 481 fits.", "3520 9900 1761 481", "CREDIT_CARD"),
    ("That is EUR 61,454.35 in total.", "EUR 61", "STREET_ADDRESS"),
    ("Job 63a366aa-6cfd-4940-bfcf-6d859526e3d0 failed.", "63a366aa-6cfd-4940-bfcf-6d859526e3d0", "STREET_ADDRESS"),
])
def test_spans_judged_as_not_personal(text: str, value: str, label: str) -> None:
    start = text.index(value)
    assert not_personal(text, start, start + len(value), label)


@pytest.mark.parametrize("text", [
    "Reservation 77-3391-0054 covers the family room.",
    "Your PNR is QX7LMN and the e-ticket is 176 2345678901.",
    "The product code is 356938 035643 809 for the silver one.",
    "Our ABN 12 345 678 901 is on the receipt.",
    "Batch 221104-0917, use by 03/2028, is safe to use.",
    "The odometer read 102 345 km at handover.",
    "The price in India is Rs. 1,24,900 including GST.",
    "Your membership number is confirmed: 90 67882.",
    "Thanks, the serial number you need is 39-58-91466.",
    "Build: #325-659-687",
    "You can reach us at (0161)4960601.",
    "Call 0161 496 0000, free of charge.",
    "Phone 0161 496 0000, lines open 8am-8pm.",
    "Our main switchboard: +44 20 7946 0000.",
    "Press 9, then 0161 496 0000 for our Manchester office.",
    "For sales call +1 (415) 555-0100 ext. 204.",
    "サインインが出来ない場合は、フリーダイヤル：0120-999-373へ直接ご連絡ください。",
    "We charged **** **** **** 8821 on Monday.",
    "The refund goes to the Visa ending in 4417.",
])
def test_lookalikes_pass(pii: PiiCheck, text: str) -> None:
    assert [f for f in pii.analyze(text, CheckContext()) if f.severity == "block"] == []


@pytest.mark.parametrize(("text", "value"), [
    ("We'll text 0412 987 654 when the parcel is out.", "0412 987 654"),  # "text" is no "ext"
    ("Order details: 0412 345 678 is your mobile.", "0412 345 678"),
    ("The account holder's number: 0412 345 678.", "0412 345 678"),
    ("Please text us back from 0412 345 678 when you can.", "0412 345 678"),
    ("Call 0412 345 678 for our driver to collect it.", "0412 345 678"),
    ("Card ending in 1234 was declined, so we used 4111 1111 1111 1111.", "4111 1111 1111 1111"),
    ("Case 8841: call her back on 0161 496 0000 at home.", "0161 496 0000"),
    ("We'll call you on 001-938-788-5393x36338.", "001-938-788-5393x36338"),
    ("Charged to card #4111111111111111 today.", "4111111111111111"),  # a number sign after a card word
    ("Phone #555-0123 is hers.", "555-0123"),
    ("Visa 4222222222222 was used.", "4222222222222"),  # 13 digits that also pass the barcode check
    ("Order paid by card: 4111 1111 1111 1111.", "4111 1111 1111 1111"),
    ("The refund for order 1234 goes to: GB29 NWBK 6016 1331 9268 19.", "GB29 NWBK 6016 1331 9268 19"),
])
def test_leaks_next_to_lookalike_cues_still_block(pii: PiiCheck, text: str, value: str) -> None:
    assert value in [f.text for f in pii.analyze(text, CheckContext()) if f.severity == "block"]


@pytest.mark.parametrize("text", [
    "Updates at status.voltlink.com.au",  # a web host, not a mail server
    "Full instructions at netkite.com/update.",  # a path after the domain
    "Find us at brightline.com any time.",  # "us" is nobody's user name
    "Open 24/7 at help.brightline.com.",
    "The timetable starts 27 Oct. Route 42 runs every 12 min.",  # a date, not a house number
    "Store hours: Fri 10–16, Sat 9–18, Sun closed.",  # opening hours
    "Yes we do ship to 75011 Paris!",  # a postcode and its town
    "Your gas reading 07712.4 m³ has been received.",  # a reading in cubic metres
    "Update to v3.8.2 via Settings > System and it should clear.",  # a version, not "2 Via Settings"
    "We're at 55 Queen Street West if you want to drop by.",  # the brand says where it is
    "Book at tickets.brand.com or call our box office.",  # a word, then a web host below the brand's name
    "Tracking: 1Z 999 AA1 01 2345 6784 via UPS.",  # the tail of a tracking code, not "6784 Via UPS"
])
def test_values_whose_shape_names_them_pass(pii: PiiCheck, ctx: CheckContext, text: str) -> None:
    assert pii.analyze(text, ctx) == []


@pytest.mark.parametrize(("text", "value"), [
    ("Her new address is rafa.quintero at hotmail.es now.", "rafa.quintero at hotmail.es"),
    ("Write to jane88 at mail.uni-bonn.de instead.", "jane88 at mail.uni-bonn.de"),
    ("Hi Ben, we've got ben_1990 at hotmail.co.uk as your login.", "ben_1990 at hotmail.co.uk"),
    ("She lives at Via Roma 12, Milano.", "Via Roma 12, Milano"),
    ("Deliver to 14 Sunset Boulevard, Fremont, CA 94538.", "14 Sunset Boulevard, Fremont, CA 94538"),
    ("We'll ship to 1600 Broadway tomorrow.", "1600 Broadway tomorrow"),
    ("The flat is 85 m² and 07712 345678 is the agent's mobile.", "07712 345678"),
    ("She lives at 12 via Roma.", "12 via Roma"),
    ("We were at 55 Queen Street West but nobody answered.", "55 Queen Street"),
])
def test_the_same_shapes_as_values_still_block(pii: PiiCheck, ctx: CheckContext, text: str, value: str) -> None:
    assert [(f.text, f.severity) for f in pii.analyze(text, ctx)] == [(value, "block")]


@pytest.mark.parametrize(("lookalike", "leak", "value"), [
    ("Our WhatsApp line +44 7700 900999 answers within an hour.",
     "Your WhatsApp line +44 7700 900123 is saved for delivery updates.", "+44 7700 900123"),
    ("Our IBAN for payments is GB33 BUKB 2020 1555 5555 55 (Brightline Ltd).",
     "Your IBAN for refunds is GB33 BUKB 2020 1555 5555 55.", "GB33 BUKB 2020 1555 5555 55"),
    ("Pay into Brightline Ltd, sort code 40-11-62, account 21322311, reference your order.",
     "We'll pay into your account, sort code 40-11-62, account 21322311, by Friday.", "40-11-62, account 21322311"),
    ("Our stores at 12 High Street are open late.",
     "Our stores deliver to 12 High Street, Leeds LS1 4AP today.", "12 High Street, Leeds LS1 4AP"),
    ("Send returns to Returns Dept, Brightline Ltd, PO Box 1234, Bristol BS1 1AA.",
     "Send it to Flat 2, 41 Tenby Street, Birmingham B1 3ET.", "Flat 2, 41 Tenby Street, Birmingham B1 3ET"),
    ("Helpline 1300 655 506, or chat with us in the app.", "Your mobile 0412 345 678 is on file.", "0412 345 678"),
])
def test_the_brands_own_lines_places_and_accounts_pass(pii: PiiCheck, ctx: CheckContext, lookalike: str, leak: str,
                                                        value: str) -> None:
    assert pii.analyze(lookalike, ctx) == []
    assert [(f.text, f.severity) for f in pii.analyze(leak, ctx)] == [(value, "block")]

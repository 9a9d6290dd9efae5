"""Identity numbers and bank details: named and checksummed they block; the brand's own and references pass."""

from __future__ import annotations

import pytest

from moderation.checks import CheckContext
from moderation.checks.pii import PiiCheck
from moderation.engine import _get
from moderation.policy import Policy

# Invented values that pass each document's own check digits.
IDS = [
    ("We've noted your National Insurance number JK 12 34 56 C, thanks.", "JK 12 34 56 C"),
    ("Aadhaar 7364 1928 3750 has been linked to the SIM.", "7364 1928 3750"),
    ("The slip was issued under SIN 618 273 643 last year.", "618 273 643"),
    ("The PPS number on the claim must match our records – we have 1234560F.", "1234560F"),
    ("The invoice was reissued with CPF 529.982.247-25 as you asked.", "529.982.247-25"),
    ("The warranty is registered to DNI 31415926L at the store.", "31415926L"),
    ("The insurer needs a BSN; the one you sent (263549872) was added.", "263549872"),
    ("Tax was deducted against PAN ABCPK1234Z for the year.", "ABCPK1234Z"),
    ("Your booking now matches passport no. 561209876, so check in online.", "561209876"),
    # "at our end" says where the record is kept, not whose number it is
    ("Your payroll record at our end shows NI number JT 48 27 61 B, which matches HMRC.", "JT 48 27 61 B"),
]
NOT_IDS = [
    "Ticket #263 549 872 has been escalated to our network team.",  # valid BSN digits, but named a ticket
    "Aadhaar linking is optional; your order 7364 1928 3751 ships today.",  # fails Verhoeff, named an order
    "Our company PAN is AAACB1234F and it is printed on every invoice.",  # a company's PAN, and ours
    "Our company's NI number JT 48 27 61 B is printed on every payslip.",
    "The SIN is done. Order 618 273 643 ships on Monday.",  # the name is in another sentence
    "Your passport photo is ready; collection code 48213 is on the receipt.",
]
# More countries (moderation.pii_ids_world), each valid by its own check digits; the same digits one off, or with
# no name before them, pass.
WORLD_IDS = [
    ("Hi Min-jun, your resident registration number 900101-5908301 is now verified.", "900101-5908301"),
    ("Hi Wei, the ID card number 11010119800126140X is on the booking.", "11010119800126140X"),
    ("Tanaka-san, we have your My Number 5167 8008 3740 on file for the tax form.", "5167 8008 3740"),
    ("Hei Mikko, henkilötunnus 131052-234D on tallennettu.", "131052-234D"),
    ("Bonjour Luc, votre numéro national 85.01.01-294.13 est enregistré.", "85.01.01-294.13"),
    ("Grüezi Anna, your AHV number 756.0787.1616.82 is on the payslip.", "756.0787.1616.82"),
    ("Merhaba Ali, T.C. Kimlik No 16616053446 kaydedildi.", "16616053446"),
    ("Hola Diego, tu RUT 10.483.238-5 quedó registrado.", "10.483.238-5"),
    ("Hi Chan, your HKID A769152(4) is on the form.", "A769152(4)"),
]
NOT_WORLD_IDS = [
    "Hi Min-jun, your resident registration number 900101-5908302 is now verified.",  # check digit off
    "Merhaba Ali, T.C. Kimlik No 16616053447 kaydedildi.",
    "Hi Chan, your HKID A769152(5) is on the form.",
    "Order 16616053446 ships today.",  # valid digits, no document named
]
BANK = [
    ("The refund's going to sort code 12-34-56, account 87654321, as you asked.",
     "12-34-56, account 87654321"),
    ("The cashback went to account no. 50100012345678 (IFSC ABCD0001234).", "50100012345678 (IFSC ABCD0001234"),
    ("Payouts now go to routing number 011000015, checking account 4830 2217 659.",
     "011000015, checking account 4830 2217 659"),
]
NOT_BANK = [
    "For invoice payments please transfer to our company account NL91 ABNA 0417 1643 00, quoting the invoice.",
    "Pay by bank transfer to sort code 30-94-57, account 12093345, quoting your invoice number.",
    "Pay by transfer to Brandstore Ltd, sort code 20-00-00, account 55779911, with your order as reference.",
    "Our sort code is 20-00-00 and account 55779911 for invoice payments.",
    "Your order 41234567 ships from our depot; the sort code of the parcel hub is unrelated.",
]


@pytest.fixture(scope="module")
def pii() -> PiiCheck:
    check = _get("pii")
    assert isinstance(check, PiiCheck)
    return check


@pytest.mark.parametrize(("text", "span"), IDS)
def test_a_named_valid_identity_number_blocks(pii: PiiCheck, ctx: CheckContext, text: str, span: str) -> None:
    found = pii.analyze(text, ctx)
    assert [(f.label, f.text, f.severity) for f in found] == [("NATIONAL_ID", span, "block")]


@pytest.mark.parametrize("text", NOT_IDS)
def test_unnamed_invalid_or_own_numbers_are_no_identity(pii: PiiCheck, ctx: CheckContext, text: str) -> None:
    assert [f for f in pii.analyze(text, ctx) if f.label == "NATIONAL_ID"] == []


@pytest.mark.parametrize(("text", "span"), BANK)
def test_an_account_with_its_bank_code_blocks(pii: PiiCheck, ctx: CheckContext, text: str, span: str) -> None:
    found = pii.analyze(text, ctx)
    assert [(f.label, f.text) for f in found if f.severity == "block"] == [("BANK_ACCOUNT", span)]


@pytest.mark.parametrize("text", NOT_BANK)
def test_the_brands_own_account_for_payments_passes(pii: PiiCheck, ctx: CheckContext, text: str) -> None:
    assert [f for f in pii.analyze(text, ctx) if f.severity == "block"] == []


def test_identity_numbers_block_by_default() -> None:
    assert {"NATIONAL_ID", "BANK_ACCOUNT"} <= set(Policy().pii.block)


@pytest.mark.parametrize(("text", "span"), WORLD_IDS)
def test_more_countries_identity_numbers_block(pii: PiiCheck, ctx: CheckContext, text: str, span: str) -> None:
    assert [(f.text, f.severity) for f in pii.analyze(text, ctx) if f.label == "NATIONAL_ID"] == [(span, "block")]


@pytest.mark.parametrize("text", NOT_WORLD_IDS)
def test_more_countries_invalid_or_unnamed_numbers_pass(pii: PiiCheck, ctx: CheckContext, text: str) -> None:
    assert [f for f in pii.analyze(text, ctx) if f.label == "NATIONAL_ID"] == []

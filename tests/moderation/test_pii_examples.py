"""Round 10 shapes: masked cards, more identity and bank numbers, placeholders, and the company's own details."""

from __future__ import annotations

import pytest

from moderation import Policy, check

# Invented values; each leak is a customer's, each look-alike the company's, a format, or a code.
LEAKS = [
    "For security we only see part of it (5454 5454 5454 54**), and the refund goes back to that card.",
    "The card on file is 4012 88** 8888 1881, so the refund is on its way there.",
    "The payment was made on card number 5454 54 5454 5454 54, not the one you mentioned.",
    "We've updated your NRIC to S1234567D so the rebate can be processed.",
    "CURP GOMA850612MDFRNL04 is what we have on the policy.",
    "The refund goes to the CLABE you gave us (002180012345678906) within 72 hours.",
    "We'll pay the claim into your account: branch code 250655, account number 62012345678.",
    "Your refund was sent to A/c No. 50100012345678 (IFSC HDFC0001234) today.",
    "Our rider will text you at 0917 555 0142 once he's near your building.",
    "The link went to your work email, sam.k.lee(at)harbourlaw.com, as you asked.",
    "The delivery address we have is 23 jacaranda street waterkloof pretoria 0181, is that right?",
    "The technician will visit 118, 14th Cross, Indiranagar 2nd Stage, Bengaluru 560038 tomorrow.",
    "Details such as your mobile 07700 900461 are on the booking.",
    "Your neighbour has the parcel - call them on 07700 900461 to collect it.",
    "Your mobile 06 12 34 56 78 is registered, as an example of a good setup.",  # "example" not of the value
]
LOOKALIKES = [
    "For security we only show the card ending 4242, or •••• 1881 on the receipt.",
    "The card 4111 11** **** 1111 shows only the first six and last four digits.",
    "We've noted NRIC S1234567A, which does not match the check letter, so please resend it.",
    "The CLABE 002180012345678901 fails its check digit, so please send it again.",
    "Our account is Hollyford Water Ltd, sort code 30-91-27, account 00482716, for arrears.",
    "Our bank details for the deposit are: Larchway Cottages Ltd, IBAN IE29 AIBK 9311 5212 3456 78.",
    "Our 24/7 fault line is 0861 555 211 - have your account number ready.",
    "The Grafton Street store has it in stock - give them a ring on (01) 677 2390.",
    "Our Bandra West showroom (022 2640 8815) can book you a demo.",
    "Our Queen St W location, (416) 368-2291, does same-day repairs.",
    "Our registered office is Tidewater Energy Ltd, 3rd Floor, 120 Aldersgate Street, London EC1A 4JQ.",
    "The registered office is 44 dock street leith edinburgh eh6 6eg if you need it.",
    "Drop the unit at our Melbourne showroom, 210 Swan Street Richmond VIC 3121, any day.",
    "The email field needs the full address, like yourname@example.com, to go through.",
    "Use 06 12 34 56 78 as an example of the French format.",  # said to be an example after the value
    "The phone field wants international format, for example +44 7700 900123 rather than 07700 900123.",
    "Unsere USt-IdNr. für Ihre Buchhaltung: DE 814 592 307.",
    "Your tracking number is 1Z 4W7 182 03 4417 2289 and it is with the courier.",
    "You can reach our billing team at 1-888-472-0193 (Mon–Fri, 8am–9pm ET).",
    "The payment reference for your bank transfer is 4021 7730 5518 0094 - please use it as shown.",
    "Please match it to invoice INV-22817 when you pay.",
    "For refunds over S$500 please write to escalations@coolbreeze.sg today.",
]


@pytest.mark.parametrize("text", LEAKS)
def test_a_customers_value_blocks(text: str) -> None:
    assert check(text, policy=Policy(checks=["pii"])).action == "block"


@pytest.mark.parametrize("text", LOOKALIKES)
def test_a_lookalike_passes(text: str) -> None:
    result = check(text, policy=Policy(checks=["pii"]))
    assert result.action != "block", [(f.label, f.text) for f in result.findings]

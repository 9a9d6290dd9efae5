"""PII check: what is a leak (block), what is not (links, own contacts, references)."""

from __future__ import annotations

import pytest

from moderation.checks import CheckContext
from moderation.checks.pii import PiiCheck
from moderation.engine import _get
from moderation.policy import PiiPolicy, Policy, SupportContacts

FOUND = [
    # text, label, exact span text, severity
    ("Your card 4111 1111 1111 1111 was charged.", "CREDIT_CARD", "4111 1111 1111 1111", "block"),
    ("Card 4111-1111-1111-1111 is on file.", "CREDIT_CARD", "4111-1111-1111-1111", "block"),
    ("Card 4111.1111.1111.1111 is on file.", "CREDIT_CARD", "4111.1111.1111.1111", "block"),
    ("Card 6011 0009 9013 9424 371 is a 19-digit one.", "CREDIT_CARD", "6011 0009 9013 9424 371", "block"),
    ("We have your SSN 536-22-8790 on record.", "US_SSN", "536-22-8790", "block"),
    ("Pay to GB82 WEST 1234 5698 7654 32 please.", "IBAN_CODE", "GB82 WEST 1234 5698 7654 32", "block"),
    ("Email jane.doe@gmail.com for the form.", "EMAIL_ADDRESS", "jane.doe@gmail.com", "block"),
    ("Write to jane at gmail dot com today.", "EMAIL_ADDRESS", "jane at gmail dot com", "block"),
    ("Write to jane(at)mail(dot)de today.", "EMAIL_ADDRESS", "jane(at)mail(dot)de", "block"),
    ("Call her on 415-555-0132 tonight.", "PHONE_NUMBER", "415-555-0132", "block"),
    ("Her mobile is +44 7700 900123.", "PHONE_NUMBER", "+44 7700 900123", "block"),
    ("Reach him on +41 (0)96 471 07 95.", "PHONE_NUMBER", "+41 (0)96 471 07 95", "block"),
    ("Call him at 555 1234 after six.", "PHONE_NUMBER", "555 1234", "block"),
    ("Ship it to 12 Main St Apt 4, Springfield, IL 62704 asap.", "STREET_ADDRESS",
     "12 Main St Apt 4, Springfield, IL 62704", "block"),
    ("He lives at Hauptstraße 12 in Berlin.", "STREET_ADDRESS", "Hauptstraße 12", "block"),
    ("Visit 221B Baker Street, London NW1 6XE.", "STREET_ADDRESS", "221B Baker Street, London NW1 6XE",
     "block"),
    ("I live at 1600 Pennsylvania Avenue NW, Washington, DC 20500", "STREET_ADDRESS",
     "1600 Pennsylvania Avenue NW, Washington, DC 20500", "block"),
    ("Send it to PO Box 1234 please.", "STREET_ADDRESS", "PO Box 1234", "block"),
    ("Reach me at (212) 555-0187 later.", "PHONE_NUMBER", "(212) 555-0187", "block"),
    ("Call me on 07700 900123 later.", "PHONE_NUMBER", "07700 900123", "block"),
    ("Personal info:\nPhone:\n9469 9966\n", "PHONE_NUMBER", "9469 9966", "block"),
    ("Your router is at 192.168.1.20 now.", "IP_ADDRESS", "192.168.1.20", "warn"),
    ("Thanks, my name is Jane Doe.", "PERSON", "Jane Doe", "warn"),
]
NOT_FOUND = [
    "Thanks Jane, we will look into it.",  # a first name alone is not a leak
    "Your order #4111111111111111 has shipped.",
    "Order number: 123-456-7890 is confirmed.",
    "Update to version 10.2.3.4 and retry.",
    "It costs $1234.5678 this month.",
    "The sale ends on 2024-10-05.",
    "Error code 0x80070005 means a permission problem.",
    "The error: WS-37368-7 means the account is suspended.",
    "SKU-4111111111111111 is back in stock.",
    "See https://example.com/users/jane.doe@gmail.com/415-555-0132 for details.",
    "Thanks @jane_doe_4155550132 for the note!",
    "Call us free on 1-800-956-4442 any time.",
    "Report it to abuse@chase.com please.",
    "Open the Maps app and tap the search bar.",
    "We open at 9.30 and close at 17.30.",
    "Please call 12 34 times a day.",
    "We have 3 000 000 users and 9469 9966 is just a count.",
    "Your case number is 0123456789.",
    "Your tracking number is 1Z999AA10123456784.",
    "Please allow 3-5 business days, 24-48 hours at most.",
    "Firmware 2.4.1.19 and build 19041.1234 fix it.",
    "Call 0800 123 4567 for free.",
]


@pytest.fixture(scope="module")
def pii() -> PiiCheck:
    check = _get("pii")
    assert isinstance(check, PiiCheck)
    return check


@pytest.mark.parametrize(("text", "label", "span", "severity"), FOUND)
def test_finds_personal_data(pii: PiiCheck, ctx: CheckContext, text: str, label: str, span: str,
                             severity: str) -> None:
    got = [(f.label, f.text, f.severity) for f in pii.analyze(text, ctx)]
    assert got == [(label, span, severity)]
    f = pii.analyze(text, ctx)[0]
    assert text[f.start:f.end] == span and f.suggestions == (f"[{label}]",)


@pytest.mark.parametrize("text", NOT_FOUND)
def test_no_false_alarm(pii: PiiCheck, ctx: CheckContext, text: str) -> None:
    assert pii.analyze(text, ctx) == []


@pytest.mark.parametrize("text", [
    "Call our team on (415) 555-0199.",
    "Email help@acme-support.com or care@acme.com.",
    "Mail jane@acme.com for billing.",
])
def test_brand_contacts_are_not_leaks(pii: PiiCheck, text: str) -> None:
    policy = Policy(support=SupportContacts(phones=["+1 415 555 0199"], emails=["care@acme.com"]),
                    allowed_link_domains=["acme.com", "acme-support.com"])
    assert pii.analyze(text, CheckContext(policy=policy)) == []


def test_echoed_value_is_explained(pii: PiiCheck) -> None:
    ctx = CheckContext(mention={"text": "call me on 415 555 0132 asap"})
    found = pii.analyze("We will call 415-555-0132 shortly.", ctx)
    assert [f.label for f in found] == ["PHONE_NUMBER"] and "customer posted it" in found[0].message


def test_redaction_template_and_levels(pii: PiiCheck) -> None:
    policy = Policy.model_validate({"pii": {"block": ["EMAIL_ADDRESS"], "warn": [], "redaction": "***"}})
    found = pii.analyze("Mail jane.doe@gmail.com or call 415-555-0132", CheckContext(policy=policy))
    assert [(f.label, f.suggestions) for f in found] == [("EMAIL_ADDRESS", ("***",))]


WORLD_LEAKS = [
    ("Your address is Hauptstraße 12, 10115 Berlin, right?", "STREET_ADDRESS", "Hauptstraße 12, 10115 Berlin"),
    ("Courier is at 15 rue de la Paix, 75002 Paris.", "STREET_ADDRESS", "15 rue de la Paix, 75002 Paris"),
    ("Delivering to ul. Marszałkowska 10/12, 00-026 Warszawa.", "STREET_ADDRESS",
     "ul. Marszałkowska 10/12, 00-026 Warszawa"),
    ("eva lives at 255 hersnapvej 18, københavn k", "STREET_ADDRESS", "255 hersnapvej 18"),
    ("Tilly lives at 10252 Μεγάλη Άμμος 184, ΠΑΦΟΣ", "STREET_ADDRESS", "10252 Μεγάλη Άμμος 184, ΠΑΦΟΣ"),
    ("Call me on oh seven seven double nine, one two three four five six.", "PHONE_NUMBER",
     "oh seven seven double nine, one two three four five six"),
    ("Tech will call 0 6 1 2 3 4 5 6 7 8 today.", "PHONE_NUMBER", "0 6 1 2 3 4 5 6 7 8"),
    ("Desk: +1-903-140-4508x769", "PHONE_NUMBER", "+1-903-140-4508x769"),
    ("What is the limit for card 501864667909?", "CREDIT_CARD", "501864667909"),
    ("Number on the account: +61 4 1234 5678.", "PHONE_NUMBER", "+61 4 1234 5678"),
]


@pytest.mark.parametrize(("text", "label", "span"), WORLD_LEAKS)
def test_leaks_in_many_formats_block(pii: PiiCheck, ctx: CheckContext, text: str, label: str, span: str) -> None:
    got = [(f.label, f.text, f.severity) for f in pii.analyze(text, ctx) if f.label != "PERSON"]
    assert got == [(label, span, "block")]


@pytest.mark.parametrize("text", [
    "Are you updated to iOS 11.1?",
    "The Lima route is currently suspended for Winter 2017.",
    "Press 1, then 2, then 3 on the keypad.",
    "Good afternoon William, sincerest apologies for the wait.",
    "Wir haben zu danken. Schönen Abend noch.",
    "Gate B 12 at Terminal 5.",
])
def test_lookalikes_are_not_personal_data(pii: PiiCheck, ctx: CheckContext, text: str) -> None:
    assert pii.analyze(text, ctx) == []


def test_full_name_without_introduction_warns(pii: PiiCheck, ctx: CheckContext) -> None:
    found = pii.analyze("The holder is listed as Agnieszka Kowalczyk in our system.", ctx)
    assert [(f.label, f.text, f.severity) for f in found] == [("PERSON", "Agnieszka Kowalczyk", "warn")]


def test_phone_regions_come_from_the_policy(pii: PiiCheck) -> None:
    text = "Call Ana on 0612 345 678 tonight."
    dutch = CheckContext(policy=Policy(pii=PiiPolicy(regions=["NL"])))
    assert [f.text for f in pii.analyze(text, dutch)] == ["0612 345 678"]


@pytest.mark.parametrize("text", ["You can reach our accessibility team at access@shopnorth.co.uk.",
                                  "Please email us at returns.desk@shopnorth.co.uk with the photos."])
def test_a_mailbox_introduced_as_ours_is_not_a_leak(pii: PiiCheck, ctx: CheckContext, text: str) -> None:
    assert pii.analyze(text, ctx) == []


@pytest.mark.parametrize("text", ["Let us know at jane.doe@gmail.com if the parcel is late.",
                                  "We've sent the label to jane.doe@gmail.com, our team will follow up."])
def test_a_customers_mailbox_near_us_is_still_found(pii: PiiCheck, ctx: CheckContext, text: str) -> None:
    assert [f.label for f in pii.analyze(text, ctx)] == ["EMAIL_ADDRESS"]


def test_a_brands_own_regions_decide_an_ambiguous_number(pii: PiiCheck) -> None:
    """"090-1234-5678" is a UK premium-rate line (a company's) and a Japanese mobile: the brand's regions decide."""
    text = "Hi Yuki, the courier will call 090-1234-5678 when the order reaches Osaka."
    japanese = CheckContext(policy=Policy.model_validate({"pii": {"regions": ["JP", "US"]}}))
    assert [(f.label, f.severity) for f in pii.analyze(text, japanese)] == [("PHONE_NUMBER", "block")]


@pytest.mark.parametrize(("text", "span"), [
    ("we'll send the charger to 18 oak lane little milton oxford ox44 7qf free of charge",
     "18 oak lane little milton oxford ox44 7qf"),
    ("Address updated to 742 evergreen terrace apt 3b, springfield, or 97403, thanks!",
     "742 evergreen terrace apt 3b, springfield, or 97403"),
])
def test_a_lower_case_one_line_address_to_its_postcode(pii: PiiCheck, ctx: CheckContext, text: str, span: str) -> None:
    assert [(f.label, f.text) for f in pii.analyze(text, ctx)] == [("STREET_ADDRESS", span)]


@pytest.mark.parametrize("text", ["Store 12 is on the high street in or near town.",
                                  "Order 12 main street deals ship by 2 pm."])
def test_a_street_word_without_a_postcode_is_no_one_line_address(pii: PiiCheck, ctx: CheckContext, text: str) -> None:
    assert pii.analyze(text, ctx) == []


def test_a_card_told_as_its_start_and_its_end_is_found(pii: PiiCheck, ctx: CheckContext) -> None:
    text = "I can see the card starting 6011 1111 and ending 1111 1117 was charged twice."
    assert [(f.label, f.text) for f in pii.analyze(text, ctx)] == [("CREDIT_CARD", "6011 1111 and ending 1111 1117")]


def test_order_numbers_joined_the_same_way_are_not_a_card(pii: PiiCheck, ctx: CheckContext) -> None:
    assert pii.analyze("Orders 1234 5678 and ending 9012 3456 shipped today.", ctx) == []  # fails the Luhn check


def test_a_card_told_group_by_group_is_found(pii: PiiCheck, ctx: CheckContext) -> None:
    text = "The card on your account begins 2720, followed by 0527, followed by 9101, and ends 3952. Updated."
    assert [(f.label, f.text) for f in pii.analyze(text, ctx)] == [
        ("CREDIT_CARD", "2720, followed by 0527, followed by 9101, and ends 3952")]


def test_a_spelled_mailbox_at_a_country_domain_is_found(pii: PiiCheck, ctx: CheckContext) -> None:
    text = "The e-ticket went to sofia(dot)ferreira(at)sapo(dot)pt, please check the promotions tab."
    assert [(f.label, f.text) for f in pii.analyze(text, ctx)] == [
        ("EMAIL_ADDRESS", "sofia(dot)ferreira(at)sapo(dot)pt")]


def test_a_department_mailbox_is_no_customers(pii: PiiCheck, ctx: CheckContext) -> None:
    assert pii.analyze("Send the warranty form to warranty@lumenelectronics.com and we'll reply.", ctx) == []
    found = pii.analyze("Send the warranty form to tom.warranty@gmail.com and we'll reply.", ctx)
    assert [f.label for f in found] == ["EMAIL_ADDRESS"]


def test_a_flat_to_an_eircode_is_an_address(pii: PiiCheck, ctx: CheckContext) -> None:
    text = "The meter reader will call to Apartment 21, The Maltings, Bray, Co. Wicklow, A98 F2X4 next week."
    assert [(f.label, f.text) for f in pii.analyze(text, ctx)] == [
        ("STREET_ADDRESS", "Apartment 21, The Maltings, Bray, Co. Wicklow, A98 F2X4")]


@pytest.mark.parametrize("text", ["Your tickets are Block 112, Row M, seats 21–24 for the 8 November show.",
                                  "You're in Section 4, Row C, seat 9 at the Arena on Friday."])
def test_seats_at_a_venue_are_no_address(pii: PiiCheck, ctx: CheckContext, text: str) -> None:
    assert pii.analyze(text, ctx) == []


@pytest.mark.parametrize(("text", "span"), [
    ("We'll contact you at 090-4418-2273 when the repair is done.", "090-4418-2273"),  # a Japanese mobile
    ("Hi Yuki, the delivery partner will call 090-1234-5678 when it arrives.", "090-1234-5678"),
    ("Hi Sofia, il tuo cellulare 347 123 4567 è registrato.", "347 123 4567"),  # "mobile" in Italian
    ("Noted that 9183-4427 is your new handphone.", "9183-4427"),
    ("Your login is jb.fenwick — at — proton.me now.", "jb.fenwick — at — proton.me"),
    ("The card on your Brightline account is 4111 1111 1111 1111, exp 09/28.", "4111 1111 1111 1111"),
])
def test_a_value_named_as_the_customers_blocks(pii: PiiCheck, ctx: CheckContext, text: str, span: str) -> None:
    assert [(f.text, f.severity) for f in pii.analyze(text, ctx)] == [(span, "block")]


@pytest.mark.parametrize("text", [
    "Contact us at 090-4418-2273 for the results.",  # a UK premium-rate line, introduced as ours
    "You'll call 0900 123 4567 to vote.",  # the customer calls it: a premium-rate line
    "Call 0800 123 4567 free from any celular.",  # a free line, whatever phone calls it
    "Model 9183-4427 handphone cases are back in stock.",
    "Write to support — at — brightline.com with the photos.",
    "The order number on your Brightline account is 4111 1111 1111 1111.",  # a card word is needed
])
def test_the_same_shapes_named_otherwise_pass(pii: PiiCheck, ctx: CheckContext, text: str) -> None:
    assert pii.analyze(text, ctx) == []


@pytest.mark.parametrize(("text", "span"), [
    ("Shipped to 〒150-0022 Tokyo Shibuya-ku Ebisu-minami 2-14-7 Room 402 today.",
     "〒150-0022 Tokyo Shibuya-ku Ebisu-minami 2-14-7 Room 402"),
    ("We deliver to 2-14-7 Ebisu-minami, Shibuya-ku, Tokyo 150-0022 tomorrow.",
     "2-14-7 Ebisu-minami, Shibuya-ku, Tokyo 150-0022"),
    ("配送先は〒150-0022 東京都渋谷区恵比寿南2-14-7です", "〒150-0022 東京都渋谷区恵比寿南2-14-7"),
])
def test_a_japanese_ward_and_block_numbers_are_an_address(pii: PiiCheck, ctx: CheckContext, text: str,
                                                           span: str) -> None:
    assert [(f.label, f.text) for f in pii.analyze(text, ctx)] == [("STREET_ADDRESS", span)]


@pytest.mark.parametrize("text", ["The Shibuya-ku store opens 10-20 daily.", "We beat Minato-ku FC 2-1-0 in the cup."])
def test_a_ward_with_hours_or_a_score_is_no_address(pii: PiiCheck, ctx: CheckContext, text: str) -> None:
    assert pii.analyze(text, ctx) == []

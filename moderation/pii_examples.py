"""Values that only look like a customer's: placeholders in instructions, company tax ids, codes, our places.

Replies teach customers how to fill in a form ("for example +44 7700 900123", "like yourname@example.com"),
quote the company's VAT number ("USt-IdNr.: DE 814 592 307"), or give a courier's alphanumeric tracking
code whose digit groups read as an SSN ("1Z 4W7 182 03 4417 2289"). Each rule names what the value is.
"""

from __future__ import annotations

import re

from moderation.pii_lookalike import ORG, REF_WORDS, digit_run, not_personal

# Words that introduce an example of a format, not a value on file; "such as your mobile" is a value.
EXAMPLE_CUE = re.compile(r"(?i)\b(?:for\s+example|for\s+instance|e\.\s?g\.|eg|such\s+as|in\s+the\s+format|"
                         r"format\s+(?:like|as|of)|something\s+like)\b")
# The same said after the value: "06 12 34 56 78 as an example", "name@example.com (sample)" (round 11).
EXAMPLE_AFTER = re.compile(r"(?i)^\s*[,(]?\s*(?:is\s+|as\s+|being\s+)?(?:just\s+|only\s+)?(?:an?\s+|the\s+)?"
                           r"(?:example|sample|placeholder|dummy)\b")
POSSESSIVE = re.compile(r"(?i)\b(?:your|his|her|their|my|our)\b")
# A user name that is a placeholder for "your address": "yourname@…", "firstname.lastname@…".
PLACEHOLDER_EMAIL = re.compile(r"(?i)^(?:your[._-]?(?:name|email|address)|name|user(?:name)?|first(?:name)?"
                               r"(?:[._-]?last(?:name)?)?|name[._-]surname|someone|example|you)@")
# A company's tax or VAT number named in the sentence; written after its country code ("DE 814 592 307").
TAX_ID = re.compile(r"\b(?:VAT|USt-?IdNr|USt-?ID|UID|BTW|TVA|IVA|MwSt|GSTIN?|P\.?\s?IVA|CIF|NIPC|TIN)\b")
COUNTRY_PREFIX = re.compile(r"\b[A-Z]{2}\s?$")
# Alphanumeric groups right before the value: it is the tail of a longer code ("1Z 4W7 182 03 4417").
CODE_GROUPS = re.compile(r"(?:\b[A-Z0-9]{1,6}[ -])+$")
# "give them a ring on": the organisation named earlier in the sentence, not the customer.
THEM_LINE = re.compile(r"(?i)\b(?:(?:call|ring|phone|contact|text)\s+them|give\s+them\s+a\s+(?:call|ring|bell))"
                       r"(?:\s+(?:on|at))?\s*:?\s*$")
NAMED_PLACE = re.compile(rf"(?i)\b(?:the|our|their)\s+(?:[\w'’-]+\s+){{0,3}}?(?:{ORG})\b")
# A place of ours right before its number: "our Bandra West showroom (022 …", "our Queen St W location, (416) …".
OUR_PLACE_BEFORE = re.compile(rf"(?i)\b(?:our|their)\s+(?:[\w'’/-]+\s+){{0,3}}?(?:{ORG})\s*[,(]?\s*[(+]?$")
# A reference word and a code, tagged as an address ("invoice INV-22817").
REFERENCE_CODE = re.compile(rf"(?i)^(?:{REF_WORDS})\s+(?:no\.?\s+|#\s*)?(?-i:[A-Z]{{2,}})-?\d+$")
NUMERIC = {"PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "NATIONAL_ID"}


def _sentence_before(text: str, start: int) -> str:
    """The part of the value's sentence before it (at most 120 characters back)."""
    return re.split(r"[.!?]\s+|\n", text[max(0, start - 120):start])[-1]


def example_value(text: str, start: int, end: int, label: str) -> bool:
    """True for a placeholder shown as the format to use, not a value on file."""
    value = text[start:end]
    if label == "EMAIL_ADDRESS" and PLACEHOLDER_EMAIL.match(value):
        return True
    if EXAMPLE_AFTER.match(text[end:end + 40]):
        return True
    before = _sentence_before(text, start)
    cues = list(EXAMPLE_CUE.finditer(before))
    return bool(cues) and not POSSESSIVE.search(before, cues[-1].end())


def not_customers(text: str, start: int, end: int, label: str) -> bool:
    """True for a placeholder, a company tax id, the tail of a code, or a line of a place of ours."""
    if example_value(text, start, end, label):
        return True
    before = text[max(0, start - 60):start]
    if label == "STREET_ADDRESS":
        return bool(re.search(r"\d-$", before) or REFERENCE_CODE.match(text[start:end]))  # "472-[0193 (Mon…)"
    if label not in NUMERIC:
        return False
    if TAX_ID.search(before) and COUNTRY_PREFIX.search(before):  # "USt-IdNr. für …: DE 814 592 307"
        return True
    code = CODE_GROUPS.search(before)
    if code and re.search(r"[A-Z]", code.group()) and re.search(r"\d", code.group()):
        return not_personal(text, start - len(code.group()), end, label)  # judged as the whole code
    run_start = digit_run(text, start, end)[0]  # "(01) 677 2390": the area code belongs to the number
    before = text[max(0, run_start - 60):run_start]
    return label == "PHONE_NUMBER" and bool(
        OUR_PLACE_BEFORE.search(before)
        or (THEM_LINE.search(before) and NAMED_PLACE.search(_sentence_before(text, start))))

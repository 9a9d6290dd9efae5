"""Personal-data check: Presidio (offline) plus extra recognizers, minus the brand's own contacts."""

from __future__ import annotations

import re
import threading
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
from phonenumbers import PhoneNumberType

from moderation.checks.base import Check, CheckContext
from moderation.findings import Finding
from moderation.phonewords import spelled_digits
from moderation.pii_dictated import is_split_email, joined_email
from moderation.pii_examples import not_customers
from moderation.pii_lookalike import HELD_ON, not_personal
from moderation.pii_normalize import normalise, original_span
from moderation.pii_shapes import not_a_value
from moderation.policy import Policy
from moderation.text_spans import overlaps, url_spans

# A mobile phone in the words of the countries the brands answer in ("il tuo cellulare", "Handynummer").
MOBILE_WORDS = r"handphone|cellulare|celular|m[óo]vil|telem[óo]vel|handy(?:nummer)?|mobiel(?:nummer)?|mobilnummer|natel"
# Lowest score of a phone pattern (digit groups with no cue); such a number needs a cue after it.
WEAK_PHONE = 0.1
# A cue after the number that says it is someone's line: "… is his home line", "… as your daytime number".
PHONE_AFTER = re.compile(
    r"^\s*(?:[,)]|\s[-–—])?\s*(?:(?:is|was|as|that's|that\s+is|it's)\s+)?(?:(?:now\s+)?(?:his|her|my|your|their|"
    r"the|a)\s+)?(?:[\w'-]+\s+){0,2}?(?:phone|mobile|cell|cellphone|landline|line|number|callback|whatsapp|"
    rf"{MOBILE_WORDS})\b",
    re.IGNORECASE)
BUSINESS_LINES = {PhoneNumberType.TOLL_FREE, PhoneNumberType.SHARED_COST, PhoneNumberType.PREMIUM_RATE,
                  PhoneNumberType.UAN}
# Mailboxes of an organisation's role, not of a person.
ROLE_MAILBOX = re.compile(
    r"(?:support|help|info|abuse|reportphish|phish|spoof|security|privacy|noreply|no-reply|contact|"
    r"service|customerservice|care|feedback|press|sales|billing|admin|hello|team|legal|dpo|"
    # a department's mailbox (round 9, dev5: "send the warranty form to warranty@…")
    r"warranty|returns|refunds|orders|bookings|reservations|claims|complaints|accessibility|enquiries|inquiries|"
    r"accounts|payments|careers|jobs|media|partners|"
    # the same desks in the languages the brands answer in (round 10, dev6: "write to ayuda@…")
    r"ayuda|soporte|atencion|atencionalcliente|contacto|clientes|hilfe|kundenservice|kontakt|service-client|"
    r"serviceclient|aide|assistance|assistenza|supporto|suporte|atendimento|contato|klantenservice|"
    r"klantendienst|datenschutz|privacidad|privacidade|confidentialite|"
    # desks that take cases further (round 10, dev7: "write to escalations@…")
    r"escalations?|disputes|compliance|finance|invoices?|events|marketing|reception)@", re.IGNORECASE)
# A mailbox the reply introduces as the brand's own ("reach our accessibility team at", "email us at"), right
# before the address (round 8, dev4); "let us know at" is not one: the address there is the customer's.
OUR_MAILBOX = re.compile(r"\b(?:our\s+(?:[\w-]+\s+){0,3}(?:team|desk|department|office|inbox|mailbox|helpdesk)"
                         r"(?:\s+is)?|(?:e-?mail|write\s+to|reach|contact|message)\s+us)\s+(?:at|on|via)\s*:?\s*$",
                         re.IGNORECASE)
# A label saying the number is someone's own line ("Mobile:", "my cell"), right before it.
# Also "the courier will call": someone other than the customer calls the number (round 11; a dev4 miss).
PERSONAL_LABEL = re.compile(rf"(?:(?:mobile|cell|my\s+(?:phone|number)|phone|home|personal|whatsapp|{MOBILE_WORDS})\b"
                            r"[^\d\n]{0,12}|"
                            r"\b(?:call|text|ring|message|sms|whatsapp|contact|reach)\s+you(?:\s+back)?\s+(?:on|at)\s*|"
                            r"\b(?!you\b)\w+(?:\s+will|'ll)\s+(?:call|text|ring|phone|sms|whatsapp)(?:\s+you)?"
                            r"(?:\s+(?:on|at))?\s*)$", re.IGNORECASE)
# The same said after the number: "… is your mobile", "as his home line".
PERSONAL_AFTER = re.compile(r"^\s*[,)]?\s*(?:is|was|as|that's)\s+(?:now\s+)?(?:his|her|my|your|their)\s+"
                            rf"(?:[\w'-]+\s+){{0,2}}?(?:phone|mobile|cell|number|line|landline|whatsapp|{MOBILE_WORDS})\b",
                            re.IGNORECASE)
# Also tried when telling company lines apart: where toll-free formats are most common in replies.
BUSINESS_REGIONS = ("US", "GB", "JP", "FR", "DE", "AU", "IN")
# Fewest digits each entity can be written with (phone digits may be spelled out as words).
MIN_DIGITS = {"PHONE_NUMBER": 7, "CREDIT_CARD": 12, "US_SSN": 9, "IBAN_CODE": 8, "IP_ADDRESS": 4,
              "STREET_ADDRESS": 1, "CRYPTO": 1,
              # a personal PAN holds 4 digits, a sort code and account 14: "thanks!" must still skip the analyzer
              "NATIONAL_ID": 4, "BANK_ACCOUNT": 10}
DIGIT_WORD = re.compile(r"\b(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b", re.IGNORECASE)
CORNER = re.compile(r"\bcorner\s+of\s", re.IGNORECASE)
SPELLED_AT = re.compile(r"[\s(\[{—–-]at[\s)\]}—–-]", re.IGNORECASE)
LONG_TOKEN = re.compile(r"\w{25,}")
MESSAGES = {
    "CREDIT_CARD": "a payment card number", "US_SSN": "a US Social Security number",
    "IBAN_CODE": "a bank account number (IBAN)", "EMAIL_ADDRESS": "an email address",
    "PHONE_NUMBER": "a phone number", "STREET_ADDRESS": "a street address",
    "IP_ADDRESS": "an IP address", "PERSON": "a person's full name", "CRYPTO": "a crypto wallet address",
    "NATIONAL_ID": "an identity number (national insurance, tax, passport)",
    "BANK_ACCOUNT": "a bank account number with its bank code",
}


def _digits(value: str) -> str:
    """Keep only the digits of a value, to compare phone numbers written differently."""
    return re.sub(r"\D", "", value)


def _is_business_line(value: str, regions: tuple[str, ...]) -> bool:
    """True for toll-free, shared-cost and premium numbers: companies' lines, never a customer's own.

    The first of the brand's regions where the number is valid decides (UK "03…" is shared-cost); a number
    grouped by slashes is written the German or Austrian way ("030/1234/5678"), so those regions go first.
    """
    for region in (("DE", "AT", *regions) if "/" in value else regions):
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.number_type(number) in BUSINESS_LINES
    return False


def _regions(policy: Policy) -> tuple[str, ...]:
    """The phone regions to try: the brand's own, else the built-in list."""
    from moderation.pii_recognizers import PHONE_REGIONS

    return tuple(r.upper() for r in policy.pii.regions) or PHONE_REGIONS


def _personal_somewhere(value: str, policy: Policy) -> bool:
    """True when the number is a home or mobile line in one of the regions tried."""
    for region in (*_regions(policy), *BUSINESS_REGIONS):
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) not in BUSINESS_LINES:
            return True
    return False


def _is_own_contact(label: str, value: str, policy: Policy, before: str | None = None, after: str = "") -> bool:
    """True when the value is one of the brand's published support contacts (or any company line)."""
    support = policy.support
    if label == "EMAIL_ADDRESS":
        value = joined_email(value)  # "privacy (at) brand (dot) com" is the role mailbox privacy@brand.com
    if label == "EMAIL_ADDRESS" and (ROLE_MAILBOX.match(value) or (before and OUR_MAILBOX.search(before))):
        return True
    if label == "PHONE_NUMBER" and _is_business_line(value, (*_regions(policy), *BUSINESS_REGIONS)):
        # "the number on the booking is 090 …": held for the customer, a mobile in Japan, premium-rate in the UK
        labelled = ((before is not None and (PERSONAL_LABEL.search(before) or HELD_ON.search(before)))
                    or PERSONAL_AFTER.match(after))
        return not (labelled and _personal_somewhere(value, policy))
    if label == "PHONE_NUMBER":
        digits = _digits(value)
        return any(digits and (_digits(p).endswith(digits) or digits.endswith(_digits(p)))
                   for p in support.phones if len(_digits(p)) >= 6)
    if label == "EMAIL_ADDRESS":
        lowered = value.lower()
        own_domains = {e.lower().rsplit("@", 1)[-1] for e in support.emails}
        own_domains |= {d.lower() for d in policy.allowed_link_domains}
        own_domains |= {(urlsplit(u if "//" in u else "//" + u).hostname or "").removeprefix("www.")
                        for u in support.urls}
        return lowered in {e.lower() for e in support.emails} or lowered.rsplit("@", 1)[-1] in own_domains
    return False


class PiiCheck(Check):
    """Flag and redact customers' personal data; never the brand's own contacts, links or references."""

    name = "pii"

    def __init__(self) -> None:
        """Prepare the lazily built analyzers (one per list of phone regions)."""
        self._analyzers: dict[tuple[str, ...], Any] = {}
        self._lock = threading.Lock()

    def load(self) -> None:
        """Nothing up front: the analyzer is built by `warm` or the first draft that could hold personal data."""

    def warm(self) -> None:
        """Build the analyzer and run it once (Presidio compiles its patterns on first use)."""
        self.analyze("Call 415 555 0132 or mail jo@example.org, 12 Main St.", CheckContext())

    def _analyzer(self, policy: Policy) -> Any:
        """The analyzer for the policy's phone regions, built once."""
        from moderation.pii_recognizers import build_analyzer

        regions = _regions(policy)
        with self._lock:
            if regions not in self._analyzers:
                self._analyzers[regions] = build_analyzer(regions=regions)
            return self._analyzers[regions]

    def analyze(self, text: str, ctx: CheckContext) -> list[Finding]:
        """Return one finding per personal-data value, redaction as the suggestion."""
        rules = ctx.policy.pii
        norm, offsets = normalise(text)  # full-width, zero-width, "4O12": matched here, reported on `text`
        found = [(*original_span(offsets, s, e), label, score) for s, e, label, score in self._spans(norm, ctx)]
        return [Finding("pii", s, e, text[s:e], label, "block" if label in rules.block else "warn",
                        round(score, 4), _message(label, text[s:e], ctx), (rules.redaction.format(label=label),))
                for s, e, label, score in sorted(found)]

    def _spans(self, text: str, ctx: CheckContext) -> list[tuple[int, int, str, float]]:
        """The (start, end, label, score) of each personal-data value in an already normalised text."""
        rules = ctx.policy.pii
        entities = _possible(text, [*rules.block, *rules.warn])
        if not entities:
            return []
        analyzer = self._analyzer(ctx.policy)
        with self._lock:  # spaCy and Presidio objects are not documented as thread-safe
            results = analyzer.analyze(text, language="en", entities=entities,
                                       score_threshold=min(rules.min_score, WEAK_PHONE))
        skip = url_spans(text)
        spans: list[tuple[int, int, str, float]] = []
        for res in sorted(results, key=lambda r: (-r.score, r.start - r.end)):
            start, end = _trim(text, res.start, res.end)
            label = res.entity_type
            if res.score < rules.min_score and not (label == "PHONE_NUMBER" and PHONE_AFTER.match(text[end:end + 40])):
                continue  # a weak number counts only with a cue after it (Presidio looks only before)
            if _in_link(text, skip, start, end, label):
                continue
            if (not_personal(text, start, end, label) or not_customers(text, start, end, label)
                    or not_a_value(text, start, end, label)):
                if label in ("IBAN_CODE", "BANK_ACCOUNT"):
                    skip.append((start, end))  # the brand's own account: its digit groups are no phone either
                continue
            if not _is_own_contact(label, text[start:end], ctx.policy, text[max(0, start - 60):start],
                                   text[end:end + 40]):
                spans = _add_span(spans, (start, end, label, max(float(res.score), rules.min_score)))
        return spans


def _in_link(text: str, skip: list[tuple[int, int]], start: int, end: int, label: str) -> bool:
    """True for a value inside a link or a handle; a split email only ends on what reads as a handle."""
    if label == "EMAIL_ADDRESS" and (is_split_email(text, start, end) or "@" not in text[start:end]):
        # "jo.b – the rest is @mail.co.za", "jo(at)mail.com": the domain reads as a handle or a link, but the
        # address starts before it
        return any(s <= start < e for s, e in skip)
    return overlaps(skip, start, end)


def _possible(text: str, entities: list[str]) -> list[str]:
    """The entities the text could hold: most replies skip the costly recognizers, "thanks!" skips them all."""
    digits = sum(c.isdigit() for c in text)
    if digits < 7 and DIGIT_WORD.search(text):
        digits = max(digits, len(spelled_digits(text)))
    shapes = {
        "EMAIL_ADDRESS": "@" in text or bool(SPELLED_AT.search(text)),
        # Two capitalised words at least (a full name), or the name recognizer has nothing to find.
        "PERSON": sum(w[:1].isupper() for w in text.split()) >= 2,
        "CRYPTO": bool(LONG_TOKEN.search(text)),
    }
    # An intersection ("the corner of Lincoln Ave and Fullerton") is an address without a digit.
    corner = "STREET_ADDRESS" if CORNER.search(text) else ""
    return [e for e in entities if (digits >= MIN_DIGITS.get(e, 0) or e == corner) and shapes.get(e, True)]


def _add_span(spans: list[tuple[int, int, str, float]],
              new: tuple[int, int, str, float]) -> list[tuple[int, int, str, float]]:
    """Add a span: one finding per stretch of text, the most confident recognizer's label wins.

    Two shapes of one value of the same type ("3178" + "254 Damvergi Street") merge into their union.
    """
    start, end, label, score = new
    hit = [s for s in spans if s[0] < end and start < s[1]]
    if not hit:
        return [*spans, new]
    if any(s[2] != label for s in hit):
        if label != "PERSON" and all(s[2] == "PERSON" for s in hit):
            # "12 Jalan Sudirman": the address (a block) outranks the name-like words inside it (a warn).
            return [s for s in spans if s not in hit] + [new]
        return spans
    start, end = min(start, *(s[0] for s in hit)), max(end, *(s[1] for s in hit))
    return [s for s in spans if s not in hit] + [(start, end, label, max(score, *(s[3] for s in hit)))]


def _message(label: str, value: str, ctx: CheckContext) -> str:
    """Explain the finding; say so when the reply echoes what the customer posted."""
    what = f"This looks like {MESSAGES.get(label, label.lower())} of a customer; "
    mention = ctx.mention.get("text") if isinstance(ctx.mention, dict) else None
    if isinstance(mention, str):
        digits = _digits(value)
        if (digits and digits in _digits(mention)) or value.lower() in mention.lower():
            return what + "the customer posted it, but repeating it spreads it; move to a private message."
    return what + "never post personal data in a public reply."


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop surrounding whitespace and trailing punctuation from a span."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:"):
        end -= 1
    return start, end

"""Values whose own shape says they are no customer's data: web pages, dates, opening hours, towns, readings.

"Updates at status.brand.com" reads as an email spelled with "at", "27 Oct. Route 42" and "Fri 10–16, Sat
9–18" as a house number and a street, "ship to 75011 Paris" as an address, and "07712.4 m³" as a phone
number. Each rule names what the value is instead: a web address (a path after it, "www." or a web host
such as "status." or "support." before it, a pronoun or a glued fragment as its "user name"), a date,
opening hours, a postcode with only its town, a decimal reading or a quantity in cubic or square units. An
address after "we're located at" or "we've moved to" is the brand's own place.
"""

from __future__ import annotations

import re
from functools import lru_cache

from moderation.phonewords import spelled_digits

# An email spelled with a bare "at": the user name and the domain.
BARE_AT = re.compile(r"(?i)^(?P<local>[\w.+-]+)\s+at\s+(?P<domain>\S+)$")
# Host names of a web site, not of a mail server: "status.brand.com", "support.brand.io", "www.…".
WEB_HOSTS = frozenset("www status support help docs app apps shop store my portal account accounts community forum "
                      "blog go get news careers developer developers api login track tracking returns order orders "
                      "pay billing m mobile web service services updates".split())
# Words that are never a person's user name: "find us at brand.com", "book it at …", "more at …".
NOT_USERS = frozenset("it us them this that these those all more here there online everything anytime details".split())
MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
DATE_FIRST = re.compile(rf"(?i)^\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}(?:\.|,|\s+\d{{2,4}}\b)")
# A weekday and a time range or "closed": opening hours ("Fri 10–16", "Sat 9:00-17:00", "Sun closed").
HOURS = re.compile(r"(?i)\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?\.?\s*(?::\s*)?"
                   r"(?:\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?\s*[–—-]\s*\d{1,2}|closed\b)")
# A company's legal form or a department in an address, or just before it: a business address ("Returns Dept,
# Brightline Ltd, PO Box 1234"). Not "AB", "SA" or "Co.": provinces, states and Irish counties.
BUSINESS_ADDRESS = re.compile(r"\b(?:Ltd|Limited|Inc|LLC|GmbH|PLC|plc|Pty|B\.V\.|S\.A\.S?|S\.r\.l\.|Dept|Department)\b")
# A desk named right before its number: "Helpline 1300 655 506", "Customer care: 0345 …", "the hotline 1800 …".
DESK_LABEL = re.compile(r"(?i)(?:^|[\n.!?(]\s*|\b(?:the|our|their)\s+)(?:[\w'’-]+\s+)?(?:help\s*line|hot\s*line|"
                        r"customer\s+(?:care|service|support)|support\s+line|service\s+line|switchboard)"
                        r"(?:\s+(?:number|no\.?|line))?\s*[:：–-]?\s*$")
# The brand saying where it is: "we're (now) at", "we are located at", "we've moved to".
WE_ARE_AT = re.compile(r"(?i)\bwe(?:'re|\s+are)\s+(?:now\s+|also\s+)?(?:(?:located|based|situated)\s+)?(?:at|on)\s*$|"
                       r"\bwe(?:'ve|\s+have)\s+(?:now\s+|just\s+)?(?:moved|relocated)\s+to\s*$")
TOWN_ONLY = re.compile(r"^(?P<code>\d{4,5})\s+(?P<town>[A-Z][\w'’]+(?:[ -][A-Z][\w'’]+)?)$")
# Square and cubic units (and a few written out) after a number: a reading or an area.
AREA_UNIT = re.compile(r"(?i)^\s*(?:(?:k?m|cm|mm|ft|in|yd)[23²³](?!\w)|sq\.?\s?(?:m|ft|yd|km)\b|cu\.?\s?(?:m|ft)\b|"
                       r"cubic\b|square\s+(?:met|feet|foot)|kwh\b)")


@lru_cache(maxsize=1)
def _big_towns() -> frozenset[str]:
    """Cities that name a time zone ("Paris", "Melbourne"): the standard library's only list of places."""
    import zoneinfo

    return frozenset(n.rsplit("/", 1)[-1].replace("_", " ").lower() for n in zoneinfo.available_timezones())


def _has_host(domain: str) -> bool:
    """True when the domain names a host below the registered name ("tickets.brand.com", not "mail.co.uk")."""
    from moderation.pii_recognizers import _OFFLINE_TLD

    return bool(_OFFLINE_TLD(domain).subdomain)


def web_address(text: str, start: int, end: int) -> bool:
    """True for a web address or page read as an email spelled with a bare "at"."""
    m = BARE_AT.match(text[start:end])
    if m is None:
        return False
    more = re.match(r"(?:\.[\w-]+)*", text[end:])
    domain = m.group("domain") + (more.group() if more else "")
    after = text[end + (more.end() if more else 0):][:1]
    local = m.group("local")
    return (after == "/" or text[start - 1:start] in ("/", ":") or local.lower() in NOT_USERS
            or (domain.count(".") >= 2 and domain.split(".", 1)[0].lower() in WEB_HOSTS)
            or (local.isalpha() and _has_host(domain)))  # "Book at tickets.brand.com": a word, then a web host


def town_only(value: str) -> bool:
    """True for a postcode and its town alone ("75011 Paris"): a place, not anyone's address."""
    m = TOWN_ONLY.match(value)
    return m is not None and (len(m.group("code")) == 5 or m.group("town").lower() in _big_towns())


def not_a_value(text: str, start: int, end: int, label: str) -> bool:
    """True when the value's shape says it is a web page, a date, opening hours, a town or a reading."""
    value = text[start:end]
    if label == "EMAIL_ADDRESS":
        return "@" not in value and web_address(text, start, end)
    if label == "STREET_ADDRESS":
        if re.match(r"\d+\s+\d", value) and re.search(r"\d[\s-]$", text[max(0, start - 2):start]):
            return True  # the tail of a run of three or more digit groups: a code ("01 2345 6784 via UPS")
        before = text[max(0, start - 40):start]
        return (bool(DATE_FIRST.match(value) or HOURS.search(value) or WE_ARE_AT.search(before))
                or bool(BUSINESS_ADDRESS.search(value) or BUSINESS_ADDRESS.search(before.split("\n")[-1]))
                or town_only(value))
    if label == "PHONE_NUMBER":
        return (len(spelled_digits(value)) < 7 or bool(AREA_UNIT.match(text[end:end + 12]))
                or bool(DESK_LABEL.search(text[max(0, start - 50):start])))
    return False

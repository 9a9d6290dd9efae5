"""Numbers and places that look like personal data but are references, prices, quantities or the brand's own.

Every rule here says why a value is not a customer's: a reference named before or after it ("booking
number …", "… is your case id"), a currency or a unit of measure next to it, a run of digit groups too long
to be a phone number, a card number outside every card scheme, or an organisation introducing its own line
or place. A value is judged as the whole run of digit groups it sits in, not as the stretch a recognizer
happened to match ("176 2345678901" after "e-ticket is" is one ticket number, not a phone number).
"""

from __future__ import annotations

import re

NUMERIC = {"PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IP_ADDRESS", "IBAN_CODE"}
# Names of carriers: the number after one is a tracking or waybill number.
CARRIERS = (r"fedex|ups|usps|dhl|dpd|gls|tnt|hermes|evri|yodel|parcelforce|royal\s+mail|canada\s+post|"
            r"australia\s+post|la\s+poste|colissimo|chronopost|correos|postnl|bpost|purolator|ontrac|aramex|"
            r"lasership|japan\s+post|india\s+post|sf\s+express|poste\s+italiane|posti|postnord")
# Words that name a reference or an organisation's identifier: a number next to one is not personal data.
REF_WORDS = (
    r"order|ord|ticket|e-ticket|case|ref|reference|tracking|confirmation|conf|sku|item|model|version|ver|v|"
    r"error|err|code|invoice|serial|build|flight|booking|reservation|pnr|claim|incident|request|rma|ios|"
    r"android|firmware|update|kb|article|id|receipt|transaction|account|imei|meid|iccid|imsi|esn|waybill|"
    r"awb|consignment|shipment|parcel|package|batch|lot|part|product|policy|contract|membership|member|"
    r"voucher|coupon|promo|extension|ext|store|branch|shop|abn|acn|ein|vat|gst|company|registration|reg|"
    r"siren|siret|duns|job|trace|session|device|return|authori[sz]ation|loyalty|ean|upc|isbn|gtin|asin"
)
# A number right after one of these words ("booking number 5521 0098 4412", "FedEx 6129 8844 7710").
REFERENCE = re.compile(
    rf"\b(?:{REF_WORDS}|{CARRIERS})\s*(?:number|no\.?|num|id|#|code|ref)?\s*(?:is|was|[:#–—]|-(?=\s))?\s*$",
    re.IGNORECASE)  # "the order number – 4028-…": a dash introduces it as a colon does
# A reference named a few words before the number ("your booking is confirmed:", "the serial number you need is");
# not "the account holder's number:" or "order paid by card:", where the words between name the value.
REFERENCE_COLON = re.compile(
    rf"\b(?:{REF_WORDS})\b(?:\s+(?:number|no\.?|id|code|ref)\b)?"
    r"(?:\s+(?!(?:phone|mobile|cell|number|line|landline|contact|whatsapp|card|visa|mastercard|amex|debit|credit|"
    r"iban|bank(?!\s+transfer)|email|address)\b)[\w'’-]+){1,4}?\s*(?::|\bis|\bwas)\s*$",
    re.IGNORECASE)
ORG = ("office|store|shop|branch|helpline|hotline|desk|department|team|headquarters|hq|switchboard|reception|"
       r"warehouse|showroom|outlet|clinic|cent(?:re|er)|depot|hub|factory|facility|campus|location")
# Places of an organisation open to the public: "the store at …" is the brand's, "the office at …" may be anyone's.
PUBLIC_PLACE = (r"store|shop|branch|showroom|outlet|service\s+cent(?:re|er)|depot|warehouse|hub|clinic|headquarters|"
                r"meet-?up|event|venue|pop-?up")  # where the public is invited to come
# A number introduced as an organisation's own line ("contact our Lagos office on", "their telephone number is").
ORG_LINE = re.compile(
    r"\b(?:(?:our|their)\s+(?:[\w'’/-]+\s+){0,3}?(?:line|(?:tele)?phone\s+number|ORG)|our\s+(?:[\w'’-]+\s+){0,2}?number|"
    r"the\s+(?:[\w'’-]+\s+){0,3}?(?:ORG))(?:'s)?(?:\s+(?:in|for)\s+(?-i:[A-Z])[\w'’-]*(?:\s+(?-i:[A-Z])[\w'’-]*)?)?"
    r"(?:\s+(?:tele)?phone)?(?:\s+number)?(?:\s+(?:is\s+(?:on|at)|is|on|at)|\s*:)?\s*$|"  # "our hotline in Manila is"
    # "for sales call", "for billing questions, ring": a department of the organisation.
    r"\bfor\s+(?:[\w'’-]+\s+){0,2}?(?:sales|support|billing|bookings|returns|enquiries|inquiries|complaints|"
    r"reservations|customer\s+service)\b[\w\s,'’-]{0,20}?\b(?:call|ring|phone|dial|contact)(?:\s+us)?(?:\s+(?:on|at))?\s*$|"
    # "call us on", "you can reach us at", "give us a ring on": "us" is the organisation.
    r"\b(?:(?:call|ring|phone|text|message|whatsapp|contact|reach|dial|fax|sms)\s+us|give\s+us\s+a\s+(?:call|ring|bell))"
    r"(?:\s+(?!from\b)[\w'’-]+){0,2}?\s*(?:on|at|via|:)?\s*$"  # not "text us from 0412 …": the customer's
    .replace("ORG", ORG),
    re.IGNORECASE,
)
# A number introduced as free to call ("Freephone 0800 …", "フリーダイヤル：0120-…") is a business line.
BUSINESS_BEFORE = re.compile(r"(?:toll[- ]?free|freephone|free\s*dial|フリーダイヤル|num[ée]ro\s+vert)"
                             r"(?:\s+(?:number|line|no\.?))?\s*[:：]?\s*$", re.IGNORECASE)
# Said after a number, these make it a business line: a customer's own number is not free to call or "open".
BUSINESS_AFTER = re.compile(
    r"^\s*(?:[,(]|\s[-–—])?\s*(?:(?:it's|it\s+is|calls?\s+(?:are|is))\s+)?(?:toll[- ]?free|freephone|"
    r"free\s+of\s+charge|free\s+(?:from|to\s+call|call)|local\s+rate|lines?\s+(?:are\s+|is\s+)?open|open\s+(?:\d|from|mon|daily|24|every|"
    r"weekdays|until|till|all)|24/7)", re.IGNORECASE)
# The same said after the number: "0161 496 0000, our Manchester office", "… — their helpline".
ORG_AFTER = re.compile(
    r"^\s*(?:(?:x|ext\.?)\s*\d{1,5}\s*)?(?:[,(]|\s[-–—]|\s+(?:for|at|to\s+reach))\s*(?:(?:is|that's)\s+)?(?:our|their)\s+(?:[\w'’-]+\s+){0,3}?"
    r"(?:ORG|line|number)\b".replace("ORG", ORG), re.IGNORECASE)
# An address introduced as the organisation's own ("our London office is at", "visit us at").
# Also "our Sandton branch has moved to Shop L41, Sandton City, 83 …", "the service centre is at 3rd Floor, 14 …":
# a building, floor or shop named before the street (round 10, dev6). "the" only with a place open to the public.
ORG_PLACE = re.compile(
    r"\b(?:(?:(?:our|their)\s+(?:[\w'’-]+\s+){0,3}?(?:ORG)(?:e?s)?|the\s+(?:[\w'’-]+\s+){0,2}?(?:PUBLIC)|"
    # a company's registered office is on the public register (round 10, dev7: "the registered office is 44 …")
    r"(?:our|their|the(?:\s+company'?s)?)\s+registered\s+(?:office|address))(?:'s)?"
    r"(?:\s+address)?(?:\s+(?:is|has|have|will\s+be))?(?:\s+(?:now|moved|relocated))?"
    r"(?:\s+(?:at|on|in|to)|\s*[:,]|(?<=\sis))|"
    r"(?:visit|find|see)\s+us\s+at|(?:ships?|shipped|dispatched|sent)\s+from|"
    r"(?:our|their)\s+(?:[\w'’-]+\s+){0,2}?address(?:\s+is)?\s*[:,]?)(?:\s+the)?"
    r"(?:\s+(?-i:[A-Z0-9])[^,.!?\n]{0,20},){0,3}"
    # the start of a part the address recognizer left out: "… is Tidewell [Energy Ltd, 3rd Floor, …]"
    r"(?:\s+(?-i:[A-Z0-9])[\w'’&.-]*(?:\s+(?:of|the|de|la|del|da|van|von))?){0,3}\s*$"
    .replace("ORG", ORG).replace("PUBLIC", PUBLIC_PLACE),
    re.IGNORECASE,
)
# An account introduced as the organisation's own ("our company account", "pay into our account:"), with no
# one else's between ("our records show your IBAN" is the customer's).
BRAND_ACCOUNT = re.compile(
    r"\b(?:our|their)\s+(?:(?!your\b|his\b|her\b)[\w'’-]+\s+){0,2}?(?:account|iban|bank\s+(?:account|details)|BANK_CODE)"
    r"(?:\s+(?:details|number))?(?:\s+for\s+(?:(?:the|your|this)\s+)?[\w'’-]+)?(?:\s+(?:is|are))?\s*[:,(]?"
    # the payee named first: "our account is Hollybank Water Ltd, sort code …" (round 10, dev7)
    r"(?:\s*(?-i:[A-Z])[\w&'’.-]*(?:\s+(?-i:[A-Z])[\w&'’.-]*){0,3}\s*[,:]?)?"
    r"(?:\s*(?:BANK_CODE|iban)(?:\s+is)?)?\s*:?\s*$".replace(
        "BANK_CODE", r"sort\s*code|ifsc(?:\s+code)?|bsb|routing\s+number"), re.IGNORECASE)
# The customer is asked to pay a named payee ("Pay by transfer to Brandstore Ltd, sort code …"): the payee's
# account, published for payments; so is one after "pay by bank transfer to". "We'll pay into …" is a refund,
# and "Pay to GB82 …" names no payee: not these.
PAYEE = re.compile(
    r"^(?:(?:please|kindly)\s+|you\s+(?:can|may|should|must|need\s+to)\s+|for\s+[\w\s]{0,20}?payments?,?\s+)?"
    r"(?:(?:please|kindly)\s+)?(?:pay|transfer|make\s+(?:the\s+|your\s+)?payments?)\b[^\n]*?\b(?:to|into)\s+"
    r"(?:(?-i:[A-Z])[\w&'’.-]*(?:\s+(?-i:[A-Z])[\w&'’.-]*){0,3}\s*[,:(]?\s*|(?<=by\sbank\stransfer\sto\s)|"
    r"(?<=by\stransfer\sto\s))"  # "Pay by bank transfer to sort code …": how an invoice asks for payment
    r"(?:(?:sort\s*code|ifsc(?:\s+code)?|bsb|routing\s+number|iban|account(?:\s+(?:number|no\.?))?)\s*:?\s*)?$",
    re.IGNORECASE)
# The same said after the value: "account 41234567, sort code 20-45-77, our company account".
BRAND_ACCOUNT_AFTER = re.compile(r"^\W{0,4}(?:our|their)\s+(?:[\w'’-]+\s+){0,2}?(?:account|iban|bank\s+details)\b",
                                 re.IGNORECASE)
# Reference words that can also end a phrase about a phone ("… is your update", "… is the device"): not after.
_NOT_AFTER = {"v", "ver", "ext", "extension", "id", "reg", "conf", "ord", "err", "ios", "android", "kb", "code",
              "update", "device", "session", "job", "member", "company", "shop", "store", "branch", "model"}
# "… is your order number", "… as the case id": a reference named after the number; not "the account holder's
# mobile", where the reference word only describes whose line it is.
REFERENCE_AFTER = re.compile(
    r"^\s*(?:is|was|as|=|:)\s+(?:(?:your|the|our|a|its)\s+)?(?:[\w'-]+\s+)?(?:"
    + "|".join(w for w in REF_WORDS.split("|") if w not in _NOT_AFTER)
    + r")\b(?![\w'-]*\s+(?:[\w'-]+\s+)?(?:phone|mobile|cell|landline|line|whatsapp|contact)\b)", re.IGNORECASE)
# "the number on the order is", "the contact number for your booking:": a number the reference holds, not the
# reference itself; only a value written with a trunk prefix or country code is taken as a line this way.
# Also "the payment card on your Brightline account is": a card held on the account (round 11, dev8).
HELD_ON = re.compile(rf"\b(?:(?:phone\s+|contact\s+|mobile\s+)?number|card(?:\s+number)?)\s+"
                     rf"(?:on|for|in|against|linked\s+to|saved\s+(?:on|to))\s+(?:the|your|this)\s+"
                     rf"(?:[\w'’-]+\s+){{0,2}}?(?:{REF_WORDS})\s*(?:is|was|:)\s*$", re.IGNORECASE)
# Words that name a card or a line: a value after them is one, even after a number sign or as 13 digits.
CARD_WORD = re.compile(r"\b(?:card|visa|mastercard|amex|maestro|debit|credit|cc|phone|tel|mobile|cell|fax)\b",
                       re.IGNORECASE)
# Said after a number, these make it someone's own line whatever reference words come before it.
PERSONAL_LINE_AFTER = re.compile(
    r"^\s*[,)]?\s*(?:is|was|as|that's)\s+(?:now\s+)?(?:his|her|my|your|their)\s+(?:[\w'-]+\s+){0,2}?"
    r"(?:phone|mobile|cell|cellphone|handphone|landline|whatsapp|(?:home|work|daytime|personal|private|direct)\s+(?:number|line))\b",
    re.IGNORECASE)
CURRENCY = (r"[$€£¥₹₩₽₺₪฿]|\b(?:R\$|Rs\.?|INR|USD|EUR|GBP|CHF|JPY|CNY|RMB|AUD|CAD|NZD|SEK|NOK|DKK|PLN|BRL|MXN|"
            r"ZAR|HKD|SGD)")
PRICE_BEFORE = re.compile(rf"(?:{CURRENCY})\s*$")
# Seats at a venue or on a plane ("Block 112, Row M, seats 21–24"): a row letter or a seat is no street.
SEATING = re.compile(r"\b(?:seats?\b|Row\s+[A-Z]{1,2}\b)")
PRICE_FIRST = re.compile(rf"(?:{CURRENCY})\s*\d")
PRICE_AFTER = re.compile(r"^\s*(?:usd|eur|gbp|chf|jpy|inr|aud|cad|dollars|euros|pounds|yen|rupees|[€£$¥₹])(?!\w)",
                         re.IGNORECASE)
# A unit of measure after the number: a quantity ("48 213 km", "3 200 points"), not a phone number.
UNIT_AFTER = re.compile(
    r"^\s*(?:km|mi|miles|m|cm|mm|kg|g|mg|lbs?|ml|l|litres?|liters?|mah|wh|kwh|w|v|hz|khz|mhz|ghz|gb|mb|tb|kb|"
    r"px|dpi|points|pts|units|pieces|pcs|items|copies|users|seats|views|steps|calories|kcal|%)(?![\w/])",
    re.IGNORECASE)
DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})")
SSN_SHAPE = re.compile(r"\d{3}-\d{2}-\d{4}")
# A date at the start of a value, not a French-style number grouped by dots ("06.12.34.56.78").
DATE_FIRST = re.compile(r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2}))(?![-/.]?\d)")
# A run of digit groups joined by single separators; "+" and brackets belong to a phone number's run.
DIGIT_RUN = re.compile(r"\+?\(?\d[\d()]*(?:[ ./-]\(?\d[\d()]*)*")
EXTENSION = re.compile(r"\s?(?:x|ext\.?|extension)\s?\d{1,6}$", re.IGNORECASE)
PHONE_MAX_DIGITS = 15
MASK = "*•●xX#"  # characters that stand in for a hidden digit of a card  # E.164: no phone number has more digits


def digit_run(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole run of digit groups that the span [start, end) sits in (the span itself if none)."""
    for match in DIGIT_RUN.finditer(text, max(0, start - 40), min(len(text), end + 40)):
        if match.start() <= start and end <= match.end():
            return match.start(), match.end()
    return start, end


def unmasked(value: str) -> str:
    """The value's digits with each masked digit read as a zero, to check a card scheme's prefix and length."""
    return "".join("0" if c in MASK else c for c in value if c.isdigit() or c in MASK)


def known_card(digits: str) -> bool:
    """True when the digits have the prefix and length of a payment-card scheme (Visa, Mastercard, …)."""
    n, p2, p3, p4 = len(digits), int(digits[:2]), int(digits[:3]), int(digits[:4])
    if digits[0] == "4":
        return n in (13, 16, 19)  # Visa
    if 51 <= p2 <= 55 or 2221 <= p4 <= 2720:
        return n == 16  # Mastercard
    if 2200 <= p4 <= 2204 or p2 == 35:
        return 16 <= n <= 19  # Mir, JCB
    if p2 in (34, 37) or p4 in (1800, 2131):
        return n == 15  # American Express, the older JCB
    if 300 <= p3 <= 305 or p4 == 3095 or p2 in (36, 38, 39):
        return 14 <= n <= 19  # Diners Club
    if digits[0] in "56":
        return 12 <= n <= 19  # Maestro, Discover, UnionPay, RuPay and the national schemes
    return digits[0] == "1" and n == 15  # UATP


def _product_code(value: str) -> bool:
    """True for 13 digits typed without a break that pass the EAN-13 check digit: a barcode, not a card."""
    if not (value.isdigit() and len(value) == 13):
        return False
    return sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(value)) % 10 == 0


def not_personal(text: str, start: int, end: int, label: str) -> bool:
    """True for references, prices, quantities, dates, versions, error codes and the organisation's own places."""
    if label in ("IBAN_CODE", "BANK_ACCOUNT") and (BRAND_ACCOUNT.search(text[max(0, start - 90):start])
                                                  or PAYEE.search(_sentence_before(text, start))
                                                  or BRAND_ACCOUNT_AFTER.match(text[end:end + 50])):
        return True  # "transfer to our company account NL51 …": the brand's own account, published for payments
    if label == "STREET_ADDRESS":
        if not re.search(r"\s", text[start:end]):
            return True  # one unbroken token ("63a366aa-6cfd-4940-…") is an id: every address has a space
        return bool(ORG_PLACE.search(text[max(0, start - 90):start]) or PRICE_FIRST.match(text, start)
                    or _named_as_ours(text, start, end)
                    or SEATING.search(text[start:min(len(text), end + 25)])
                    or PRICE_BEFORE.search(text[max(0, start - 4):start]))  # "EUR 61,454.35" is a price
    if label not in NUMERIC:
        return False
    digits = unmasked(text[start:end])  # "4929 81** 4471 2035": the masked places count towards the length
    if label == "CREDIT_CARD" and (not known_card(digits) or (
            _product_code(text[start:end]) and not CARD_WORD.search(text[max(0, start - 30):start]))):
        return True  # no card scheme has that prefix and length (an IMEI), or a barcode nobody called a card
    if label == "PHONE_NUMBER":
        run_start, run_end = digit_run(text, start, end)
        run = EXTENSION.sub("", text[run_start:run_end])  # "…-5393x36338": the extension is no part of the number
        if len(re.sub(r"\D", "", run)) > PHONE_MAX_DIGITS or (run.isdigit() and len(run) >= 13
                                                               and not run.startswith("00")):
            return True  # a stretch of a longer number, or 13 digits typed without a break: a product code
        if (run_start, run_end) != (start, end) and _reference(text, run_start, run_end, label):
            return True  # "booking number 5521 0098 4412": judged as the whole run
    return _reference(text, start, end, label) or _other_shape(text, start, end, label)


def _sentence_before(text: str, start: int) -> str:
    """The part of the value's sentence before it (at most 120 characters back)."""
    return re.split(r"[.!?]\s+|\n", text[max(0, start - 120):start])[-1].lstrip()


def _named_as_ours(text: str, start: int, end: int) -> bool:
    """True for a place named as the organisation's own right after "our": "our Grafton Street store, Dublin 2"."""
    return bool(re.search(r"\b(?:our|their)\s+$", text[max(0, start - 8):start], re.IGNORECASE)
                and re.match(rf"(?:[\w'’.-]+\s+){{0,3}}(?:{ORG})\b", text[start:end], re.IGNORECASE))


def _reference(text: str, start: int, end: int, label: str) -> bool:
    """A reference named before or after the value, or a code prefix glued to it."""
    value = text[start:end]
    if label == "PHONE_NUMBER" and PERSONAL_LINE_AFTER.match(text[end:end + 50]):
        return False  # "Order details: 0412 345 678 is your mobile": said to be someone's line
    held = HELD_ON.search(text[max(0, start - 60):start])
    if held and ((label == "PHONE_NUMBER" and value[:1] in "0+(")
                 or (label == "CREDIT_CARD" and held.group().lower().startswith("card"))):
        return False  # "the number on the booking is 090 …": a line with a trunk prefix (or a card) held on it
    before = text[max(0, start - 2):start]
    if re.match(r"[A-Za-z]+-\d", value):
        return True  # letters then a dash and digits: a code ("OH-8258-1717"), not "oh" read out as a zero
    if before and (before[-1].isalnum() or (before[-1] in "-_/" and before[0].isalnum())):
        return True  # glued to a code prefix: "WS-37368-7", "SKU-12345678"
    if before[-1:] == "#" and not CARD_WORD.search(text[max(0, start - 30):start]):
        return True  # a number sign: "Build: #325-659-687"; but "card #4111 …", "phone #555-0123" are values
    if label != "IBAN_CODE" and REFERENCE_COLON.search(text[max(0, start - 50):start]):
        return True  # "your booking is confirmed: 5521 0098 4412"
    if REFERENCE_AFTER.match(text[end:end + 40]):
        return True
    return label != "IBAN_CODE" and bool(REFERENCE.search(text[max(0, start - 30):start])) and not (
        label == "PHONE_NUMBER" and value[:1] == "+")  # "+61 4 1234 5678" is a phone, a checksummed IBAN an IBAN


def _other_shape(text: str, start: int, end: int, label: str) -> bool:
    """An organisation's own line, a price, a quantity, a date, or a stretch of a longer run of groups."""
    value = text[start:end].strip()
    run_start = digit_run(text, start, end)[0]
    before = text[max(0, run_start - 50):run_start].rstrip("(+")  # "reach us at (0161)4960702"
    if label == "PHONE_NUMBER" and (ORG_LINE.search(before) or BUSINESS_BEFORE.search(before)
                                    or ORG_AFTER.match(text[end:])
                                    or BUSINESS_AFTER.match(text[end:end + 40])):
        return True
    if PRICE_BEFORE.search(text[max(0, start - 4):start]) or PRICE_AFTER.match(text[end:end + 10]):
        return True
    if label == "PHONE_NUMBER" and UNIT_AFTER.match(text[end:end + 12]):
        return True
    if label == "CREDIT_CARD" and (re.search(r"\d[ ./-]{1,2}$", text[max(0, start - 3):start])
                                   or re.match(r"[ ./-]{1,2}\d", text[end:end + 3])):
        return True  # a stretch of a longer run of digit groups: "tracking 9400 1111 2222 3333 4444 55"
    if label == "PHONE_NUMBER" and (DATE.fullmatch(value) or SSN_SHAPE.fullmatch(value) or DATE_FIRST.match(value)
                                    or re.match(r":\d", text[end:end + 2])):
        return True  # a date, a date and time ("04.11.2006 11:35"), a time
    return label == "IP_ADDRESS" and bool(re.search(r"\bv(?:ersion)?\s*$", text[max(0, start - 10):start]))

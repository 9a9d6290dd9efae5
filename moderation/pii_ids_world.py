"""Identity numbers of more countries, for moderation.pii_ids: each named in the sentence and checked by its digits.

The same rule as there: the document's name (in English or the country's language) comes before the value, and
the value passes that document's own format and check digits (python-stdnum); a value without the name is left
alone, however valid it is.
"""

from __future__ import annotations

import re

from stdnum.ar import cuit
from stdnum.at import vnr
from stdnum.be import nn
from stdnum.bg import egn
from stdnum.ch import ssn
from stdnum.cl import rut
from stdnum.cn import ric
from stdnum.cz import rc
from stdnum.ec import ci
from stdnum.ee import ik
from stdnum.fi import hetu
from stdnum.gb import utr
from stdnum.gr import amka
from stdnum.hr import oib
from stdnum.id import nik
from stdnum.is_ import kennitala
from stdnum.jp import in_ as my_number
from stdnum.kr import rrn
from stdnum.lt import asmens
from stdnum.mx import rfc
from stdnum.my import nric
from stdnum.no import fodselsnummer
from stdnum.nz import ird
from stdnum.pt import cc, nif
from stdnum.ro import cnp
from stdnum.si import emso
from stdnum.th import pin
from stdnum.tr import tckimlik
from stdnum.us import itin

from moderation.pii_ids import IdKind


def _hetu(value: str) -> bool:
    """A Finnish personal identity code; a dash as the century sign is lost when the value is compacted."""
    return hetu.is_valid(value) or (len(value) == 10 and hetu.is_valid(f"{value[:6]}-{value[6:]}"))


def _hkid(value: str) -> bool:
    """A Hong Kong identity card number: one or two letters, six digits, a check digit or A (mod 11)."""
    m = re.fullmatch(r"([A-Z]{1,2})(\d{6})\(?([\dA])\)?", value.upper())
    if m is None:
        return False
    letters = m.group(1).rjust(2, " ")
    total = sum((9 - i) * (36 if c == " " else ord(c) - 55) for i, c in enumerate(letters))
    total += sum((7 - i) * int(d) for i, d in enumerate(m.group(2)))
    check = (11 - total % 11) % 11
    return m.group(3) == ("A" if check == 10 else str(check))


WORLD_ID_KINDS = (
    IdKind(r"(?i:resident\s+registration)|\bRRN\b|주민등록번호", r"\d{6}-?\d{7}", rrn.is_valid),
    IdKind(r"(?i:resident\s+identity|(?:citizen|national)\s+ID|ID\s+card)|身份证", r"\d{17}[\dXx]", ric.is_valid),
    IdKind(r"(?i:my\s*number|individual\s+number)|マイナンバー|個人番号", r"\d{4}\s?\d{4}\s?\d{4}", my_number.is_valid),
    IdKind(r"(?i:f[øo]dselsnummer|personnummer)", r"\d{6}\s?\d{5}", fodselsnummer.is_valid),
    IdKind(r"(?i:henkil[öo]tunnus|personal\s+identity\s+code)|\bHETU\b", r"\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]", _hetu),
    IdKind(r"(?i:rijksregister(?:nummer)?|num[ée]ro\s+national|national\s+regist(?:er|ry)\s+number)|\b(?:NISS|INSZ)\b",
           r"\d{2}\.?\d{2}\.?\d{2}-?\d{3}\.?\d{2}", nn.is_valid),
    IdKind(r"(?i:cart[ãa]o\s+de\s+cidad[ãa]o|citizen\s+card)", r"\d{8}\s?\d\s?[A-Z0-9]{2}\d", cc.is_valid),
    IdKind(r"\bNIF\b|(?i:contribuinte)", r"[123]\d{2}\s?\d{3}\s?\d{3}", nif.is_valid),  # a person's Portuguese NIF
    IdKind(r"\b(?:AHV|AVS)\b", r"756\.?\d{4}\.?\d{4}\.?\d{2}", ssn.is_valid),
    IdKind(r"(?i:sozialversicherungsnummer|SV-?Nummer)|\bSVNR\b", r"\d{4}\s?\d{6}", vnr.is_valid),
    IdKind(r"(?i:T\.?\s?C\.?\s+kimlik|kimlik\s+(?:no|numaras))|\bTCKN\b", r"[1-9]\d{10}", tckimlik.is_valid),
    IdKind(r"\b(?:CUIL|CUIT)\b", r"\d{2}-?\d{8}-?\d", cuit.is_valid),
    IdKind(r"\b(?:RUT|RUN)\b", r"\d{1,2}\.?\d{3}\.?\d{3}-?[\dkK]", rut.is_valid),
    IdKind(r"\bAMKA\b|ΑΜΚΑ", r"\d{11}", amka.is_valid),
    IdKind(r"\bCNP\b|(?i:cod\s+numeric\s+personal)", r"[1-8]\d{12}", cnp.is_valid),
    IdKind(r"(?i:rodn[ée]\s+[čc][íi]slo|birth\s+number)", r"\d{6}/?\d{3,4}", rc.is_valid),
    IdKind(r"\bIRD\b", r"\d{2,3}[- ]?\d{3}[- ]?\d{3}", ird.is_valid),
    IdKind(r"(?i:mykad|\bIC\s+(?:number|no\b))|\bNRIC\b", r"\d{6}-?\d{2}-?\d{4}", nric.is_valid),
    IdKind(r"(?i:thai\s+(?:national\s+)?ID|citizen\s+ID)|บัตรประชาชน", r"\d[- ]?\d{4}[- ]?\d{5}[- ]?\d{2}[- ]?\d",
           pin.is_valid),
    IdKind(r"(?i:isikukood)", r"[1-6]\d{10}", ik.is_valid),
    IdKind(r"(?i:asmens\s+kodas)", r"[1-6]\d{10}", asmens.is_valid),
    IdKind(r"\bEGN\b|ЕГН", r"\d{10}", egn.is_valid),
    IdKind(r"\bOIB\b", r"\d{11}", oib.is_valid),
    IdKind(r"\bEM[ŠS]O\b", r"\d{13}", emso.is_valid),
    IdKind(r"(?i:c[ée]dula)", r"\d{9}-?\d", ci.is_valid),
    IdKind(r"\bITIN\b", r"9\d{2}-?\d{2}-?\d{4}", itin.is_valid),
    IdKind(r"\bUTR\b|(?i:unique\s+taxpayer\s+reference)", r"\d{5}\s?\d{5}", utr.is_valid),
    IdKind(r"\b(?:NIK|KTP)\b", r"\d{16}", nik.is_valid),
    IdKind(r"(?i:kennitala)", r"\d{6}-?\d{4}", kennitala.is_valid),
    # four letters: a person's RFC (a company's has three)
    IdKind(r"\bRFC\b", r"[A-ZÑ&]{4}\d{6}[A-Z\d]{3}", rfc.is_valid),
    IdKind(r"\bHKID\b|(?i:hong\s+kong\s+(?:identity|ID)\s+card)", r"[A-Z]{1,2}\d{6}\s?\(?[\dA]\)?", _hkid),
)

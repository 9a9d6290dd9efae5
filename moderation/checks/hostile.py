"""Hostility made of polite words: condescension, sarcasm, blame and veiled threats aimed at a customer."""

from __future__ import annotations

import re


def _rx(*parts: str) -> re.Pattern[str]:
    """Compile alternatives as one case-insensitive, word-bounded pattern."""
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE)


GROUP = r"(?:people|customers|users|folks|guys|clients|someone|somebody|those)"
# Talking down to the customer: they cannot read, think or cope, and the agent says so.
CONDESCENSION = _rx(
    r"(?:maybe|perhaps|next\s+time,?)\s+(?:try\s+|you\s+should\s+(?:try\s+)?)?(?:reading|read(?:ing)?\s+the|"
    r"looking\s+at|plugging|using\s+your|asking\s+someone|ask\s+someone|stick\s+to)",
    r"(?:before|stop|quit)\s+wasting\s+(?:our|my|everyone'?s)\s+time", r"wast(?:e|ing)\s+(?:our|my)\s+time",
    rf"{GROUP}\s+like\s+you(?:rself)?", r"(?:three|two|four|several|many|multiple|a\s+few|\d+)\s+times\s+"
    r"(?:now|already)", r"not\s+that\s+(?:complicated|hard|difficult|complex)",
    r"if\s+you\s+can'?t\s+(?:even\s+)?(?:handle|manage|figure\s+out|understand|follow)",
    r"did\s+you\s+even\s+(?:bother|try|read|look|check)", r"that'?s\s+what\s+happens\s+when\s+you",
    r"(?:nobody|no\s+one)\s+(?:asked|requested|wanted)", r"(?:which|that)\s+(?:nobody|no\s+one)\s+\w+",
    r"(?:stick|stay)\s+to\s+something\s+(?:simpler|easier)", r"rules\s+are\s+rules",
    r"(?:use|using|turn(?:ing)?)\s+your\s+(?:brain|head)", r"(?:noted|read)\s+and\s+(?:will\s+be\s+)?ignored",
    r"someone\s+(?:younger|smarter|more\s+tech)", r"(?:type|speak|talk|explain\s+it)\s+(?:very\s+)?slowly",
    r"(?:seem\s+to\s+)?have\s+(?:trouble|difficulty)\s+(?:understanding|reading|following)",
    r"funny\s+how\s+you", r"you'?re\s+wrong\s+and\s+you\s+know\s+it", r"too\s+much\s+to\s+ask",
    r"(?:impressive|amazing|remarkable)\s+how\s+you", r"(?:clearly|obviously)\s+you\s+(?:didn'?t|did\s+not|"
    r"don'?t|have\s+no|can'?t|never)", r"you\s+(?:clearly|obviously)\s+(?:have\s+no|didn'?t|don'?t|can'?t)",
    r"(?:have\s+)?no\s+idea\s+how\s+(?:this|it|that)\s+works", r"(?:a|the)\s+you\s+(?:problem|issue)",
    r"spare\s+(?:us|me)\s+(?:the|your)", r"(?:we|i)\s+won'?t\s+miss\s+you",
    r"take\s+your\s+(?:business|money|complaints?)\s+elsewhere", r"bold\s+of\s+you",
    r"(?:oh,?\s+)?another\s+(?:expert|genius|know-it-all|rocket\s+scientist)",
    r"(?:^|(?<=[.!?]\s))figure\s+it\s+out", r"figure\s+it\s+out\s+yourself",
    r"some\s+of\s+us\s+have\s+(?:actual|real)", r"(?:think|thinks)\s+(?:you|they)\s+know\s+better",
    r"(?:^|(?<=[.!?]\s))(?:sweetie|honey|sweetheart|hun|darling)(?=,)",
    r"reading\s+comprehension", r"hold(?:ing)?\s+your\s+hand", r"the\s+loudest",
    r"are\s+you\s+always\s+this", r"(?:not\s+sure\s+)?what\s+(?:did\s+)?you\s+(?:expected?)\s+for\s+that",
    r"make\s+this\s+any\s+(?:simpler|clearer|easier)", r"good\s+for\s+you,?\s+but",
    r"not\s+everyone\s+can\s+be", r"with\s+all\s+due\s+respect", r"you\s+only\s+(?:ever\s+)?complain",
    r"can'?t\s+have\s+nice\s+things", r"(?:it'?s|its)\s+an?\s+\w+,\s+not\s+a\s+(?:spaceship|rocket)",
    r"managed\s+to\s+break", r"thanks\s+for\s+the\s+(?:essay|novel|lecture)",
    r"(?:wow|gee|oh),?\s+congratulations", r"(?:your|the)\s+own\s+mistake",
)
# Threats dressed as warnings: nothing violent is said, but the customer is told to be afraid.
VEILED_THREAT = _rx(
    r"(?:would|it'?d)\s+be\s+a\s+shame\s+if", r"(?:we|i)(?:'d|\s+would)\s+hate\s+for\s+(?:anything|something)",
    r"(?:and\s+)?see\s+what\s+happens", r"think\s+twice\s+before\s+(?:posting|tweeting|writing|complaining|"
    r"reviewing|talking)", r"(?:we|i)\s+know\s+where\s+you\s+(?:live|work)",
    r"(?:we|i)(?:'ll|\s+will)\s+remember\s+(?:this|that|you)", r"be\s+careful\s+what\s+you\s+(?:post|say|write)",
    r"accounts?\s+(?:got|get|gets|getting)\s+(?:flagged|suspended|closed)\s+for",
)

"""Harmless uses of violent or rude English words, masked before any scorer reads a reply."""

from __future__ import annotations

import re


def _rx(*parts: str) -> re.Pattern[str]:
    """Compile alternatives as one case-insensitive, word-bounded pattern."""
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE)


# Harmless uses of violent or rude words; masked before scoring so no scorer (lexicon or model) sees them.
IDIOMS = _rx(
    r"kill(?:s|ed|ing)?\s+(?:the\s+|this\s+|that\s+|your\s+|a\s+|any\s+)?(?:background\s+)?"
    r"(?:process(?:es)?|tasks?|apps?|applications?|programs?|tabs?|sessions?|switch|jobs?|servers?|"
    r"services?|power|time|it)",
    r"killer\s+(?:deals?|features?|apps?|prices?|offers?|combo|looks?|views?|workout|bundle|sale|questions?|"
    r"tips?|ideas?|combo|battery|camera|sound)",
    r"killing\s+it", r"kill\s+two\s+birds", r"(?:no|never\s+any)\s+(?:stupid|dumb|silly)\s+questions?",
    r"(?:battery|batteries|phone|device|laptop|screen|charger|car|engine|bulb|router|console|headphones)"
    r"\b[^.!?]{0,30}?\b(?:die|dies|died|dying|dead)",
    r"dying\s+to", r"to\s+die\s+for", r"die[- ]?hard", r"do\s+or\s+die",
    r"shut(?:s|ting)?\s+(?:it\s+|them\s+|this\s+)?(?:down|off)",
    r"hate\s+to\s+(?:hear|see|say|keep|think)", r"(?:that|this|it)\s+(?:really\s+|totally\s+)?sucks",
    r"shoot\s+(?:us|me)\s+(?:a|an)\s+(?:dm|message|note|email|line)", r"crush(?:ed|ing)?\s+it",
    r"dead\s*line", r"(?:spam|junk)\s*(?:/|&|and|or)\s*(?:trash|bin)",
    r"(?:trash|garbage|recycle|recycling)\s+(?:folder|bin|can|collection|collector|icon)",
    r"drop[- ]dead\s+gorgeous", r"(?:nobody|no\s+one)\s+(?:cares|wants\s+\w+|loves\s+\w+)\s+more\b",
    r"(?:beat|beats|beating)\s+(?:the\s+|any\s+)?(?:price|deal|offer)s?",
    # kind exclamations and praise in strong words (round 7): "Holy crap, six hours? Respect."
    r"holy\s+(?:crap|cow|moly|smokes)", r"bloody\s+hell(?=\s*[,!.?])", r"hell\s+(?:yes|yeah|yea)",
    r"what\s+the\s+heck", r"looks\s+(?:absolutely\s+|totally\s+)?(?:insane|sick|unreal|mental|wicked)",
    r"(?:this|that|it)(?:\s+\w+)?\s+(?:is|'s)\s+an?\s+(?:absolute\s+)?(?:beast|monster)",
    # round 8 (dev look-alikes): "This deal is insane", "will destroy you in the best way", "Sick jump!", and a
    # scam warning about someone else's text
    r"(?:deal|offer|price|discount|sale|view|speed|line-?up|drop)s?\s+(?:is|are|'s|was)\s+"
    r"(?:absolutely\s+|just\s+|so\s+)?(?:insane|sick|unreal|mental|wicked|crazy|nuts)",
    r"(?:destroy|wreck|kill|ruin)\s+you\s+in\s+the\s+best\s+(?:possible\s+)?way",
    # round 10 (dev11 look-alikes): "that's a bummer about the rain", "a sick deal"
    r"(?:that'?s|what|such)\s+a\s+(?:real\s+|total\s+|massive\s+|huge\s+)?bummer",
    r"sick\s+(?:deals?|offers?|prices?|discounts?|bundles?|sales?)\b",
    # (dev12 look-alikes) "nuke that bug from orbit", "Monday mornings are murder", "bend over backwards", "would be a
    # crime to miss", gaming praise ("that clutch was filthy"), "no bullshit: the price is the price"
    r"nuke\s+(?:that|the|this|those|these)\s+(?:bugs?|glitch(?:es)?|issues?)(?:\s+from\s+orbit)?",
    r"mondays?(?:\s+mornings?)?\s+(?:are|is)\s+(?:murder|brutal|a\s+killer)", r"bend\s+over\s+backwards",
    r"(?:would\s+be|it'?d\s+be|it'?s)\s+a\s+crime\s+(?:not\s+)?to\s+(?:miss|let|pass|skip)",
    r"(?:clutch|play|shot|goal|save|combo|move|trick|skills?|edit|fit|drip|flick|snipe)\s+(?:was|is|'s)\s+"
    r"(?:absolutely\s+|so\s+)?(?:filthy|nasty|sick|disgusting|insane|criminal|illegal)",
    r"no\s+(?:bullshit|bs)(?=\s*[:,.!-])",
    r"sick\s+(?:jump|trick|shot|ride|fit|save|goal|pic|photo|run|line|move|kicks|setup)s?(?=\s*[!.])",
    r"(?:text|email|e-mail|message|sms|call|link|site|website|page|letter)s?\b[^.!?]{0,50}?\bis\s+a\s+"
    r"(?:phishing\s+)?scam",
    # round 9 (dev10 look-alikes): praise in extreme words, gaming and sports praise, the brand mocking its own
    # release, reassurance, an invitation to criticise, and an impersonation warning
    r"(?:criminally|stupidly|ridiculously|obscenely|absurdly|insanely|sinfully|wickedly|dangerously)\s+"
    r"(?:underrated|overlooked|good|cheap|fast|tasty|delicious|comfy|comfortable|rich|easy|smooth|moreish)",
    r"(?:filthy|disgusting|nasty|sick|evil|criminal|wicked|obscene|ridiculous|insane|illegal|savage)\s+"
    r"in\s+the\s+best\s+(?:possible\s+)?way",
    r"(?:murdered|destroyed|demolished|crushed|smashed|slayed|wrecked|obliterated|annihilated|bodied)\s+"
    r"(?:that|this|the|your)\s+(?:\w+\s+)?(?:speedrun|run|boss|level|raid|race|match|game|set|routine|workout|"
    r"marathon|exam|test|interview|presentation|challenge|pb|record|dungeon|round|final|solo|lap)",
    r"(?:our|we)\b[^.!?]{0,40}?\b(?:dumpster|garbage|tyre|tire)\s+fire",
    r"(?:don'?t|no\s+need\s+to|never)\s+(?:be|feel)\s+(?:embarrassed|silly|stupid|bad|dumb|daft)",
    r"hit\s+us\s+with\s+your\s+(?:worst|best|questions)",
    r"(?:giveaway|account|profile|page|offer|promo|airdrop)s?\b[^.!?]{0,60}?\b(?:is|are)\s+(?:fake|a\s+scam|"
    r"not\s+(?:us|ours|real))",
)

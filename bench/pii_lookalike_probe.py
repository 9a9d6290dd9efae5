"""Dev probe for the PII check: generated look-alikes (references, ids, money, quantities, masked values).

Usage: python bench/pii_lookalike_probe.py [--seed 7] [--n 400] [--show]
Needs `faker` (the `train` extra; bench only). The templates and reference words were written for this
project; the values are generated (random digit groupings, Faker EANs, ISBNs, UUIDs, dates, times, prices).
The figure is the share BLOCKED: for look-alikes lower is better; a quarter of the rows are real phone
numbers next to reference words ("leak"), where higher is better. It was used as a DEV
signal while tuning round 3 (seeds 7 and 11); it is no test set.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from collections.abc import Callable

from faker import Faker

from moderation.checks import CheckContext
from moderation.checks.pii import PiiCheck

REF_WORDS = ("order", "order number", "case", "case no.", "ticket", "ticket #", "booking", "booking ref",
             "reservation", "confirmation code", "tracking number", "FedEx", "UPS", "DHL", "waybill", "serial",
             "serial number", "part no.", "batch", "lot", "invoice", "claim", "policy number", "membership number",
             "voucher", "store", "branch", "extension", "product code", "model", "build", "request id", "receipt")
REF_TEMPLATES = ("Your {w} {v} is confirmed.", "{W} {v} has been updated.", "We found {w} {v} in our system.",
                 "Please quote {w}: {v} when you write.", "{v} is your {w}.", "The {w} is {v}, keep it safe.",
                 "Your {w} is confirmed: {v}.", "Re your {w} ({v}), the refund is done.", "{W}: #{v}",
                 "Thanks, the {w} you need is {v}.")
# The organisation's own line, said so by the words around it (Faker numbers of five locales).
LINE_TEMPLATES = ("Call us on {v}, we're happy to help.", "You can reach us at {v}.", "Questions? Ring us on {v}.",
                  "Our team is on {v} from 9 to 5.", "Call {v}, free of charge.", "Phone {v}, lines open 8am-8pm.",
                  "Text us on {v} with your order number.", "Give us a call on {v} any time.")
LINE_LOCALES = ("en_US", "en_GB", "en_AU", "de_DE", "fr_FR")
# Real leaks next to reference words, so that the rules above cannot pass by dropping every number.
LEAK_TEMPLATES = ("Order 4412: we'll call you on {v}.", "Your booking is confirmed; we'll text {v} on the day.",
                  "Case closed - {v} is his mobile.", "Tracking shows the driver called {v} twice.",
                  "Ticket details: {v} is your home number.", "Re your order, please text us back from {v}.",
                  "Your reservation phone: {v}.", "The courier for parcel 88-1203 will ring {v}.")
CURRENCIES = ("$", "€", "£", "USD ", "EUR ", "CHF ", "Rs. ", "R$ ")
UNITS = ("km", "kg", "points", "ml", "mAh", "units")
LOOSE_TEMPLATES = ("It is {v} now.", "{v} applies to you.", "We changed it to {v} yesterday.")


def _groups(rng: random.Random) -> str:
    """Random digits in random groups joined by one separator: the shape most references share with phones."""
    sep = rng.choice([" ", "-", ".", ""])
    return sep.join("".join(rng.choice("0123456789") for _ in range(rng.randint(2, 5)))
                    for _ in range(rng.randint(2, 4)))


def _value(fake: Faker, rng: random.Random) -> tuple[str, bool]:
    """One generated look-alike and whether it needs a reference word next to it."""
    makers: list[tuple[Callable[[], str], bool]] = [
        (lambda: _groups(rng), True),
        (lambda: fake.ean13(), False), (lambda: fake.isbn13(), False), (lambda: str(fake.uuid4()), False),
        (lambda: fake.hexify("^" * rng.choice([7, 12, 16])), False),
        (lambda: f"{rng.choice(CURRENCIES)}{fake.pyint(100, 99999):,}.{rng.randint(0, 99):02d}", False),
        (lambda: f"{rng.randint(1, 999)} {rng.randint(100, 999)} {rng.choice(UNITS)}", False),
        (lambda: f"{fake.date(pattern=rng.choice(['%d.%m.%Y', '%Y-%m-%d', '%m/%d/%Y']))} {fake.time()}", False),
        (lambda: rng.choice(["**** **** **** ", "XXXX-XXXX-XXXX-", "•••• ", "ending in ", "************"])
         + f"{rng.randint(0, 9999):04d}", False),
        (lambda: fake.bothify("??-####-####").upper(), False),
    ]
    make, needs_word = rng.choice(makers)
    return make(), needs_word


def probe(seed: int, n: int, show: bool) -> dict[str, float]:
    """Share of generated look-alikes blocked, per kind of template."""
    rng, fake, pii, ctx = random.Random(seed), Faker("en_US"), PiiCheck(), CheckContext()
    fake.seed_instance(seed)
    lines = [Faker(locale) for locale in LINE_LOCALES]
    for line_fake in lines:
        line_fake.seed_instance(seed)
    blocked: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for i in range(n):
        value, needs_word = _value(fake, rng)
        word = rng.choice(REF_WORDS)
        kind = "reference" if needs_word else "loose"
        template = rng.choice(REF_TEMPLATES if needs_word else LOOSE_TEMPLATES)
        if i % 4 == 0:
            kind, template, value = "own line", rng.choice(LINE_TEMPLATES), rng.choice(lines).phone_number()
        elif i % 4 == 1:
            kind, template, value = "leak (share blocked)", rng.choice(LEAK_TEMPLATES), rng.choice(lines).phone_number()
        text = template.format(w=word, W=word[:1].upper() + word[1:], v=value)
        hit = any(f.severity == "block" for f in pii.analyze(text, ctx))
        total[kind] += 1
        blocked[kind] += hit
        if show and hit != kind.startswith("leak"):
            print(f"WRONG {kind}: {text!r}")
    return {kind: round(blocked[kind] / total[kind], 3) for kind in total}


def main() -> None:
    """Print the share of look-alikes blocked per kind."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    print(probe(args.seed, args.n, args.show))


if __name__ == "__main__":
    main()

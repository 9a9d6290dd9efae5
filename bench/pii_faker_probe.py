"""Dev probe for the PII check: Faker addresses and phone numbers from 20 locales inside reply templates.

Usage: python bench/pii_faker_probe.py [--seed 7] [--per-locale 8] [--show]
Needs `faker` (the `train` extra; bench only). The templates were written for this project; the values are
generated, so this measures formats, not wording. It was used as a DEV signal while tuning (seeds 7, 11, 13,
17); it is no test set. Note that pii_presidio_synth was also generated with Faker, so gains here and on
that set are related.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter

from faker import Faker

from moderation.checks import CheckContext
from moderation.checks.pii import PiiCheck

LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "it_IT", "es_ES", "pt_BR", "nl_NL", "en_AU", "en_CA", "en_IN",
           "pl_PL", "sv_SE", "da_DK", "en_IE", "de_AT", "de_CH", "fr_CH", "es_MX", "en_NZ")
ADDRESS = ("We'll send it to {v}.", "Your address on file:\n{v}", "{v} is where the courier went.",
           "Delivery address: {v}", "i have your address as {v}", "The refund cheque goes to {v} next week.")
PHONE = ("We'll call you on {v}.", "{v} is your mobile, right?", "Your number: {v}", "we have {v} on file for you",
         "The driver tried {v} twice.", "Ring {v} after 5.")


def probe(seed: int, per_locale: int, show: bool) -> dict[str, float]:
    """Share of generated addresses and phone numbers found with the right label."""
    rng, pii, ctx = random.Random(seed), PiiCheck(), CheckContext()
    hits: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for locale in LOCALES:
        fake = Faker(locale)
        fake.seed_instance(seed)
        for _ in range(per_locale):
            for kind, templates, label in (("address", ADDRESS, "STREET_ADDRESS"), ("phone", PHONE, "PHONE_NUMBER")):
                value = fake.address() if kind == "address" else fake.phone_number()
                template = rng.choice(templates)
                value = value.lower() if template.startswith("i have") else value
                text = template.format(v=value)
                start = text.index(value)
                found = pii.analyze(text, ctx)
                hit = any(f.label == label and f.start < start + len(value) and start < f.end for f in found)
                total[kind] += 1
                hits[kind] += hit
                if show and not hit:
                    print(f"MISS {locale} {kind}: {text!r}")
    return {kind: round(hits[kind] / total[kind], 3) for kind in total}


def main() -> None:
    """Print the probe's recall per kind."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-locale", type=int, default=8)
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    print(probe(args.seed, args.per_locale, args.show))


if __name__ == "__main__":
    main()

"""Reply-shaped training text for the PII tagger, written for this project: addresses in many countries' formats
inside agent replies, and look-alikes (store streets, references, versions, prices) that are no address.

Every word list and template here was written for repguard; none is drawn from a test set.
"""

from __future__ import annotations

import random

Span = tuple[int, int, str]

STREETS = ("Oak", "Birch", "Willow", "Harbour", "Mill", "Station", "Church", "King", "Queen", "Victoria", "Cedar",
           "Lakeview", "Riverside", "Highfield", "Orchard", "Chestnut", "Meadow", "Sunset", "Hillcrest", "Albert",
           "Wellington", "Park", "Spring", "Elmwood", "Bay", "Foster", "Garfield", "Lincoln", "Ashby", "Fairway")
TYPES = ("Street", "St", "Avenue", "Ave", "Road", "Rd", "Lane", "Ln", "Drive", "Dr", "Court", "Ct", "Place",
         "Crescent", "Close", "Way", "Boulevard", "Blvd", "Terrace", "Grove", "Parade", "Highway")
CITIES = (("Denver", "CO"), ("Austin", "TX"), ("Columbus", "OH"), ("Tacoma", "WA"), ("Raleigh", "NC"),
          ("Madison", "WI"), ("Tucson", "AZ"), ("Albany", "NY"))
UK_TOWNS = ("Bristol", "Leicester", "Norwich", "Cardiff", "York", "Reading", "Glasgow", "Exeter")
CA = (("Ottawa", "ON"), ("Calgary", "AB"), ("Halifax", "NS"), ("Victoria", "BC"), ("Laval", "QC"))
AU = (("Brunswick", "VIC"), ("Newtown", "NSW"), ("Subiaco", "WA"), ("Paddington", "QLD"), ("Glenelg", "SA"))
GERMANIC = (("Linden", "straße"), ("Berg", "weg"), ("Markt", "platz"), ("Rosen", "gasse"), ("Kirch", "str."),
            ("Heide", "allee"), ("Molen", "straat"), ("Kerk", "laan"), ("Skol", "gatan"), ("Strand", "vej"),
            ("Park", "veien"), ("Koulu", "katu"))
DE_TOWNS = ("Köln", "Leipzig", "Graz", "Basel", "Utrecht", "Malmö", "Aarhus", "Bergen", "Tampere", "Bremen")
ROMANCE = (("rue", "des Lilas"), ("avenue", "Jean Jaurès"), ("boulevard", "Voltaire"), ("calle", "de Toledo"),
           ("avenida", "da Liberdade"), ("via", "Garibaldi"), ("corso", "Vittorio Emanuele"), ("rua", "Direita"),
           ("paseo", "de Gracia"), ("travessa", "do Carmo"), ("piazza", "Navona"), ("chemin", "du Moulin"))
ROM_TOWNS = ("Lyon", "Nantes", "Sevilla", "Valencia", "Porto", "Torino", "Bologna", "Curitiba", "Recife", "Lille")
IN_AREAS = ("Koramangala", "Andheri East", "Salt Lake", "Banjara Hills", "Aundh", "Velachery")
IN_CITIES = ("Bengaluru", "Mumbai", "Kolkata", "Hyderabad", "Pune", "Chennai")
JP = (("Minato", "Tokyo"), ("Chuo", "Osaka"), ("Naka", "Nagoya"), ("Kita", "Sapporo"))
FIRST = ("Aisha", "Tomasz", "Ingrid", "Kenji", "Lucía", "Oluwaseun", "Priya", "Mateus", "Siobhan", "Dmitri", "Hana",
         "Rafael", "Yusuf", "Elif", "Bjorn", "Chloé", "Nkechi", "Arjun", "Mei", "Gustavo")
LAST = ("Okafor", "Kowalczyk", "Lindqvist", "Tanaka", "Fernández", "Adeyemi", "Raghunathan", "Carvalho", "Byrne",
        "Volkov", "Novak", "Mendes", "Demir", "Aydın", "Haugen", "Dubois", "Eze", "Malhotra", "Zhang", "Pereira")


def _us(r: random.Random) -> list[str]:
    """A US address as its lines."""
    city, state = r.choice(CITIES)
    unit = r.choice(("", f", Apt {r.randint(1, 40)}{r.choice('ABC')}", f" #{r.randint(100, 999)}"))
    return [f"{r.randint(10, 9999)} {r.choice(('', 'N ', 'S. ', 'W ', 'E. '))}{r.choice(STREETS)} "
            f"{r.choice(TYPES)}{unit}", f"{city}, {state} {r.randint(10000, 99999)}"]


def _uk(r: random.Random) -> list[str]:
    """A UK address, sometimes with a flat."""
    flat = r.choice(("", f"Flat {r.randint(1, 30)}, "))
    pc = f"{r.choice(('BS', 'LE', 'NR', 'CF', 'YO', 'RG', 'G', 'EX'))}{r.randint(1, 20)} {r.randint(1, 9)}" \
         f"{r.choice('ABDEFGHJ')}{r.choice('LNPQRSTUW')}"
    return [f"{flat}{r.randint(1, 200)} {r.choice(STREETS)} {r.choice(TYPES)}", f"{r.choice(UK_TOWNS)} {pc}"]


def _ca_au(r: random.Random) -> list[str]:
    """A Canadian or Australian address."""
    if r.random() < 0.5:
        city, prov = r.choice(CA)
        pc = f"{r.choice('KTLMHVJ')}{r.randint(1, 9)}{r.choice('ABCEGH')} {r.randint(1, 9)}{r.choice('JKLMN')}" \
             f"{r.randint(1, 9)}"
        return [f"{r.randint(1, 9999)} {r.choice(STREETS)} {r.choice(TYPES)}", f"{city}, {prov} {pc}"]
    suburb, state = r.choice(AU)
    unit = r.choice(("", f"{r.randint(1, 20)}/", f"Unit {r.randint(1, 20)}, "))
    return [f"{unit}{r.randint(1, 300)} {r.choice(STREETS)} {r.choice(TYPES)}", f"{suburb} {state} "
            f"{r.randint(2000, 7999)}"]


def _europe(r: random.Random) -> list[str]:
    """A street-name-first address: German, Dutch, Nordic, or French, Spanish, Italian, Portuguese."""
    if r.random() < 0.5:
        stem, suffix = r.choice(GERMANIC)
        return [f"{stem}{suffix} {r.randint(1, 150)}{r.choice(('', 'a', 'b'))}",
                f"{r.randint(1000, 99999)} {r.choice(DE_TOWNS)}"]
    kind, name = r.choice(ROMANCE)
    kind = kind.capitalize() if r.random() < 0.5 else kind
    num = r.randint(1, 300)
    street = f"{num} {kind} {name}" if kind.lower() in ("rue", "avenue", "boulevard", "chemin") \
        else f"{kind} {name} {num}"
    return [street, f"{r.randint(10000, 99999)} {r.choice(ROM_TOWNS)}"]


def _asia(r: random.Random) -> list[str]:
    """An Indian or Japanese address."""
    if r.random() < 0.6:
        flat = r.choice((f"Flat {r.randint(101, 904)}, ", f"{r.randint(1, 200)}, ", f"#{r.randint(1, 99)}, "))
        return [f"{flat}{r.randint(1, 12)}th Cross, {r.choice(IN_AREAS)}", f"{r.choice(IN_CITIES)} "
                f"{r.randint(400001, 700099)}"]
    ward, city = r.choice(JP)
    return [f"{r.randint(1, 9)}-{r.randint(1, 30)}-{r.randint(1, 20)} {ward}", f"{city} {r.randint(100, 999)}-"
            f"{r.randint(1000, 9999)}"]


FORMATS = (_us, _uk, _ca_au, _europe, _asia)
WRAP = ("We'll send the replacement to {A}.", "Your delivery address is now {A}.", "Confirmed: {A}",
        "The technician will visit {A} on Monday.", "Can you confirm {A} is right?", "Address on file:\n{A}",
        "Pickup is from {A}, after 5pm.", "We have {A} as your billing address.", "It's going to {A} today.",
        "{P}\n{A}", "Hi {F}, the courier has {A} for {P}.", "Shipping label: {P}, {A}",
        "The order for {P} goes to {A}.", "Thanks {F}! We updated it to {A}.")
NEGATIVE = ("Our store on {S} {T} opens at 9.", "Order {N} ships on {D}.", "Update to version {V} and restart.",
            "Call our helpline on 0800 {N3} {N4}, it's free.", "It costs ${N3}.99 this week.",
            "Model {C}{N3} has the bigger battery.", "Room {N3}, building {N1}, is the help desk.",
            "Gate {C}{N2} at Terminal {N1}.", "We're open 9 to 5, Monday to Friday.", "Aisle {N2} has the cables.",
            "Ticket {N} was closed on {D}.", "The {S} {T} branch has it in stock.", "Error {C}-{N4} means a jam.",
            "Hi {F}, thanks for your patience!", "Please allow {N1} to {N2} business days.",
            "Thanks {F}, the {S} {T} store can help.", "Pack of {N2} for {N3} pounds, item {N}.")


def _fill(template: str, r: random.Random) -> tuple[str, list[Span]]:
    """Fill a template; {A} is an address (lines joined by a comma or a newline), {P} a full name."""
    first, last = r.choice(FIRST), r.choice(LAST)
    lines = r.choice(FORMATS)(r)
    address = ("\n" if r.random() < 0.3 else ", ").join(lines)
    if r.random() < 0.1:
        address = address.lower()
    values = {"A": (address, "STREET_ADDRESS"), "P": (f"{first} {last}", "PERSON"), "F": (first, ""),
              "S": (r.choice(STREETS), ""), "T": (r.choice(TYPES), ""), "N": (str(r.randint(10**6, 10**9)), ""),
              "N1": (str(r.randint(1, 9)), ""), "N2": (str(r.randint(10, 99)), ""),
              "N3": (str(r.randint(100, 999)), ""), "N4": (str(r.randint(1000, 9999)), ""),
              "D": (f"{r.randint(1, 28)}/{r.randint(1, 12)}/2026", ""), "C": (r.choice("ABCEKLMQX"), ""),
              "V": (f"{r.randint(1, 20)}.{r.randint(0, 9)}.{r.randint(0, 30)}", "")}
    out, spans, i = "", [], 0
    while i < len(template):
        if template[i] == "{":
            j = template.index("}", i)
            value, entity = values[template[i + 1:j]]
            if entity:
                spans.append((len(out), len(out) + len(value), entity))
            out += value
            i = j + 1
        else:
            out += template[i]
            i += 1
    return out, spans


def written_examples(n: int, rng: random.Random) -> list[tuple[str, list[Span]]]:
    """`n` replies with an address (and sometimes a name) and `n` look-alike replies with neither."""
    return [_fill(rng.choice(WRAP), rng) for _ in range(n)] + [_fill(rng.choice(NEGATIVE), rng) for _ in range(n)]

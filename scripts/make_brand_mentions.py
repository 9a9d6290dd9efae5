"""Generate project-written English brand mentions (complaints, questions, praise) for the sentiment stacker.

    python scripts/make_brand_mentions.py --out bench/data/brand_mentions_en.tsv

Every fragment below was written for this project (same licence as the code), so a model fitted on the
output may ship commercially. The mentions mimic what customers post to a brand's handle: service failures
told flatly ("still no refund after 3 weeks"), sarcasm ("great, another delay"), churn threats, questions
and thanks. Fixed seed; the output is deterministic.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

SEED = 20260501
HANDLES = ["@AcmeAir", "@NorthBank", "@TelcoNow", "@ShopRight", "@QuickEats", "@CloudDrive", "@RailLink",
           "@StreamBox", "@PowerGrid", "@ParcelGo", "@HotelStay", "@GymPlus", ""]
THINGS = ["flight", "order", "package", "card", "account", "router", "booking", "refund", "bill", "delivery",
          "subscription", "app", "train", "room", "payment", "parcel", "claim", "connection", "seat", "phone"]
FAILURES = [
    "my {t} was delayed {n} hours", "my {t} got cancelled with no warning", "still no refund after {n} weeks",
    "been on hold for {n} minutes", "my {t} never arrived", "you charged me twice for my {t}",
    "the {t} has been down since this morning", "my {t} is stuck in processing for {n} days",
    "nobody has answered my emails in {n} days", "lost my {t} and nobody can tell me where it is",
    "{n} hours waiting at the gate and no update", "my {t} showed up broken", "the app keeps crashing",
    "your agent hung up on me", "missed my connection because of your delay", "the {t} is {n} days late",
    "i was promised a callback {n} days ago", "my {t} was sent to the wrong address",
    "the wifi in my {t} has not worked once", "got billed for a {t} i cancelled", "they lost my bag again",
    "the {t} was filthy", "i have called {n} times about the same {t}", "no one at the desk can help",
    "your website will not let me log in", "why is my {t} delayed again", "when will my refund actually arrive",
    "how hard is it to answer a phone", "third time this month my {t} failed", "where is my {t}",
    "why does it take {n} weeks to process a {t}", "can someone explain why my {t} was declined",
    "is anyone going to reply to my dm", "how many times do I have to call", "you said {n} days. it's been {n} weeks",
    "i can't believe i have to ask again", "still waiting on that callback", "sat here for {n} hours now",
    "my {t} disappeared from my account", "no one will tell us what is going on", "we've been stuck here all night",
    "the gate agent was so rude", "my bags are in {place} and i'm not", "not a single update in {n} hours",
    "{n} days without internet", "paid for priority and got nothing", "you moved my {t} without telling me",
    "why was I charged a fee", "the hold music is all I've heard today", "your customer service is a joke",
    "so much for on time", "i'm missing my meeting because of you", "the refund form just errors out",
    "my {t} keeps dropping every hour", "how is this still not fixed", "nobody at {place} knows anything",
    "{n} emails and still nothing", "i keep getting error messages",
    "the {t} I paid for was given to someone else", "overbooked again", "cold food and an hour late",
    "my {t} has been frozen for no reason", "the chat bot just loops", "the line is {n} people deep and one desk open",
]
NEG_OPEN = ["", "", "", "Seriously {h}, ", "{h} ", "{h} ", "Hey {h} ", "Thanks a lot {h}, ", "{h} why is ",
            "Great job {h}: ", "Wow {h}. ", "{h} unbelievable, ", "Day {n} and ", "Once again {h}, "]
NEG_CLOSE = ["", "", ".", "!", "!!", ". Not impressed.", ". Ridiculous.", ". Never flying with you again.",
             ". Switching providers.", ". Worst customer service ever.", ". Thanks for nothing.",
             ". Is anyone there?", "? How is this acceptable?", ". So frustrated.", ". Still waiting.",
             ". Fix it.", ". I want my money back.", ". Just great.", ". Done with you.", ". #fail",
             ". Cancelling my account.", ". Unacceptable.", ". Not happy.", " again.", ". Every single time."]
SARCASM = ["love sitting on the tarmac for {n} hours {h}", "{h} nothing says customer care like {n} hours on hold",
           "{h} great, another delay. exactly what I needed today", "thanks {h} for losing my {t}, really helpful",
           "{h} so glad I paid extra for a {t} that doesn't work", "wonderful service as always {h}. not.",
           "{h} 5 stars for making me wait {n} days", "{h} really appreciate being ignored",
           "oh good {h}, the {t} is broken again"]
QUESTIONS = ["{h} do you ship to {place}?", "{h} what time does the store open on sunday?",
             "{h} can I change my {t} online?", "{h} is there a student discount?",
             "{h} how do I add a second card to my {t}?", "{h} does the {t} come with a charger?",
             "{h} when does the sale start?", "{h} are pets allowed on the {t}?",
             "{h} which terminal do you fly from at {place}?", "{h} can I bring a bag on board?",
             "{h} is the app available on tablets?", "{h} do you have a branch in {place}?",
             "{h} what is the baggage allowance for {place}?", "{h} how long does a transfer take?",
             "{h} is there wifi on the {t}?", "{h} what's the best way to reach you about a {t}?",
             "{h} do you have any flights to {place} next week?", "{h} can I use my points for a {t}?",
             "{h} is the {place} office open today?", "{h} how do I update my email on my {t}?",
             "{h} any plans to add {place}?", "{h} can you DM me the link for the {t} form?",
             "{h} i need to change my name on a {t}, who do I contact?", "{h} what's the cutoff time for a {t}?",
             "{h} can I pay with paypal?", "{h} where can I find my invoice?",
             "{h} do I need to print my {t} confirmation?", "{h} will my {t} work abroad?"]
STATEMENTS = ["{h} flying to {place} tomorrow", "{h} just booked my {t} for next month",
              "at the {place} store with {h}", "{h} new {t} arrives friday", "watching the {h} keynote",
              "{h} updated the app today", "switched my {t} to the new plan {h}", "{h} heading to {place}",
              "{h} announced a new route to {place}", "picking up my {t} from {h} later",
              "{h} I sent you a DM about my {t}", "{h} following up on my {t} from yesterday",
              "{h} my confirmation number is in the DM", "{h} boarding now to {place}",
              "{h} sent the details over email", "just landed in {place} with {h}"]
PRAISE = ["{h} thank you for sorting my {t} so quickly!", "{h} amazing service today, the crew were lovely",
          "{h} your agent was so helpful, thank you", "{h} got my refund in two days, impressed",
          "{h} best {t} I've had in years", "{h} love the new app!", "shoutout to {h} for the upgrade",
          "{h} on time and friendly staff, great flight", "{h} you made my day, thanks!",
          "{h} quick fix, really appreciate it", "{h} always reliable, never let me down",
          "{h} thanks for the fast delivery", "{h} brilliant support, problem solved in minutes",
          "{h} the {t} was perfect, thank you"]
# Short posts: a bare problem, often with no sentiment word at all.
TERSE_NEG = ["{h} {t} delayed. again.", "{h} {n} hours on hold", "{h} really?", "{h} you lost my bag",
             "{h} no help at all", "{h} still no {t}", "{h} where's my {t}??", "{h} {t} cancelled, no email, nothing",
             "{h} hold time {n} hours", "{h} {n}th call today", "{h} still broken", "{h} so now what?",
             "{h} no seats, no help, no refund", "{h} can't get through to anyone", "{h} this is a joke",
             "{h} who do I talk to about getting my money back", "{h} answer your phones",
             "{h} you have my {t} hostage", "{h} {t} is down AGAIN", "{h} zero communication",
             "{h} sat on the plane for {n} hours", "{h} website down and phones busy", "{h} ugh",
             "{h} what a mess at {place}", "{h} first {t} of the day and it's already late",
             "{h} your app logged me out and I can't get back in", "{h} no one at the counter"]
TERSE_NEU = ["{h} DM sent", "{h} ok thanks, sent", "{h} flight number in DM", "{h} will do",
             "{h} see DM", "{h} confirmation {n}X{n}Q", "{h} sent my details", "{h} just followed you",
             "{h} what's the number to call?", "{h} is it {place} or {place}?", "{h} ok", "{h} any update?",
             "{h} i'll call tomorrow", "{h} on my way to {place}", "{h} checking in now"]
TERSE_POS = ["{h} thanks!", "{h} great flight", "{h} thank you so much", "{h} you're the best",
             "{h} perfect, thanks", "{h} love it", "{h} all sorted, cheers", "{h} that worked, thanks!",
             "{h} awesome crew today", "{h} happy customer here", "{h} smooth as always", "{h} much appreciated"]
PLACES = ["Denver", "London", "Madrid", "Toronto", "Boston", "Lagos", "Sydney", "Austin", "Dublin", "Miami"]


def fill(pattern: str, rng: random.Random) -> str:
    """Fill {h}, {t}, {n} and {place} placeholders."""
    return pattern.format(h=rng.choice(HANDLES), t=rng.choice(THINGS), n=rng.choice([2, 3, 4, 5, 6, 10, 45]),
                          place=rng.choice(PLACES)).strip()


def negative(rng: random.Random) -> str:
    """A complaint: an opener, a failure told flatly, a closer; or a sarcastic line."""
    roll = rng.random()
    if roll < 0.2:
        return fill(rng.choice(SARCASM), rng)
    if roll < 0.4:
        return fill(rng.choice(TERSE_NEG), rng)
    text = fill(rng.choice(NEG_OPEN) + rng.choice(FAILURES) + rng.choice(NEG_CLOSE), rng)
    return text[:1].upper() + text[1:] if rng.random() < 0.5 else text


def generate(n_per_class: int, seed: int) -> list[tuple[str, str]]:
    """Return deduplicated (text, label) pairs, about n_per_class per label."""
    rng = random.Random(seed)
    makers = {"negative": negative,
              "neutral": lambda r: fill(r.choice(QUESTIONS + STATEMENTS + TERSE_NEU), r),
              "positive": lambda r: fill(r.choice(PRAISE + TERSE_POS), r)}
    rows: dict[str, str] = {}
    for label, make in makers.items():
        for _ in range(n_per_class * 3):
            if sum(1 for v in rows.values() if v == label) >= n_per_class:
                break
            rows.setdefault(" ".join(make(rng).split()), label)
    return sorted(rows.items())


def main(argv: list[str] | None = None) -> int:
    """Write the TSV (text, label)."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--per-class", type=int, default=600)
    p.add_argument("--seed", type=int, default=SEED)
    args = p.parse_args(argv)
    rows = generate(args.per_class, args.seed)
    args.out.write_text("text\tlabel\n" + "".join(f"{t}\t{lab}\n" for t, lab in rows), encoding="utf-8")
    print(f"wrote {len(rows)} rows to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

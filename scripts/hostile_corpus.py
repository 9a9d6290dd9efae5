"""Hand-written fragments for agent replies, hostile and benign, combined into a training corpus by seed.

Every fragment here was written for this project (no third-party text), so a model trained on it may ship
commercially. Hostile moves cover condescension, sarcasm, blame, dismissal, mockery, contempt for a group
of customers, veiled threats and plain insults; benign moves are the look-alikes a classifier must leave
alone: apologies, firm but polite refusals, instructions, idioms, kind profanity and identity terms used
neutrally. The bench sets in bench/data/ were not used to write these fragments.
"""

from __future__ import annotations

import random
import re

SLOTS: dict[str, tuple[str, ...]] = {
    "name": ("Sam", "Priya", "Jordan", "Alex", "Maria", "Chen", "Tom", "Fatima", "Lukas", "Aisha", "Ben",
             "Sofia", "Dev", "Grace", "Omar", "Kate", "Nina", "Raj", "Leo", "Hannah"),
    "thing": ("order", "parcel", "router", "laptop", "subscription", "refund", "booking", "flight", "phone",
              "account", "invoice", "headphones", "coffee machine", "TV", "app", "card", "delivery", "mattress",
              "printer", "ticket", "kettle", "blender", "smartwatch", "camera", "sofa", "voucher"),
    "step": ("restart the router", "check the tracking link", "read the confirmation email", "update the app",
             "enter the right postcode", "charge the battery", "log in with the right email",
             "follow the setup guide", "check your junk folder", "plug it in", "pick the right size",
             "read the return policy", "scroll down the page", "apply the code before checkout",
             "look at the order page", "turn it off and on", "read the label", "open the attachment",
             "check your bank statement", "read what we sent you", "fill in the form properly"),
    "mistake": ("ordered the wrong size", "typed your own email wrong", "ignored the delivery slot",
                "skipped the setup guide", "picked the cheapest shipping", "forgot your password again",
                "let the subscription lapse", "missed the deadline", "threw away the receipt",
                "dropped it in the bath", "gave the wrong address", "never read the terms",
                "clicked cancel yourself", "left it out in the rain", "ignored three reminders"),
    "alt": ("store credit", "a replacement", "a partial refund", "a free repair", "a voucher", "an exchange",
            "a callback from a specialist", "free return shipping"),
    "days": ("two", "three", "five", "seven", "ten"),
    "staff": ("our agents", "our team", "the store staff", "our drivers", "our engineers", "the crew"),
    "group": ("gay", "lesbian", "trans", "Muslim", "Jewish", "Christian", "Black", "Asian", "disabled",
              "deaf", "blind", "autistic", "older", "immigrant", "Hindu", "Latino", "women", "veteran"),
    "who": ("customers like you", "people like you", "your sort", "shoppers like you", "your kind",
            "users who can't read", "folks who never listen", "people who complain for fun"),
}

HOSTILE: tuple[str, ...] = (
    # condescension
    "It really isn't difficult to {step}.", "Most customers manage to {step} without our help.",
    "A ten-year-old could {step}.", "We assumed an adult could {step} unsupervised.",
    "Try to {step} like everybody else does.", "Have you considered trying to {step}, or is that too advanced?",
    "We can't make it any simpler than {step}.", "You'd know this if you could be bothered to {step}.",
    "Let's go slowly this time: {step}.", "We'll spell it out for you one more time: {step}.",
    "Usually people with basic skills can {step}.", "Clearly {step} is beyond you.",
    "We don't expect much, but surely you can {step}?", "Even our interns know to {step}.",
    "Perhaps get someone more capable to {step} for you.", "This is basic stuff. Learn to {step}.",
    "Honestly, how do you get through the day if you can't {step}?",
    "We're not here to teach you how to {step}.", "We can't help with a lack of common sense.",
    "Some of us actually read instructions.", "You may want to ask a smarter friend for help.",
    "It's a {thing}, it's not brain surgery.", "Try using your head for once.",
    # sarcasm
    "Oh wow, the {thing} didn't fix itself by magic? What a shock.", "Brilliant detective work there.",
    "Yes, because it's totally our fault you {mistake}.", "Thanks for the lecture, truly enlightening.",
    "Amazing, another expert who knows our business better than we do.", "Well done, you broke the {thing}.",
    "Gosh, what would we do without your helpful advice.", "Great plan, blame us for your own choices.",
    "Sure, and we'll also deliver it by unicorn.", "Oh no, a {thing} arrived a day late, alert the media.",
    "Slow clap for that review.", "Truly, the hardship you've endured is unimaginable.",
    "How brave of you to complain on the internet.", "What a surprise, the rules apply to you too.",
    "Lovely, another essay about your {thing}.", "Riveting story, really.",
    "Wow, you must be so proud of that tweet.", "Cool story. Anything useful to add?",
    # blame
    "This is on you, you {mistake}.", "You {mistake}, so don't come crying to us.",
    "If you'd bothered to {step}, we wouldn't be having this conversation.",
    "Next time, {step} before you complain.", "Don't blame us because you {mistake}.",
    "You {mistake} and now you want us to pay for it.", "That's what happens when people {step} too late.",
    "We're not responsible for your carelessness.", "The only one at fault here is you.",
    "You made this mess, so you can sort it out.", "Own your mistakes instead of dumping them on us.",
    "You did this to yourself.", "Your lack of planning isn't our emergency.",
    "Nobody made you {mistake}, that was all you.",
    # dismissal
    "We're done discussing this.", "Frankly, your opinion doesn't matter to us.",
    "Complain all you want, nothing is going to change.", "We honestly couldn't care less.",
    "Take it or leave it.", "Go and bother someone else.", "Don't waste our time with this again.",
    "We have better things to do than argue with you.", "Stop messaging us about your {thing}.",
    "This conversation is over, don't contact us again.", "Your complaint has been noted and ignored.",
    "We won't be responding to any more of your rants.", "Move on, nobody is interested.",
    "Feel free to leave, we won't stop you.", "Go ahead and cancel, see if we care.",
    "Whatever, do what you like.", "Not our concern, figure it out.", "Quit pestering us.",
    "Honestly we stopped reading after the first line.", "Nobody has time for your drama.",
    # mockery of emotion
    "Take a deep breath, it's only a {thing}.", "Save the drama for your friends.",
    "Calm down and stop throwing a tantrum.", "Such a meltdown over a {thing}, wow.",
    "Are you always this dramatic?", "The theatrics aren't helping you.", "Stop whining like a child.",
    "Crying on Twitter won't get your {thing} back faster.", "No need to be a baby about it.",
    "You sound exhausting, honestly.", "Maybe lie down until the hysteria passes.",
    # entitlement / contempt
    "The world doesn't owe you a free {thing}.", "You're not entitled to special treatment.",
    "Entitled much?", "Rules exist for a reason, even for you.", "You're not as important as you think.",
    "Nobody here is impressed by your threats to leave.", "We won't be bullied by one angry customer.",
    "{who} are why we have a strict policy.", "We've had enough of {who}.",
    "Honestly, {who} are the worst part of this job.", "{who} always expect something for nothing.",
    "We'd rather lose {who} than bend the rules.", "Customers like you make this job miserable.",
    "You're exactly the kind of customer we don't want.", "Difficult customers like you get the slow lane.",
    # veiled threats
    "We'd hate for your account to run into problems.", "Accounts that complain this much tend to get reviewed.",
    "Keep it up and see how long your warranty lasts.", "We have your address on file, just so you know.",
    "You might want to reconsider that review, for your own sake.", "Remember, we know who you are.",
    "It'd be unfortunate if your {thing} got lost next time.", "Posts like that can come back to bite you.",
    "Our lawyers read reviews too, you know.", "We keep a list of customers like you.",
    "Careful, or your {thing} might take a very long time.", "Things have a way of going wrong for people who post that.",
    "We'll make sure everyone hears about you.", "Say that again and see what it gets you.",
    "You'll find that attitude costs you.", "One more tweet like that and we'll cancel your {thing}.",
    # plain insults and swearing
    "You're an idiot.", "What a clown.", "Get your shit together.", "Stop being such a pain in the ass.",
    "Are you really this thick?", "You absolute moron, read the email.", "Piss off with your complaints.",
    "What kind of fool {mistake}?", "You're pathetic.", "Shut your mouth and wait like everyone else.",
    "Nobody gives a damn about your {thing}.", "We don't give a crap what you think.",
    "Your stupidity is not our problem.", "Screw you and your one-star review.", "Grow a brain.",
    "Get lost.", "Learn to read, for god's sake.", "That's a bloody stupid question.",
    "You're a liar and everyone can see it.", "What a joke of a customer.",
)

BENIGN: tuple[str, ...] = (
    # apologies and ownership
    "We're so sorry about your {thing}.", "That's our fault, and we'll fix it today.",
    "Sorry for the wait, we dropped the ball here.", "We messed this up and we're sorry.",
    "This isn't your fault at all, it's a problem on our side.", "You're right, the delay wasn't acceptable.",
    "We hate that this happened to your {thing}.", "Our apologies, the {thing} should never arrive like that.",
    "We understand how frustrating this must be.", "We completely get why you're upset.",
    "Thanks for your patience while we sort out the {thing}.", "Sorry we missed your earlier message.",
    # firm but polite refusals
    "Unfortunately we can't refund it after {days} days, but we can offer {alt}.",
    "We're not able to change the price once an order ships, but {alt} is an option.",
    "Sadly that's outside our policy, though we'd be glad to arrange {alt}.",
    "We can't share account details here, so please send us a DM.",
    "I'm afraid the sale has ended, but a new one starts next week.",
    "We can't override the airline's rules, but we can help you rebook.",
    "We're unable to accept returns of used items, sorry about that.",
    "That isn't something we can do, but here's what we can offer: {alt}.",
    # instructions
    "Please {step} and let us know what happens.", "Could you {step}? That usually sorts it.",
    "If you {step}, the issue should clear up.", "The quickest fix is to {step}.",
    "You'll find the answer in our FAQ under Returns.", "Our help page walks you through it step by step.",
    "First, {step}. If that doesn't help, DM us your order number.",
    "When you get a moment, please {step} for us.", "It might help to {step} first.",
    "No worries if you missed it, the steps are: {step}.", "Just in case, please {step} as well.",
    # thanks and empathy
    "Thanks for flagging this, it really helps us improve.", "We appreciate the feedback, honestly.",
    "Great question, let me check with the team.", "Happy to help with your {thing}!",
    "Thanks for sticking with us, {name}.", "We love hearing this, thank you!",
    "Glad the {thing} arrived safely!", "Enjoy your new {thing}!", "That's a brilliant idea, we'll pass it on.",
    "Your review made the whole team smile.", "We've passed your kind words to {staff}.",
    # idioms with violent or rude words
    "If the app hangs, kill the process and open it again.", "Our bundle is a killer deal this week.",
    "You're killing it with that setup!", "We're dying to hear what you think of it.",
    "The battery died because of a firmware bug, the update fixes it.",
    "This cake is to die for, according to our bakers.", "The deadline for returns is Friday.",
    "Shoot us a DM and we'll take a look.", "That sucks, let's get it sorted for you.",
    "The old version was a real pain, the new one is much smoother.", "Crush that workout!",
    "Hit the reset button for ten seconds.", "Attack the stain with cold water first.",
    "Our staff will beat any price you find online.", "Drop us a line any time.",
    "Screw the cap on tightly before shipping it back.", "Bang for your buck, this one is hard to beat.",
    "The trash icon deletes the draft.", "Blow the dust out of the vent and it should run cooler.",
    # kind profanity
    "Damn, that's a gorgeous photo!", "Hell yeah, enjoy the new {thing}!", "Holy cow, that was fast!",
    "That's a damn fine choice.", "Heck, that sounds like a rough day, let's fix it.",
    "Oh crap, that's not right, we'll send a new one.", "Holy smokes, congratulations!",
    "Bloody brilliant, thanks for sharing!", "That's one hell of a road trip!",
    # identity terms used neutrally
    "Our {group} customers asked for this feature and we listened.",
    "We're proud to support {group} creators all year round.", "Our {group} staff network helped design this.",
    "The {group} community event is on Saturday, everyone is welcome.",
    "We've added resources for {group} customers on our help page.",
    "Accessibility matters to us, including for {group} shoppers.",
    # neutral mentions of the customer's mistake, kindly
    "No problem, it's easy to mix up the sizes, we'll fix it.", "Don't worry, lots of people miss that step.",
    "That happens to the best of us!", "No stress, we've updated it for you.",
    "Easy mistake to make, the form is confusing and we're changing it.",
    # neutral mentions of threats and abuse policies
    "We take abuse towards {staff} seriously, so we've reported that account.",
    "Please report any threatening messages to us and we'll act on them.",
    "Our security team blocked the scam account, thanks for telling us.",
    "We'll remember your delivery preference for next time.", "Watch your inbox for the tracking number.",
    "Keep an eye on your email, the voucher is on its way.",
    "We won't stop until your {thing} is sorted.", "We'd never ignore a complaint like this.",
)

OPENERS = ("", "", "", "Hi {name}, ", "Hey {name}! ", "Hi there. ", "Thanks for the message. ", "Look, ",
           "Honestly, ", "Okay, ", "Right, ", "Hello, ", "{name}, ", "Ok so ", "Well, ", "So, ", "Listen, ")
CLOSERS = ("", "", "", " Thanks.", " Have a good day.", " Cheers.", " ^JS", " -Team", " Let us know.",
           " Hope that helps.", " Regards.", " :)", " DM us if needed.", " All the best.")


def _fill(template: str, rng: random.Random) -> str:
    """Replace each {slot} with a random value (the same slot may get different values)."""
    def pick(m: re.Match[str]) -> str:
        return rng.choice(SLOTS[m.group(1)])

    return re.sub(r"\{(\w+)\}", pick, template)


def _variant(text: str, rng: random.Random) -> str:
    """Surface noise real replies have: lower case, dropped final stop, doubled punctuation."""
    roll = rng.random()
    if roll < 0.1:
        text = text.lower()
    elif roll < 0.2:
        text = text.rstrip(".")
    elif roll < 0.25:
        text = text.replace("!", "!!")
    return text


def reply(moves: tuple[str, ...], rng: random.Random, fillers: tuple[str, ...] = ()) -> str:
    """One reply: an opener, one or two moves (plus maybe a neutral filler move), a closer."""
    parts = [rng.choice(moves)]
    if rng.random() < 0.3:
        parts.append(rng.choice(moves))
    if fillers and rng.random() < 0.3:
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(fillers))
    body = " ".join(_fill(p, rng) for p in parts)
    opener = _fill(rng.choice(OPENERS), rng)
    if opener and body[:1].isupper() and not opener.endswith((". ", "! ")):
        body = body[0].lower() + body[1:] if not body.startswith(("I ", "I'")) else body
    return _variant(opener + body + _fill(rng.choice(CLOSERS), rng), rng).strip()


def corpus(n_hostile: int, n_benign: int, seed: int) -> list[tuple[str, int]]:
    """Generated (text, label) pairs; label 1 = hostile. Hostile replies may carry a neutral filler move."""
    rng = random.Random(seed)
    neutral = tuple(t for t in BENIGN if "{group}" not in t)[:40]
    rows = [(reply(HOSTILE, rng, neutral), 1) for _ in range(n_hostile)]
    rows += [(reply(BENIGN, rng), 0) for _ in range(n_benign)]
    seen: set[str] = set()
    out = []
    for text, label in rows:
        if text.lower() not in seen:
            seen.add(text.lower())
            out.append((text, label))
    return out

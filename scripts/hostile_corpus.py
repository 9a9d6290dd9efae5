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
    "reason": ("the update broke it", "our system double-charged you", "the courier lost it", "the label was wrong",
               "the form had a bug", "our warehouse sent the wrong size", "the app logged you out",
               "the payment page timed out", "a batch of chargers was faulty", "we changed the settings overnight"),
    "chore": ("send anything else", "call us again", "fill in another form", "reinstall the app", "pay anything extra",
              "return the old one", "repeat your details", "wait any longer", "chase this", "print a label",
              "visit the store", "reset anything"),
    "feeling": ("angry", "upset", "annoyed", "fed up", "disappointed", "cross", "frustrated", "unhappy"),
    "quote": ("never listen", "don't care", "are useless", "keep making excuses", "ignore every email", "are a joke",
              "can't get anything right", "only care about money"),
    "failed": ("promised a date and missed it", "sent the wrong item", "charged you twice", "kept you waiting",
               "lost your parcel", "closed your ticket too early", "gave you the wrong answer"),
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
    "Leave if you like, we won't stop you.", "Go ahead and cancel, see if we care.",
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
    "Careful, or your {thing} might take a very long time.",
    "Things have a way of going wrong for people who post that.",
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
    # more of each family, in other words
    "Not sure what you expected for that price.", "You get what you pay for, I'm afraid.",
    "Maybe this brand just isn't for someone like you.", "Perhaps a simpler {thing} would suit your abilities.",
    "We'll wait while you find the power button.", "We're not a charity, you know.",
    "Believe it or not, you're not our only customer.", "Oh look, it's you again.", "Here we go again.",
    "Yet another complaint from you, what a shock.", "Must be nice to have so much free time to complain.",
    "Hope the attention was worth it.", "Enjoy your five minutes of internet fame.",
    "We'll be sure to frame your review.", "Noted, and filed under things we don't care about.",
    "You clearly didn't read a word we wrote.", "That's not a bug, that's you.",
    "The problem is sitting in front of the screen.", "Have you tried thinking first?",
    "Our patience with you has run out.", "Sorry you feel that way, but that's your problem.",
    "We've told you {days} times already.", "How many times do we need to say it?",
    "Since you obviously didn't listen the first time: {step}.", "Pay attention this time: {step}.",
    "We're tired of hand-holding grown adults.", "Some people shouldn't be allowed near a {thing}.",
    "Are you sure you're old enough to own a {thing}?", "You'd lose your head if it wasn't attached.",
    "Your details have been passed to our legal team, think about that.",
    "Reviews like yours have consequences.", "We've saved this whole conversation, in case you need reminding.",
    "Funny things happen to accounts like yours.", "Post that again and your {thing} goes to the back of the line.",
    "We reserve the right to refuse service to people like you, and we will.",
    "Don't push your luck with us.", "You really don't want to make an enemy of us.",
    "We'd stop there if we were you.", "Maybe think about who you're talking to.",
    "Nobody else seems to have this problem, just you.", "Every other customer managed fine.",
    "Unlike you, most people read the instructions.", "Imagine blaming us for your own laziness.",
    "Lazy customers like you are the worst.", "You're wasting everyone's time here.",
    "Do you ever stop complaining?", "Is there anything you don't whine about?",
    "You must be fun at parties.", "Bless you for trying, really.", "Aww, did the big bad {thing} upset you?",
    "Poor thing, a whole day without your {thing}.", "That's adorable, you think we care.",
    "What's next, you want us to hold your hand?", "You want a medal for reading the email?",
    "Wow, you finally figured it out. Only took {days} days.", "Great, now that you've stopped shouting.",
    "Next time think before you hit send.", "Try harder.", "Read it yourself.", "Google is free.",
    "Your fault, your problem.", "Deal with it yourself.", "Not our job to fix your mistakes.",
    "We owe you nothing.", "You're on your own with this one.", "Stop embarrassing yourself.",
    "You really need everything explained twice, don't you?", "Try to keep up.", "Reading is hard, we know.",
    "We're sure you'll find something else to moan about soon.", "Typical.", "Of course it's our fault, it always is.",
    "Let us guess, you didn't {step}.", "Shocker: the {thing} works when you {step}.",
    "Next time, maybe don't {step} with your eyes closed.", "You've been told, so stop asking.",
    "People who can't {step} shouldn't buy a {thing}.", "We expected nothing less from you.",
    "Spare us the sob story.", "Nobody is buying your excuse.", "Your complaint is as pointless as it is long.",
    "Do us a favour and shop somewhere else.", "You're the problem here, not the {thing}.",
    "We've wasted enough time on you.", "Honestly, you're not worth the refund.",
    "Keep crying, it won't change a thing.", "What part of no do you not get?", "Drop the attitude.",
    "We'll remember this the next time you need help.", "Don't expect any favours from us after that.",
    "Your account would hate to get caught up in a review.", "Interesting choice to threaten us in public.",
    "Good luck getting help anywhere else with that attitude.", "Consider this your last warning.",
    # round 4: more authors' styles; passive-aggressive politeness, gatekeeping, quoting to mock, shaming
    "As we've said more than once now, {step}.", "Going by your messages, instructions aren't your strong suit.",
    "We'd gently suggest that you {step} before writing to us again.", "Happy to help, once you {step}.",
    "Not sure how we could make it clearer: {step}.", "Referring you back to our earlier answer, again.",
    "This was all covered in our first reply, had you read it.", "Scrolling up would answer most of your questions.",
    "We hope this time the message gets through.", "With all due respect, you have no idea how this works.",
    "We appreciate your enthusiasm for telling us how to do our jobs.", "Thanks so much for the unsolicited advice.",
    "Your expertise in {thing} repair is truly inspiring.", "We'll get our best people on your very urgent crisis.",
    "How tragic, a {thing} that needs charging.", "Stop the presses, the {thing} needs an update.",
    "Ah, the old 'it was like that when I opened it' story.", "'Never touched it', of course.",
    "A {thing} that broke itself, how unusual.", "Your 'quick question' is now eleven paragraphs long.",
    "You seem to think shouting makes us work faster.",
    "Perhaps the deluxe range isn't for customers on your budget.",
    "Real fans of the brand wouldn't need to ask.", "Anyone who had read the listing would know.",
    "If you'd been paying attention you'd have seen it.", "The information was right there, you just didn't look.",
    "We can't be held responsible for what you failed to read.",
    "Had you checked before ordering, this wouldn't have happened.",
    "You chose the slow shipping, so the wait is on you.", "This is what happens when you ignore our emails.",
    "We warned you, and you went ahead anyway.", "The mess you're in is one you made yourself.",
    "Shame you didn't put this much effort into reading the instructions.", "Rude messages get slow answers.",
    "We save our goodwill gestures for polite customers.", "Customers who are nice to us tend to get further.",
    "We're under no obligation to help anyone who talks to us like that.", "Attitudes like yours don't get refunds.",
    "It would be a pity if your order history came under review.",
    "We remember customers who treat us like this.", "Our fraud team takes an interest in complaints like yours.",
    "We're keeping a record of every message you send.", "Your account is now flagged, in case you wondered.",
    "Keep threatening us and see what happens to your order.", "You may find future orders harder to place.",
    "That's not how this works, and you know it.", "You're not the customer you think you are.",
    "We're not going to waste more time on this.", "There's nothing more to say to you.",
    "Feel free to shop somewhere that tolerates this behaviour.", "Frankly we'd be relieved if you cancelled.",
    "Your loyalty isn't worth this much hassle to us.", "We've decided your case isn't worth pursuing.",
    "Don't hold your breath waiting for a refund.", "Sure, we'll drop everything for you.",
    "Of course, because your order is the only one that matters.",
    "How did you ever manage to {step} before we existed?",
    "It's not our job to babysit you.", "We don't do hand-holding for grown adults.",
    "You'll get the same answer no matter how many times you ask.", "Asking again won't change the answer.",
    "Maybe {step} yourself next time instead of crying to us.", "Try {step}, if that's not too much effort.",
    "If that's too hard for you, we can't help.", "Most toddlers could {step}.",
    "You seem confused, which isn't surprising.", "Clearly thinking ahead isn't your thing.",
    "We're impressed you found a way to break a {thing} this simple.",
    "Funny how these problems always follow you around.", "You again? Of course it's you again.",
    "You're a regular in our complaints inbox.", "Not everything is about you.",
    "Some of us have actual work to do.", "Your emergency is not our emergency.",
    "We're not your personal assistants.", "Nobody owes you an apology here.",
    "Your tone says a lot more about you than about us.", "Customers with manners get answers faster.",
    "Maybe lower your expectations a little.", "Expecting that for free is a bit much, don't you think?",
    "Think before you type next time.", "Try reading your own messages back before sending them.",
    "We'll wait while you work out which end is the top.", "Give it a try when you're feeling smarter.",
    # round 4, second batch: cold corporate, terse, understated and snarky voices
    "Please refer to our previous correspondence, which already addresses this.",
    "As stated in our last three emails, {step}.", "We must insist that you actually {step} this time.",
    "Kindly take the time to {step} before opening another ticket.",
    "We note that this is your sixth ticket about the same {thing}.",
    "Our position has not changed since your last message.",
    "Apparently the {thing} is 'broken' again.", "Your so-called emergency can wait like everyone else's.",
    "This 'urgent' request of yours is the same as the last one.", "The {thing} supposedly stopped working on its own.",
    "You keep saying it's 'faulty', but it works for everyone else.", "Another 'quick question', I see.",
    "Right, because the {thing} rearranged its own settings.", "Sure, the courier definitely stole it. Sure.",
    "I'll take your word that you read the manual. Somehow I doubt it.", "Oh good, this again.",
    "Well, that was a waste of a perfectly good afternoon.", "Lovely to hear from you again. And again.",
    "Bold of you to assume we have time for this.", "What a novel idea, we'd never have thought of that.",
    "Thank you for your patience, though you've shown very little of it.", "Noted, again, for the fifth time.",
    "We're sorry you can't understand a simple policy.", "Sorry our instructions were too difficult for you.",
    "Apologies that the big green button confused you.", "We regret that reading is such a chore for you.",
    "It's a shame you chose to ignore the warnings.", "Perhaps now you'll read the emails we send.",
    "You brought this on yourself, frankly.", "That's entirely down to you, not us.",
    "We'd love to blame someone else too, but it was you.", "Next time, own it instead of tweeting about it.",
    "Your complaint says more about you than about the {thing}.",
    "Please don't make your lack of planning our problem.",
    "People who read the terms don't end up in your position.", "Serious customers don't ask questions like that.",
    "That's beginner stuff, honestly.", "If you need that explained, you're probably on the wrong plan.",
    "This forum is for people who've done the basics first.", "Come back once you've learned how the {thing} works.",
    "We only help customers who follow the rules.", "Power users would never ask that.",
    "You might want to think about how your messages come across.", "Watch how you speak to our staff, or else.",
    "We have ways of dealing with customers who misbehave.", "Don't make us escalate this to people you won't like.",
    "Your account's future depends on how this conversation goes.", "We suggest you choose your next words carefully.",
    "Remember that we can see your entire order history.", "We'll let the courier know what kind of customer you are.",
    "There's nothing to discuss.", "Not interested in your theories.", "Answer's still no. Stop asking.",
    "We're closing this. Don't reopen it.", "This is a waste of our time and yours.", "Read it again. Slowly.",
    "We'll respond when you've calmed down.", "We don't reply to tantrums.", "Feel free to go elsewhere, honestly.",
    "Clearly you know best, so why ask us?", "You're entitled to your opinion, however wrong it is.",
    "Your feedback has been filed where it belongs.", "Thanks for sharing, nobody asked though.",
    "Gosh, a customer who knows everything, how lucky are we.", "We'd explain, but you'd only argue.",
    "Must be exhausting being wronged by every company you deal with.", "Is there any shop you haven't complained to?",
    "You seem to enjoy complaining more than using the {thing}.", "Your reviews read like a hobby at this point.",
    "Other customers don't need this much hand-holding.", "Imagine if everyone needed as much help as you.",
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
    # negated blame and reassurance
    "This is not on you, {name}, the {thing} had a fault.", "You did nothing wrong here.",
    "None of this is your fault.", "It's not you, it's our checkout page.",
    "Don't blame yourself, the form is unclear.",
    "There's no such thing as a silly question.", "Never apologise for asking, that's what we're here for.",
    "Not a dumb question at all!", "Good question, lots of people wonder the same.",
    # friendly suggestions and policy statements
    "The lite plan might be a better fit for you, and it's cheaper.",
    "A simpler model could suit your needs, happy to compare.",
    "If the app feels fiddly, our website does the same thing.", "You might prefer the step-by-step video.",
    "Our policy covers returns within 30 days, and yours qualifies.", "The warranty covers this, so there's no charge.",
    "We normally need a receipt, but a bank statement works too.",
    "The manual is in the box, and there's a PDF online too.",
    "The steps are printed on the back of the lid.", "Rules are strict on this one, but here's a workaround.",
    # friendly repeat contact, reviews, leaving
    "Good to hear from you again!", "Welcome back, {name}!", "Nice to see you again, how's the {thing}?",
    "We went through your case again and found the issue.", "We checked the logs again and spotted the problem.",
    "We'd love a review once it's sorted.", "Feel free to leave a review, good or bad, it helps.",
    "Sorry to see you go, your cancellation is confirmed.",
    "If you decide to shop elsewhere we understand, and we're here if you come back.",
    "We can't make an exception this time, and we're sorry.",
    "The answer on the refund is still no, but here's what we can do.",
    "To recap what we said earlier: {step}.", "Just repeating the key step in case it got lost: {step}.",
    "Take your time, there's no rush.", "We read every review, including the critical ones.",
    "Honest feedback like yours keeps us sharp.", "You're right to expect better from us.",
    "We hear you, and you deserve a proper answer.", "We've escalated this to a manager for you.",
    "We're on it, {name}, expect an update within {days} days.", "Sorry, the {thing} is on backorder until next week.",
    "Your parcel is with the courier and should arrive tomorrow.",
    "We've issued the refund, it takes {days} working days.",
    "Could you send a photo of the damage? Then we'll ship {alt}.", "That's a fair point, we'll look into it.",
    # ordinary support questions and statements: the bulk of real replies
    "Which model do you have?", "Who did you speak to last time?", "Is there anything else we can help with?",
    "What's going on with the {thing}?", "When did you place the order?", "Where are you located?",
    "Can you DM us your full name and address?", "Could you tell us a bit more about what happened?",
    "Did the {thing} arrive in the end?", "Have you had a chance to {step}?", "What error message do you see?",
    "Which version of the app are you on?", "How long has this been happening?",
    "Is the light on the {thing} blinking?",
    "Did you get our email about the {thing}?", "What's the order number?", "Are you still having trouble?",
    "Which store did you visit?", "Was it the same with the other {thing}?", "Can we call you tomorrow?",
    "I understand your frustration.", "I'm sorry you feel this way, let's make it right.",
    "We don't want you to feel let down.", "We're just a message away if you need us.",
    "You know where to find us!", "Glad it's working again!", "It's because you're a valued customer.",
    "We just wanted to check you didn't need anything else.", "Happy to help any time.",
    "Thanks, {name}, that's all we need.", "Got it, we'll take a look.", "That shouldn't be happening.",
    "That's really concerning, please tell us more.", "Oh no, that's not what we want to hear!",
    "Bummer, sorry about that.", "Yikes, that's not good.", "Ah, that's annoying, let's sort it.",
    "It's very hard to stop spam once it starts, but this filter helps.", "Those are the rules, sadly.",
    "We'd recommend trying a smaller size.", "It could be that our colleague missed the deal.",
    "Ideas get closed when they don't get enough votes.", "The fee covers the cost of the courier.",
    "Prices are set by region, so they can differ.", "We can't see your account from here, so please DM us.",
    "Our team is working on it right now.", "We're seeing reports of this in your area.",
    "There's an outage at the moment, sorry for the trouble.", "The store closes at 9 tonight.",
    "You can track it here with your order number.", "A new one is on its way.",
    "The update rolls out over the next few days.", "You're welcome, enjoy!", "Great detective work, thank you!",
    "That's quite the outfit!", "Love this, thanks for sharing!", "Ha, we love the enthusiasm!",
    "Please reach out to us by DM so we can check.", "We've sent you a private message.",
    "Sorry for the mix-up, {name}.", "We'll pass this on to the {thing} team.",
    "Please don't hesitate to contact us again.", "We'd like to take a closer look at this refund.",
    "Nobody cares more about your data than we do.", "No one wants this fixed more than we do.",
    "Nothing matters more to us than getting this right.", "Nobody should have to wait this long, sorry.",
    "No one likes a late delivery, and we're on it.", "None of our customers should go through this.",
    "We'd never want you to feel ignored.", "You're not being difficult at all, it's a fair question.",
    "You're not the only one, so we're fixing it for everyone.", "It's not complicated once you know where to look.",
    "Don't worry about repeating yourself, we want all the details.", "You've been more than patient with us.",
    # round 4: empathy that names the customer's anger, quoting them politely, firm policy, more idioms
    "I completely understand why you're upset about the {thing}.", "You have every reason to be frustrated.",
    "Your anger makes sense, and we're going to fix it.",
    "It's understandable to be annoyed after waiting {days} days.",
    "You did everything right, the fault was ours.", "Just so you know, none of this was your doing.",
    "You called it 'a total joke', and honestly we agree it wasn't good enough.",
    "You described the {thing} as useless and, honestly, it sounds like it failed you.",
    "We read your review calling us a disaster, and you're right to be angry.",
    "We hear that you're fed up, and we want to make it right.",
    "Thanks for telling us straight, we needed to hear it.",
    "Our rules don't allow refunds on sale items, but {alt} is possible.",
    "We're required by law to verify your identity before making changes.",
    "This offer is for new accounts only, sorry about that.",
    "Repeated abuse of the return policy may lead to account review under our terms.",
    "We can't reopen an order once it's been delivered, but we can start a return.",
    "We're sorry, the answer has to be no on this occasion.", "I know it's not what you hoped to hear.",
    "As mentioned before, your refund is on its way.", "Following up on my last message, the {thing} has shipped.",
    "Going back to your earlier question, {step}.", "As promised, here's the update on your {thing}.",
    "That new {thing} is sick, enjoy it!", "This price is insane, grab it while you can.",
    "Killer playlist, thanks for sharing it.",
    "You absolutely nailed that recipe!", "The new camera slays in low light.",
    "That's a wicked deal, nice find.", "This battery is a beast, it lasts all week.",
    "Damn, what a view from your balcony!", "Hell of a job on the install, it looks great.",
    "Crap, that's the wrong colour, a swap is on its way.", "Holy moly, that's a lot of orders, thank you!",
    "Our Muslim, Jewish and Christian staff networks host an open evening in March.",
    "We hired more deaf and blind testers to improve the app.",
    "Gay, straight or anything else, everyone is welcome at our events.",
    "Our Black history month reading list is live.", "We've extended support hours for older customers.",
    "We stand against abuse aimed at our trans colleagues.", "Our immigrant founders started this shop in 1998.",
    "We've removed the comment that insulted you, that's not okay.", "The account that threatened you has been banned.",
    "We're sorry you were spoken to rudely in store.",
    "No one should be yelled at like that, and we've spoken to the staff member.",
    "You're not wasting our time at all.", "You're not being a bother, ask as much as you need.",
    "Please keep messages respectful so we can help everyone.",
    "We ask everyone to stay polite to our agents, thank you.",
    # round 4, second batch: firm refusals, policy, quoting the customer politely, kind slang
    "We're unable to offer a refund on this order, but {alt} is available today.",
    "Our policy is firm on this one, I'm sorry, but I can offer {alt}.", "We won't be able to make an exception here.",
    "Unfortunately the promotion has ended and we can't apply it retroactively.",
    "For security reasons we can't change the email on the account over chat.",
    "Orders can't be cancelled after dispatch, but returns are free.",
    "We don't ship to PO boxes, sorry for the trouble.",
    "We can only discuss the account with the account holder.", "Refunds go back to the original payment method only.",
    "You called our service 'appalling', and after reading your case I understand why.",
    "You said you're 'done with us', and I'd really like the chance to change your mind.",
    "You told us the {thing} is 'a complete joke', so let's get it replaced.",
    "I can see you're furious, and I'd feel the same.", "I know you've had to explain this {days} times, I'm sorry.",
    "You shouldn't have had to chase us, that's on us.", "I'm sorry you've had to repeat yourself.",
    "Apologies for the confusion in my earlier reply, here's the correct info.", "We got this wrong, plain and simple.",
    "Sick skateboard, enjoy the ride!", "Your new {thing} is a total beast.", "That photo is fire, thank you!",
    "You crushed the challenge, congrats!",
    "The new range is killing it in stores.", "These prices are nuts this week.",
    "Damn, that's a gorgeous colour.", "Oh hell yes, welcome to the club!", "Shoot, sorry, wrong link, here it is.",
    "Heck of a haul, enjoy!", "Crikey, that was quick!", "Good grief, that's a long wait, let me check.",
    "Our gay, lesbian and bisexual staff network chose this charity.",
    "We've added halal options for our Muslim customers.",
    "Our Jewish customers asked for a kosher range, and it's here.", "Deaf customers can now text our helpline.",
    "Our women in tech scholarship opens next week.", "Wheelchair users can book step-free seats online.",
    "Please keep in mind that abusive messages may lead to the chat being closed.",
    "If you'd prefer, we can continue this by email.", "We've noted your complaint and a manager will call you.",
    "We'll keep this ticket open until you're happy.", "You're welcome to escalate this, here's how.",
    "Per my last reply, your replacement left the warehouse yesterday.",
    "As I mentioned before, there's no fee for this.",
    # round 4, third batch: reassurance and reminders addressed to "you", naming the customer's anger fairly
    "You don't need to {chore}, it's all done.", "There's nothing more you need to {chore} for.",
    "You won't have to {chore} again.", "No need for you to {chore}, we've handled it.",
    "You don't have to {chore}, the refund is automatic.", "There's nothing else you need to do.",
    "You're not the first to ask, and it's a good question.", "You're not asking too much at all.",
    "You're not the only one who found this confusing.", "You'll need your order number for the return.",
    "Remember to {step}, you'll need it for the warranty.", "You'll want to {step} before the update.",
    "Make sure you {step} first, then it should work.", "Don't forget to {step}, just in case.",
    "Fair enough that you're {feeling}, we {failed}.", "You have every right to be {feeling}, we {failed}.",
    "It's completely fair to be {feeling}, because we {failed}.", "You're {feeling}, and honestly so would I be.",
    "You wrote that we {quote}, and I can see why you'd feel that way.",
    "You said we {quote}, and this time you were right.",
    "You told us we {quote}, so I've gone through your whole case myself.",
    "I know it feels like we {quote}, and I want to change that.",
    "You're entitled to {alt} under the warranty.", "You're fully entitled to a refund for the {thing}.",
    "You're absolutely entitled to ask for {alt}.", "Customers are entitled to cancel within 14 days.",
    "You deserve {alt} after all this.",
    "You deserve a proper apology, and here it is.", "You deserved better from us.",
    "As I said before, {alt} is yours if you want it.", "As I mentioned, you won't pay anything for the {thing}.",
    "Like I said earlier, the {thing} is covered.", "Again, no charge for any of this, promise.",
    "You've done nothing wrong by asking again.", "Asking twice is fine, we'd rather you check.",
    "Damn right, that's a fair request.", "Hell no, you won't be charged for that.",
    "Your {thing} may run slower if it gets too hot.", "Your {thing} might need a reset after the update.",
    "Your {thing} can drain quickly in the cold.", "Your {thing} gets a free check-up this month.",
    "Your {thing} should be back to normal now.", "Your {thing} is covered for two more years.",
    "Your {thing} may restart once during the update.", "Your {thing} has been repaired and is on its way.",
    "Your order gets priority shipping this time.", "Your account needs a quick verification.",
    "Your {thing} could be too full, try clearing some space.", "Your {thing} looks like it needs a new cable.",
    "Your {thing} is too old for this update, sadly.", "Your {thing} will turn itself off if it overheats.",
    "It's not your fault, {reason}.", "This wasn't your fault, {reason}.", "Not your mistake at all, {reason}.",
    "Nothing you did caused this, {reason}.", "You didn't do anything wrong, {reason}.",
    "You made our day with this!", "You've been a star about all this.", "You're a legend, thanks for the photo!",
    "You've made the whole team's week.", "You really know your stuff, thanks for the tip!",
    "To be fair, the instructions are confusing.", "In fairness, our email didn't explain it well.",
    "Good news, your refund cleared today.", "Let's try one more thing before we send a technician.",
    "Honestly, you deserve better than this.", "We'd be annoyed too, to be honest.",
    "That's on us, not you.", "Good luck with the exam tomorrow!", "No more waiting, it's on the van.",
    "You were right all along, sorry for doubting it.", "Drop the code in at checkout for 10% off.",
    "We'll remember that for next time, thanks.", "Consider it done!", "Last chance to grab the sale!",
    "Your privacy matters to us.", "We take your privacy seriously.", "Your data is safe with us.",
    "We care about your security as much as you do.", "Your details stay private, we never sell them.",
    "We protect your personal information.", "Your safety comes first.", "About your privacy: we never share it.",
    "More than anything, we want your trust.", "Your account security is our priority.",
)

OPENERS = ("", "", "", "Hi {name}, ", "Hey {name}! ", "Hi there. ", "Thanks for the message. ", "Look, ",
           "Honestly, ", "Okay, ", "Right, ", "Hello, ", "{name}, ", "Ok so ", "Well, ", "So, ", "Listen, ")
CLOSERS = ("", "", "", " Thanks.", " Have a good day.", " Cheers.", " ^JS", " -Team", " Let us know.",
           " Hope that helps.", " Regards.", " :)", " DM us if needed.", " All the best.")


def handle(rng: random.Random) -> str:
    """A reply's leading @handle, numeric (anonymised data) or a name."""
    if rng.random() < 0.5:
        return f"@{rng.randrange(100000, 999999)} "
    return "@" + rng.choice(SLOTS["name"]).lower() + rng.choice(("", "_", "88", "x", "_uk")) + " "


def signature(rng: random.Random) -> str:
    """An agent's sign-off as real replies end: ^AB, -Tara, /KB, 2/3, TY - Sam, ~JD."""
    initials = "".join(rng.choice("ABCDEFGHJKLMNPRSTW") for _ in range(rng.randint(1, 3)))
    name = rng.choice(SLOTS["name"])
    return rng.choice((f"^{initials}", f"-{name}", f"/{initials}", f"{rng.randint(1, 3)}/{rng.randint(2, 4)}",
                       f"TY - {name}", f"~{initials}", f"= {initials}", f"^{name}", f"- {name}", f"*{initials}"))


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
    text = _variant(opener + body + _fill(rng.choice(CLOSERS), rng), rng).strip()
    if rng.random() < 0.25:
        text = handle(rng) + text
    if rng.random() < 0.2:
        text += " " + signature(rng)
    return text


def moves(templates: tuple[str, ...], n: int, seed: int) -> list[str]:
    """n single filled moves (one sentence each, as the toxicity check scores them)."""
    rng = random.Random(seed)
    return [_variant(_fill(rng.choice(templates), rng), rng) for _ in range(n)]


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


"""The phrasings and vocabularies of the generated reconsolidation scenarios (``scenario_gen``).

Written as people talk in a chat, not as the extractor's patterns expect: "my home is in X", "we just
moved to X", "I left G and joined H", "I'm toying with the idea of moving to X". The generator draws a
seeded share of every list, so two seeds see partly different templates, names and values, and a seed
that was never used for tuning measures how the rules generalise.

Template syntax (expanded by :func:`graphmem.bench.scenario_gen.render`):

* ``[first|third]``: the first-person or the third-person form ("[I live|{S} lives] in {X}");
* ``{S}``: the subject in the third person (a name, or "my sister" ...), ``{S's}`` its possessive;
* ``{their}``: "her"/"his" (the first-person form is written out: "[my|{their}]"); ``{she}``: "she"/"he"
  for a second mention in the same sentence;
* ``{X}``: the new value, ``{Y}``: the old value; ``{aX}``/``{aY}``: the value with "a"/"an".

Steps: ``state`` (a first value), ``update`` (a new value replacing the old one; may name the old
one as ``{Y}``), ``hedge`` (a hypothetical or intended value that must never be served as current),
``negate`` (the old value ``{Y}`` ends, nothing replaces it). Questions: ``ask`` (the current value),
``ask_past`` (the same question for an as-of read), ``ask_plans`` (asks about hedged values),
``ask_ever`` (asks about a value that ended: "did X ever ...").
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["DISTRACTORS", "RELATIONS", "SLOTS", "SPEAKERS", "THIRD_PERSONS", "VALUES"]

SPEAKERS: tuple[str, ...] = (
    "Maria", "Tom", "Ana", "Lukas", "Priya", "Kenji", "Fatima", "Oliver", "Chloe", "Mateo", "Ingrid",
    "Samuel", "Aisha", "Jonas", "Lucia", "Daniel", "Hannah", "Omar", "Elena", "Victor",
)  # fmt: skip

THIRD_PERSONS: tuple[tuple[str, str], ...] = (
    ("Sofia", "f"), ("Marco", "m"), ("Leila", "f"), ("Ben", "m"), ("Nadia", "f"), ("Felix", "m"),
    ("Clara", "f"), ("Hugo", "m"), ("Yara", "f"), ("Ivan", "m"), ("Greta", "f"), ("Rafael", "m"),
    ("Mira", "f"), ("Tobias", "m"), ("Alma", "f"), ("Pedro", "m"),
)  # fmt: skip
"""Names of the people a speaker talks about, with the pronoun gender used in templates."""

RELATIONS: Mapping[str, tuple[str, ...]] = {
    "f": ("sister", "cousin", "friend", "aunt", "daughter", "colleague", "neighbour"),
    "m": ("brother", "cousin", "friend", "uncle", "son", "colleague", "neighbour"),
}

VALUES: Mapping[str, tuple[str, ...]] = {
    "city": (
        "Lisbon", "Porto", "Berlin", "Munich", "Vienna", "Prague", "Dublin", "Madrid", "Seville",
        "Rome", "Milan", "Oslo", "Stockholm", "Copenhagen", "Amsterdam", "Brussels", "Zurich",
        "Geneva", "Krakow", "Warsaw", "Budapest", "Athens", "Edinburgh", "Manchester", "Toronto",
        "Montreal", "Chicago", "Boston", "Seattle", "Denver", "Melbourne", "Auckland",
    ),
    "company": (
        "Google", "Siemens", "Spotify", "Microsoft", "Netflix", "Deloitte", "Airbus", "Shopify",
        "Nestle", "Philips", "Adidas", "Unilever", "Salesforce", "Oracle", "Accenture", "Ikea",
        "Bosch", "Zalando", "Atlassian", "Stripe", "Canva", "Heineken", "Lufthansa", "Novartis",
    ),
    "job": (
        "nurse", "teacher", "architect", "accountant", "chef", "pilot", "pharmacist", "lawyer",
        "journalist", "electrician", "librarian", "dentist", "engineer", "photographer",
        "translator", "paramedic", "surveyor", "veterinarian",
    ),
    "partner": (
        "Alex", "Jordan", "Sam", "Robin", "Chris", "Noah", "Emma", "Liam", "Zoe", "Ethan", "Maya",
        "Lena", "Oscar", "Ruth", "Isaac", "Vera",
    ),
    "school": (
        "Stanford", "Harvard", "Oxford", "Cambridge", "MIT", "Yale", "Princeton", "Columbia",
        "Cornell", "Berkeley", "Imperial College", "Sorbonne", "Bocconi", "Caltech",
    ),
    "age": tuple(str(n) for n in range(24, 68, 3)),
    "car": (
        "Tesla", "Volvo", "Toyota", "Honda", "Subaru", "Fiat", "Skoda", "Peugeot", "Mazda", "Kia",
        "Renault", "Hyundai",
    ),
    "phone": (
        "555-0142", "555-0199", "555-0117", "555-0183", "555-0126", "555-0168", "555-0131",
        "555-0175", "555-0150", "555-0109",
    ),
    "food": (
        "sushi", "pizza", "lasagna", "ramen", "tacos", "paella", "curry", "dumplings", "pho",
        "risotto", "falafel", "goulash",
    ),
    "pet": ("Rex", "Milo", "Luna", "Bella", "Charlie", "Pepper", "Biscuit", "Nala", "Ziggy", "Otis"),
}  # fmt: skip
"""Value pools per slot kind; the generator holds out a seeded share of each pool per seed."""

DISTRACTORS: tuple[str, ...] = (
    "The weather was awful today, it rained all afternoon.",
    "I had pasta for dinner and watched a documentary.",
    "My laptop keeps freezing when I open too many tabs.",
    "We spent the weekend hiking in the hills.",
    "I've been reading a novel about a lighthouse keeper.",
    "The new cafe around the corner makes great croissants.",
    "I finally fixed the leaking tap in the kitchen.",
    "My knee has been sore since the football match.",
    "I'm trying to drink less coffee this month.",
    "We watched the final of the tennis tournament last night.",
    "The train was forty minutes late this morning.",
    "I started learning the guitar again.",
    "Our neighbours threw a loud party on Saturday.",
    "I bought a new pair of running shoes.",
    "The museum had an exhibition about ancient maps.",
    "I burned the toast again this morning.",
    "My plants are finally growing on the balcony.",
    "I spent hours sorting old photos yesterday.",
)
"""Turns that say nothing about any slot the scenarios ask about."""

# Each slot: the value pool, the canonical predicates a correct memory may use (reported only), the
# pronoun-independent questions, and the templates per step.
SLOTS: Mapping[str, Mapping[str, object]] = {
    "residence": {
        "values": "city",
        "ask": ("Where does {N} live?", "Where does {N} live now?", "Which city does {N} live in?",
                "Where is {N} living these days?", "What city is {N} in?"),
        "ask_rel": ("Where does {SP}'s {R} live now?", "Where does {SP}'s {R} live?",
                    "Which city does {SP}'s {R} live in?"),
        "ask_past": ("Where did {N} live?", "Which city did {N} live in?"),
        "ask_plans": ("Where is {N} thinking of moving?", "Is {N} planning to move somewhere?",
                      "Where might {N} move in the future?", "Does {N} have plans to move?"),
        "ask_ever": ("Did {N} ever live in {Y}?", "Has {N} lived in {Y}?", "Where did {N} use to live?"),
        "state": (
            "[I live|{S} lives] in {X}.",
            "[My|{S's}] home is in {X}.",
            "[I'm|{S} is] based in {X}.",
            "[I've|{S} has] been living in {X} for a few years now.",
            "[I rent|{S} rents] a small flat in {X}.",
            "[I'm|{S} is] living in {X} at the moment.",
            "[I call|{S} calls] {X} home.",
            "These days [I live|{S} lives] in {X}.",
            "[I reside|{S} resides] in {X}.",
            "[I|{S}] [live|lives] over in {X}.",
            "[I've|{S} has] got a place in {X} where [I live|{she} lives].",
            "Home for [me|{S}] is {X}.",
            "[I'm|{S} is] settled in {X}.",
            "[My|{S's}] apartment is in {X}.",
        ),
        "update": (
            "[I|{S}] just moved to {X}.",
            "[We|{S}] just moved to {X}.",
            "[I|{S}] relocated to {X} last month.",
            "[I've|{S} has] moved to {X}.",
            "[I|{S}] packed up and moved to {X}.",
            "[I|{S}] finally settled in {X}.",
            "[I'm|{S} is] now living in {X}.",
            "These days [I'm|{S} is] living in {X}.",
            "[I live|{S} lives] in {X} now.",
            "[My|{S's}] new place is in {X}.",
            "[I|{S}] left {Y} and moved to {X}.",
            "[I|{S}] moved from {Y} to {X}.",
            "[I|{S}] moved out of {Y} and into a flat in {X}.",
            "[My|{S's}] new home is in {X}.",
            "[I|{S}] made the move to {X} in the spring.",
            "[I'm|{S} is] based in {X} now.",
        ),
        "hedge": (
            "[I|{S}] might move to {X}.",
            "[I'm|{S} is] thinking about moving to {X}.",
            "Maybe someday [I'll|{S} will] live in {X}.",
            "[I want|{S} wants] to move to {X} one day.",
            "[I'm|{S} is] considering a move to {X}.",
            "[I dream|{S} dreams] of living in {X}.",
            "[I'd|{S} would] love to live in {X} someday.",
            "[I|{S}] could end up moving to {X} next year.",
            "If the job works out, [I'll|{S} will] move to {X}.",
            "[I hope|{S} hopes] to move to {X} eventually.",
            "[I plan|{S} plans] to relocate to {X} at some point.",
            "[I|{S}] may relocate to {X}.",
            "[I'm|{S} is] toying with the idea of moving to {X}.",
            "[I've|{S} has] been wondering whether to move to {X}.",
        ),
        "negate": (
            "[I|{S}] no longer [live|lives] in {Y}.",
            "[I don't|{S} doesn't] live in {Y} anymore.",
            "[I'm|{S} is] not living in {Y} anymore.",
            "[I|{S}] moved out of {Y}.",
            "[I've|{S} has] stopped living in {Y}.",
            "[I'm|{S} is] not in {Y} any more.",
            "[I|{S}] used to live in {Y}.",
            "[I|{S}] moved away from {Y}.",
            "[I|{S}] gave up [my|{their}] flat in {Y} and left.",
            "[I haven't|{S} hasn't] lived in {Y} since last month.",
            "[I|{S}] left {Y} for good.",
        ),
    },
    "employer": {
        "values": "company",
        "ask": ("Where does {N} work?", "Who does {N} work for?", "Where does {N} work now?",
                "Which company does {N} work at?", "Who is {N}'s employer?"),
        "ask_rel": ("Where does {SP}'s {R} work now?", "Who does {SP}'s {R} work for?",
                    "Where does {SP}'s {R} work?"),
        "ask_past": ("Where did {N} work?", "Who did {N} work for?"),
        "ask_plans": ("Where might {N} work in the future?", "Is {N} thinking about a new job?",
                      "Which company is {N} hoping to join?", "Does {N} plan to change jobs?"),
        "ask_ever": ("Did {N} ever work at {Y}?", "Has {N} worked for {Y}?", "Where did {N} use to work?"),
        "state": (
            "[I work|{S} works] at {X}.",
            "[I'm|{S} is] employed by {X}.",
            "[I work|{S} works] for {X}.",
            "[My|{S's}] employer is {X}.",
            "[I've|{S} has] been working for {X} for two years.",
            "These days [I'm|{S} is] working at {X}.",
            "[I|{S}] [have|has] a job at {X}.",
            "[My|{S's}] job is at {X}.",
            "[I'm|{S} is] on the payroll at {X}.",
            "[I do|{S} does] marketing for {X}.",
            "[I'm|{S} is] an engineer at {X}.",
            "[I|{S}] [earn|earns] a living at {X}.",
            "[I'm|{S} is] working for {X} at the moment.",
        ),
        "update": (
            "[I|{S}] left {Y} and joined {X}.",
            "[I|{S}] quit {Y} to join {X}.",
            "[I've|{S} has] started a new job at {X}.",
            "[I|{S}] got hired by {X}.",
            "[I|{S}] just joined {X}.",
            "[I|{S}] switched from {Y} to {X}.",
            "[I'm|{S} is] working at {X} now.",
            "[I|{S}] now [work|works] for {X}.",
            "[I|{S}] handed in [my|{their}] notice at {Y} and joined {X}.",
            "[My|{S's}] new employer is {X}.",
            "[I|{S}] took a job at {X}.",
            "[I|{S}] jumped ship from {Y} to {X}.",
            "[I|{S}] accepted an offer from {X} and started there last week.",
            "[I'm|{S} is] with {X} now.",
            "[I|{S}] moved from {Y} to {X} for work.",
        ),
        "hedge": (
            "[I|{S}] might take a job at {X}.",
            "[I'm|{S} is] thinking about applying to {X}.",
            "Maybe [I'll|{S} will] work for {X} one day.",
            "[I'd|{S} would] love to work at {X}.",
            "[I'm|{S} is] considering an offer from {X}.",
            "[I|{S}] could end up at {X}.",
            "[I hope|{S} hopes] to join {X} next year.",
            "[I'm|{S} is] tempted to switch to {X}.",
            "If the offer comes through, [I'll|{S} will] join {X}.",
            "[I want|{S} wants] to work for {X} someday.",
            "[I|{S}] may join {X} in the autumn.",
            "[I've|{S} has] been thinking about working for {X}.",
            "[I'm|{S} is] hoping to get a job at {X}.",
        ),
        "negate": (
            "[I|{S}] no longer [work|works] at {Y}.",
            "[I don't|{S} doesn't] work for {Y} anymore.",
            "[I|{S}] left {Y}.",
            "[I|{S}] quit [my|{their}] job at {Y}.",
            "[I'm|{S} is] not at {Y} anymore.",
            "[I|{S}] got laid off from {Y}.",
            "[I|{S}] resigned from {Y}.",
            "[I|{S}] stopped working at {Y}.",
            "[I've|{S} has] left {Y} for good.",
            "[I haven't|{S} hasn't] worked at {Y} since last month.",
            "[I'm|{S} is] no longer employed by {Y}.",
            "[I|{S}] walked out of [my|{their}] job at {Y}.",
        ),
    },
    "role": {
        "values": "job",
        "ask": ("What does {N} do for a living?", "What is {N}'s job?", "What does {N} work as?"),
        "ask_rel": ("What does {SP}'s {R} do for a living?", "What is {SP}'s {R}'s job?"),
        "ask_past": ("What did {N} do for a living?", "What was {N}'s job?"),
        "ask_plans": ("What job is {N} thinking about?", "What does {N} want to become?"),
        "ask_ever": ("Was {N} ever {aY}?", "What did {N} use to do for a living?"),
        "state": (
            "[I'm|{S} is] {aX}.",
            "[I work|{S} works] as {aX}.",
            "[I'm|{S} is] {aX} by profession.",
            "[I make|{S} makes] a living as {aX}.",
            "By trade [I'm|{S} is] {aX}.",
            "[I've|{S} has] been working as {aX} for years.",
        ),
        "update": (
            "[I|{S}] retrained as {aX}.",
            "[I've|{S} has] become {aX}.",
            "[I'm|{S} is] {aX} now.",
            "[I|{S}] switched careers and [I'm|{she} is] now {aX}.",
            "[I|{S}] now [work|works] as {aX}.",
            "These days [I work|{S} works] as {aX}.",
            "[I|{S}] gave up being {aY} and became {aX}.",
        ),
        "hedge": (
            "[I|{S}] might become {aX}.",
            "[I'm|{S} is] thinking about becoming {aX}.",
            "[I'd|{S} would] like to train as {aX} one day.",
            "Maybe [I'll|{S} will] retrain as {aX}.",
        ),
        "negate": (
            "[I'm|{S} is] no longer {aY}.",
            "[I don't|{S} doesn't] work as {aY} anymore.",
            "[I|{S}] quit being {aY}.",
            "[I|{S}] stopped working as {aY}.",
        ),
    },
    "partner": {
        "values": "partner",
        "ask": ("Who is {N}'s partner?", "Who is {N} dating?", "Who is {N} with?"),
        "ask_rel": ("Who is {SP}'s {R}'s partner?", "Who is {SP}'s {R} dating?"),
        "ask_past": ("Who was {N}'s partner?", "Who was {N} dating?"),
        "ask_plans": ("Who might {N} date?",),
        "ask_ever": ("Did {N} ever date {Y}?", "Was {N} with {Y}?"),
        "state": (
            "[My|{S's}] partner is {X}.",
            "[I'm|{S} is] dating {X}.",
            "[I'm|{S} is] in a relationship with {X}.",
            "[I'm|{S} is] seeing {X}.",
            "[I've|{S} has] been going out with {X} for a year.",
        ),
        "update": (
            "[I|{S}] broke up with {Y} and [I'm|{she} is] now dating {X}.",
            "[I'm|{S} is] with {X} now.",
            "[My|{S's}] new partner is {X}.",
            "[I've|{S} has] started seeing {X}.",
            "[I'm|{S} is] dating {X} now.",
            "[I|{S}] split from {Y}; [my|{S's}] partner now is {X}.",
        ),
        "hedge": ("[I|{S}] might ask {X} out.", "[I'm|{S} is] thinking about dating {X}."),
        "negate": (
            "[I|{S}] broke up with {Y}.",
            "[I'm|{S} is] not with {Y} anymore.",
            "[I|{S}] split up with {Y}.",
            "[I'm|{S} is] no longer dating {Y}.",
        ),
    },
    "school": {
        "values": "school",
        "ask": ("Where does {N} study?", "Which university does {N} attend?", "Where does {N} go to school?"),
        "ask_rel": ("Where does {SP}'s {R} study?", "Which university does {SP}'s {R} attend?"),
        "ask_past": ("Where did {N} study?",),
        "ask_plans": ("Where might {N} study?", "Which university is {N} thinking about?"),
        "ask_ever": ("Did {N} ever study at {Y}?",),
        "state": (
            "[I study|{S} studies] at {X}.",
            "[I'm|{S} is] a student at {X}.",
            "[I'm|{S} is] enrolled at {X}.",
            "[I'm|{S} is] doing [my|{their}] degree at {X}.",
            "[I'm|{S} is] studying at {X}.",
        ),
        "update": (
            "[I|{S}] transferred to {X}.",
            "[I'm|{S} is] studying at {X} now.",
            "[I|{S}] started [my|{their}] master's at {X}.",
            "[I|{S}] switched from {Y} to {X}.",
            "[I'm|{S} is] enrolled at {X} now.",
            "[I|{S}] moved to {X} for [my|{their}] PhD.",
        ),
        "hedge": (
            "[I|{S}] might apply to {X}.",
            "[I'm|{S} is] thinking about studying at {X}.",
            "[I'd|{S} would] love to study at {X} one day.",
        ),
        "negate": (
            "[I|{S}] dropped out of {Y}.",
            "[I'm|{S} is] no longer studying at {Y}.",
            "[I|{S}] left {Y}.",
        ),
    },
    "age": {
        "values": "age",
        "ask": ("How old is {N}?", "What is {N}'s age?"),
        "ask_rel": ("How old is {SP}'s {R}?",),
        "ask_past": ("How old was {N}?",),
        "state": ("[I'm|{S} is] {X}.", "[I'm|{S} is] {X} years old.", "[I|{S}] just turned {X}."),
        "update": ("[I|{S}] turned {X} last week.", "[I'm|{S} is] {X} now.", "[I|{S}] just turned {X}."),
    },
    "car": {
        "values": "car",
        "ask": ("What car does {N} drive?", "What does {N} drive?"),
        "ask_rel": ("What car does {SP}'s {R} drive?",),
        "ask_past": ("What car did {N} drive?",),
        "state": ("[I drive|{S} drives] a {X}.", "[My|{S's}] car is a {X}.",
                  "[I|{S}] [get|gets] around in a {X}."),
        "update": (
            "[I|{S}] sold [my|{their}] {Y} and bought a {X}.",
            "[I|{S}] now [drive|drives] a {X}.",
            "[My|{S's}] new car is a {X}.",
            "[I|{S}] traded in [my|{their}] {Y} for a {X}.",
        ),
    },
    "phone": {
        "values": "phone",
        "ask": ("What is {N}'s phone number?", "What's {N}'s number?"),
        "ask_rel": ("What is {SP}'s {R}'s phone number?",),
        "ask_past": ("What was {N}'s phone number?",),
        "state": ("[My|{S's}] phone number is {X}.", "[My|{S's}] number is {X}.",
                  "[I|{S}] can be reached at {X}."),
        "update": ("[My|{S's}] new number is {X}.", "[I|{S}] changed [my|{their}] number to {X}.",
                   "[My|{S's}] phone number is now {X}."),
    },
    "favourite": {
        "values": "food",
        "ask": ("What is {N}'s favourite food?", "What food does {N} like best?"),
        "ask_rel": ("What is {SP}'s {R}'s favourite food?",),
        "ask_past": ("What was {N}'s favourite food?",),
        "state": ("[My|{S's}] favourite food is {X}.", "{X} is [my|{S's}] favourite food.",
                  "[My|{S's}] favorite dish is {X}."),
        "update": ("[My|{S's}] favourite food these days is {X}.", "[My|{S's}] new favourite food is {X}.",
                   "These days [my|{S's}] favourite food is {X}."),
    },
    "pet": {
        "values": "pet",
        "ask": ("What is the name of {N}'s dog?", "What is {N}'s dog called?"),
        "ask_rel": ("What is {SP}'s {R}'s dog called?",),
        "state": ("[I have|{S} has] a dog named {X}.", "[My|{S's}] dog is called {X}.",
                  "[I've|{S} has] got a dog called {X}.", "{X} is [my|{S's}] dog."),
    },
}  # fmt: skip
"""Per functional slot: value pool, questions and templates per step (see the module docstring)."""

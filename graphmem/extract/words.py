"""Closed word lists the dependency patterns consult: entity types, cue words, stop lists.

en_core_web_sm has no word vectors and a coarse NER, so a few hand lists decide what a parse alone
cannot: whether "nurse" is an occupation (job_title) or a class (is_a), whether "dog" is a pet,
whether "concert" is an event one attends rather than a place one visits, and which adjectives are
opinions to drop from a name ("my new car" is the entity "car").
"""

from __future__ import annotations

__all__ = [
    "ABSTRACT_NOUNS",
    "ANIMALS",
    "CLUB_NOUNS",
    "COLLECTIVE_ROLES",
    "DROP_MODIFIERS",
    "EVENT_NOUNS",
    "FIRST_PERSON",
    "HYPOTHETICAL_WORDS",
    "INTENT_VERBS",
    "NATIONALITIES",
    "NON_ENTITY_WORDS",
    "OBJECT_NOUNS",
    "OCCUPATIONS",
    "ORG_NOUNS",
    "PLACE_NOUNS",
    "QUANTITY_NOUNS",
    "RELATIONSHIP_STATUSES",
    "SECOND_PERSON",
    "STOP_VERBS",
    "THIRD_PERSON",
    "TITLES",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


FIRST_PERSON = _words("i me my mine myself we us our ours ourselves")
SECOND_PERSON = _words("you your yours yourself yourselves")
THIRD_PERSON = _words("he him his himself she her hers herself")

NON_ENTITY_WORDS = _words(
    "it its itself this that these those there here what which who whom whose everyone everybody someone "
    "somebody anyone anybody nobody noone something anything nothing everything one ones thing things stuff "
    "lot lots bit way time times day days today tomorrow yesterday tonight kind sort type all both each "
    "other others another some any none much many more most less least few several same such they them "
    "their theirs themselves ugh wow oh hey hi hello haha hahaha lol omg yay hmm yeah yes nope ok okay oops "
    "aw aww whoa ooh um uh ah gosh jeez thanks cheers congrats bye yep yup nah woohoo hooray alright "
    "people folks guys everybody anyone while"
)
"""Heads that never name a stored entity (pronouns, quantifiers, vague nouns, time words)."""

TITLES = _words(
    "mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir madam dame lord lady st st. rev rev. fr fr."
)

DROP_MODIFIERS = _words(
    "new old little big small great good nice lovely beautiful amazing wonderful awesome favourite favorite "
    "own first last next current other whole huge tiny cute adorable young younger older elder eldest "
    "youngest oldest dear best bad terrible horrible fantastic incredible super really very real lucky "
    "poor sweet perfect special local same entire brand fluent actual"
)
"""Adjectives that are opinions or sizes, dropped from entity names ("my new car" -> "car")."""

QUANTITY_NOUNS = _words(
    "lot lots bunch couple plenty loads load ton tons number kind sort type pair piece bit"
)

OCCUPATIONS = _words(
    "accountant actor actress administrator analyst architect artist astronaut athlete attorney author "
    "baker banker barber barista bartender biologist blogger bookkeeper builder butcher carpenter cashier "
    "ceo cfo cto chef chemist cleaner clerk coach consultant cook counselor counsellor dancer dentist "
    "designer detective developer dietitian diplomat director doctor driver economist editor electrician "
    "engineer entrepreneur farmer firefighter fisherman florist founder freelancer gardener geologist "
    "hairdresser historian illustrator instructor intern investor janitor journalist judge lawyer lecturer "
    "librarian lifeguard manager mechanic midwife model musician nanny nurse nutritionist officer "
    "optician painter paramedic pharmacist photographer physician physicist physiotherapist pilot plumber "
    "poet policeman policewoman politician president producer professor programmer psychiatrist "
    "psychologist receptionist reporter researcher salesman saleswoman scientist secretary singer "
    "soldier student supervisor surgeon tailor teacher technician therapist translator tutor veterinarian "
    "vet waiter waitress welder writer youtuber influencer streamer mathematician statistician paralegal "
    "sailor carer caregiver principal dean coordinator specialist recruiter marketer trader broker "
    "contractor surveyor cartoonist composer conductor curator guide housekeeper teller auditor"
)

ANIMALS = _words(
    "pet pets dog dogs puppy puppies cat cats kitten kittens hamster hamsters rabbit rabbits bunny parrot "
    "parrots bird birds fish goldfish turtle turtles tortoise snake snakes lizard gecko horse horses pony "
    "pig pigs guinea ferret ferrets mouse mice rat rats chicken chickens goat goats cow cows sheep duck "
    "ducks canary budgie iguana frog"
)

PLACE_NOUNS = _words(
    "city town village country state island beach park garden kitchen bedroom bathroom hallway room "
    "house home apartment flat cabin cottage office studio lake mountain mountains river forest desert "
    "street road neighborhood neighbourhood suburbs downtown countryside farm shop store mall market "
    "restaurant cafe cafe bar pub museum gallery library gym church temple mosque stadium airport station "
    "hotel resort campsite cellar attic basement garage yard balcony porch shelf table desk nightstand "
    "drawer closet cupboard fridge car"
)

ORG_NOUNS = _words(
    "company firm startup bank school university college hospital clinic bakery shelter agency council "
    "department ministry government charity foundation organization organisation corporation business "
    "team club band choir orchestra church police force army navy newspaper studio lab laboratory "
    "institute academy restaurant cafe shop store pharmacy"
)

CLUB_NOUNS = _words(
    "club team band choir group society association gym league orchestra troupe community circle guild "
    "union party committee crew"
)
"""Heads that make "joined X" mean member_of rather than works_at."""

EVENT_NOUNS = _words(
    "concert party wedding conference festival meeting class course lecture workshop seminar game match "
    "show play race marathon tournament ceremony funeral trip tour retreat camp session parade rally "
    "exhibition fair reunion gala premiere recital competition hackathon event group meetup webinar "
    "protest march celebration dinner lunch breakfast picnic barbecue bbq"
)

OBJECT_NOUNS = _words(
    "key keys ball book books phone laptop computer car bike bicycle truck van boat guitar piano violin "
    "drum drums lamp sword shield chest box bag backpack wallet glasses watch ring necklace camera table "
    "chair sofa couch bed door window cup mug bottle plate knife spoon fork pen pencil notebook map coin "
    "coins gem potion scroll torch rope ladder painting picture photo poster house apartment flat bracelet "
    "shoes jacket coat hat umbrella ticket tickets tv television tablet headphones console"
)

RELATIONSHIP_STATUSES = _words("married single divorced engaged widowed separated dating taken")

NATIONALITIES = _words(
    "american british english scottish welsh irish canadian australian mexican brazilian argentinian "
    "argentine chilean colombian peruvian cuban french german italian spanish portuguese dutch belgian "
    "swiss austrian swedish norwegian danish finnish icelandic polish czech slovak hungarian romanian "
    "bulgarian greek turkish russian ukrainian chinese japanese korean vietnamese thai indian pakistani "
    "bangladeshi nepali filipino indonesian malaysian singaporean egyptian moroccan nigerian kenyan "
    "ethiopian ghanaian south african israeli iranian iraqi lebanese syrian saudi emirati jamaican "
    "venezuelan ecuadorian bolivian uruguayan paraguayan croatian serbian slovenian estonian latvian "
    "lithuanian taiwanese mongolian new zealander kiwi scandinavian latino latina hispanic european "
    "african asian"
)

STOP_VERBS = _words(
    "say tell ask mean guess agree thank let think wonder feel seem sound appear suppose bet hope wish "
    "imagine believe realize realise remember forget understand notice hear see look glad happen matter "
    "make do try help need manage bother care mind check hang catch talk chat text call message share "
    "show give keep come go get put pass wait miss excite congratulate promise fill appreciate recommend "
    "deserve owe lose reach remind motivate inspire encourage bring spend send"
)
"""Verbs that make no fact on their own ("I agree with you"); some are re-enabled by a pattern
(go to -> visited, put X on Y -> located_at, get a job -> works_at, see X -> only with a lexicon hit)."""

INTENT_VERBS = _words("want plan hope intend aim wish aspire dream mean expect decide prepare")
"""Verbs whose xcomp states an intention: "I want to learn Italian" -> learns Italian (intent)."""

ABSTRACT_NOUNS = _words(
    "time times fun support experience experiences idea ideas chance chances problem problems issue issues "
    "trouble question questions feeling feelings moment moments blast break rest look talk conversation "
    "goal goals dream dreams memory memories luck opportunity opportunities option options thought thoughts "
    "doubt doubts difficulty difficulties struggle struggles impact effect need needs right reason reasons "
    "sense faith courage patience energy passion passions interest interests part parts point points "
    "difference progress success failure advice help attention care love joy happiness peace balance "
    "purpose meaning motivation inspiration confidence strength power control access choice choices decision "
    "decisions journey skill skills knowledge understanding perspective outlook view views "
    "spot spots way ways thing things stuff lot lots something anything everything nothing situation "
    "challenge challenges result results outcome news update updates word words plan plans effort efforts "
    "work job task tasks role responsibility responsibilities week weekend month year day days night "
    "life world place mind heart head soul vibe vibes atmosphere feel style personality character charm "
    "stress anxiety pain worry worries fear fears boredom pressure top track board mood spirit spirits "
    "growth change changes ages try shot go chance hand hands eye eyes face arm arms leg legs foot feet "
    "knee knees back shoulder shoulders unknown compliment compliments pros cons"
)
"""Nouns that make no storable object for generic predicates ("I have a lot of support")."""

COLLECTIVE_ROLES = _words(
    "friends neighbors neighbours colleagues coworkers co-workers classmates teammates roommates buddies "
    "pals "
    "family families relatives folks"
)
"""Plural social roles ("our neighbors") describe a crowd, not an entity worth a node."""

HYPOTHETICAL_WORDS = _words("might may could maybe perhaps possibly probably should would potentially")

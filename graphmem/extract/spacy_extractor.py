"""The default extractor: spaCy parse + dependency patterns, no LLM.

Per text: parse (batched with ``nlp.pipe``), read each sentence with the clause patterns
(:mod:`graphmem.extract.clauses`), collect the mentions (named entities and noun chunks, pronouns
resolved to the speaker / addressee), canonicalise every predicate a pattern did not decide in one
batched call, and turn the raw facts into :class:`~graphmem.extract.base.Triple` records with a
readable sentence each. Duplicate statements inside one text collapse to one triple.

Speed matters (ingest aims at >= 100 chat turns/s on 2 cores including embeddings and store
writes), so the parse is the only heavy step: the patterns are plain loops over the tokens of one
sentence, and the embedding stage of canonicalisation only runs for relation words the lexicon does
not know, once per distinct phrase (cached).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from graphmem.extract.base import ExtractedMention, ExtractInput, Extraction, Triple, check_text
from graphmem.extract.canonical import DEFAULT_THRESHOLD, PredicateCanonicalizer
from graphmem.extract.clauses import _HUMAN_PREDICATES, RawFact, SentenceReader, is_question
from graphmem.extract.fallback import fallback_facts
from graphmem.extract.lexicon import LITERAL_PREDICATES, RELATIONAL_PREDICATES
from graphmem.extract.nlp import load_nlp, nlp_is_degraded
from graphmem.extract.refs import ENT_TYPES, Resolver
from graphmem.extract.render import render_fact
from graphmem.extract.slots import refine_slots
from graphmem.extract.words import FIRST_PERSON, NON_ENTITY_WORDS, SECOND_PERSON
from graphmem.model import entity_key

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from graphmem.embed import Encoder

__all__ = ["SpacyExtractor"]

log = logging.getLogger(__name__)

_RETYPABLE = frozenset({"concept", "organization", "place", "group"})
_ORG_OBJECT_PREDICATES = frozenset({"works_at", "studies_at", "member_of", "volunteers_at", "graduated_from"})
_NP_DEPS = frozenset(
    {
        "nsubj",
        "nsubjpass",
        "dobj",
        "pobj",
        "attr",
        "appos",
        "conj",
        "dative",
        "oprd",
        "ROOT",
        "poss",
        "npadvmod",
    }
)


class SpacyExtractor:
    """Extractor backed by a spaCy pipeline (``en_core_web_sm`` by default).

    ``encoder`` enables the embedding stage of predicate canonicalisation; without it, unknown
    relation words are kept as ``lemma_prep`` names. Thread-safe for concurrent ``extract`` calls
    as long as the spaCy pipeline is (spaCy pipelines are safe for concurrent reads).
    """

    def __init__(
        self,
        nlp: Language | None = None,
        *,
        encoder: Encoder | None = None,
        canonicalizer: PredicateCanonicalizer | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        batch_size: int = 64,
    ) -> None:
        self.nlp = nlp if nlp is not None else load_nlp()
        self.canonicalizer = canonicalizer or PredicateCanonicalizer(encoder, threshold)
        self.batch_size = batch_size
        self.degraded = nlp_is_degraded(self.nlp)
        if self.degraded:
            log.warning("spaCy pipeline has no parser: extraction falls back to a few first-person rules")

    # --- public -------------------------------------------------------------------------------------

    def extract(
        self, text: str, *, speaker: str, addressee: str | None = None, occurred_at: datetime
    ) -> Extraction:
        """Mentions and triples of one text said by ``speaker`` (to ``addressee``) at ``occurred_at``."""
        check_text(text, speaker=speaker, occurred_at=occurred_at)
        item = ExtractInput(text=text, speaker=speaker, addressee=addressee, occurred_at=occurred_at)
        return self._run([item], [self.nlp(text)])[0]

    def extract_many(self, items: Sequence[ExtractInput]) -> list[Extraction]:
        """Batched form of :meth:`extract`: one ``nlp.pipe`` pass and one canonicalisation batch."""
        for item in items:
            check_text(item.text, speaker=item.speaker, occurred_at=item.occurred_at)
        docs = self.nlp.pipe((item.text for item in items), batch_size=self.batch_size)
        return self._run(list(items), docs)

    # --- internals ----------------------------------------------------------------------------------

    def _run(self, items: list[ExtractInput], docs: Iterable[Doc]) -> list[Extraction]:
        read: list[tuple[list[ExtractedMention], list[RawFact]]] = []
        for item, doc in zip(items, docs, strict=True):
            read.append(self._fallback(doc, item) if self.degraded else self._read(doc, item))
        phrases = [f.phrase for _, raws in read for f in raws if f.predicate is None]
        canonical = dict(zip(phrases, self.canonicalizer.canonicalize_many(phrases), strict=True))
        out: list[Extraction] = []
        for (mentions, raws), item in zip(read, items, strict=True):
            triples = _finish(raws, canonical, item)
            out.append(Extraction(mentions=mentions, triples=triples))
        return out

    def _read(self, doc: Doc, item: ExtractInput) -> tuple[list[ExtractedMention], list[RawFact]]:
        resolver = Resolver(doc, speaker=item.speaker, addressee=item.addressee, anchor=item.anchor)
        anchor = item.occurred_at.astimezone(UTC)
        raws: list[RawFact] = []
        for sent in doc.sents:
            raws += refine_slots(sent, resolver, SentenceReader(resolver, sent, anchor).read())
        return _mentions(doc, resolver, item), raws

    def _fallback(self, doc: Doc, item: ExtractInput) -> tuple[list[ExtractedMention], list[RawFact]]:
        from graphmem.extract.refs import Ref

        raws: list[RawFact] = []
        speaker = Ref(item.speaker, "person", role="speaker")
        for found in fallback_facts(doc.text):
            obj = Ref(found.object, "concept", literal=found.literal)
            raws.append(RawFact(speaker, obj, found.predicate, found.predicate, confidence=0.6))
        return [], raws


def _mentions(doc: Doc, resolver: Resolver, item: ExtractInput) -> list[ExtractedMention]:
    found: dict[tuple[int, int], ExtractedMention] = {}
    for ent in doc.ents:
        if ent.label_ not in ENT_TYPES:
            continue
        kind = ENT_TYPES[ent.label_]
        if ent.label_ in ("DATE", "TIME"):
            name = ent.text
        else:
            ref = resolver.ref(ent.root)
            name = ref.name if ref is not None and not ref.literal else resolver.proper_name(ent.root)
            kind = ref.type if ref is not None and ref.type != "concept" else kind
        if not name.strip() or name.lower() in NON_ENTITY_WORDS:
            continue
        found[(ent.start_char, ent.end_char)] = ExtractedMention(
            text=ent.text, name=name, type=kind, start=ent.start_char, end=ent.end_char
        )
    covered = {t.i for ent in doc.ents for t in ent}
    for sent in doc.sents:
        _sentence_mentions(sent, doc, resolver, item, covered, found)
    return sorted(found.values(), key=lambda m: (m.start, m.end))


def _sentence_mentions(
    sent: Span,
    doc: Doc,
    resolver: Resolver,
    item: ExtractInput,
    covered: set[int],
    found: dict[tuple[int, int], ExtractedMention],
) -> None:
    question = is_question(sent)
    for root in sent:
        # noun-phrase heads, found directly (cheaper than spaCy's noun_chunks iterator)
        if root.dep_ not in _NP_DEPS or root.pos_ not in ("NOUN", "PROPN", "PRON"):
            continue
        word = root.lower_
        start_tok = root.left_edge if root.pos_ != "PRON" else root
        start, end = start_tok.idx, root.idx + len(root.text)
        text = doc.text[start:end]
        if word in FIRST_PERSON or word in SECOND_PERSON:
            who = item.speaker if word in FIRST_PERSON else item.addressee
            if who and root.dep_ != "poss":
                found.setdefault(
                    (start, end), ExtractedMention(text=text, name=who, type="person", start=start, end=end)
                )
            continue
        if root.i in covered or root.pos_ == "PRON" or word in NON_ENTITY_WORDS:
            continue
        if question and root.pos_ != "PROPN":
            continue
        ref = resolver.ref(root)
        if ref is None or ref.literal or ref.role:
            continue
        found.setdefault(
            (start, end), ExtractedMention(text=text, name=ref.name, type=ref.type, start=start, end=end)
        )


def _finish(raws: list[RawFact], canonical: dict[str, str], item: ExtractInput) -> list[Triple]:
    triples: dict[tuple[str, str, str, bool], Triple] = {}
    for raw in raws:
        predicate = raw.predicate or canonical.get(raw.phrase) or raw.phrase.replace(" ", "_")
        obj_name = raw.object.name.strip()
        if predicate == "age" and not obj_name.isdigit():
            continue
        literal = raw.object.literal or predicate in LITERAL_PREDICATES
        object_type = raw.object.type
        if predicate in _ORG_OBJECT_PREDICATES and object_type in ("person", "concept"):
            object_type = "organization"  # "I joined Oracle": NER often calls companies people
        subject_type = raw.subject.type
        if subject_type == "concept" and predicate in _HUMAN_PREDICATES and raw.subject.name[:1].isupper():
            subject_type = "person"
        if predicate in RELATIONAL_PREDICATES and predicate not in ("has_pet",):
            # family and social roles relate people, whatever NER called the names ("Tariq" -> ORG)
            subject_type = "person" if subject_type in _RETYPABLE else subject_type
            object_type = "person" if object_type in _RETYPABLE else object_type
        key = (entity_key(raw.subject.name), predicate, entity_key(obj_name), raw.polarity)
        if not key[0] or not key[2]:
            continue
        text = render_fact(
            raw.subject.name,
            predicate,
            obj_name,
            polarity=raw.polarity,
            modality=raw.modality,
            ended=raw.ended,
        )
        triple = Triple(
            subject=raw.subject.name,
            subject_type=subject_type,
            predicate=predicate,
            predicate_raw=raw.phrase,
            object=None if literal else obj_name,
            object_type=None if literal else object_type,
            object_value=obj_name if literal else None,
            polarity=raw.polarity,
            modality=raw.modality,
            valid_from=raw.valid_from,
            valid_to=raw.valid_to,
            ended=raw.ended,
            replaces=raw.replaces,
            correction=raw.correction,
            text=text,
            confidence=raw.confidence,
        )
        previous = triples.get(key)
        if previous is None or (previous.valid_from is None and triple.valid_from is not None):
            triples[key] = triple
    return list(triples.values())

"""Text -> mentions, entities and triples.

The default extractor is :class:`graphmem.extract.spacy_extractor.SpacyExtractor` (spaCy parse +
dependency patterns, no LLM); :class:`graphmem.extract.llm_extractor.LLMExtractor` is an optional
drop-in backed by any OpenAI-compatible endpoint. Both return the records of
:mod:`graphmem.extract.base`. Predicate names come from :mod:`graphmem.extract.lexicon` and
:mod:`graphmem.extract.canonical`; entity-resolution string tests live in
:mod:`graphmem.extract.resolve`.

Submodules are imported on demand so that importing this package does not load spaCy or httpx.
"""

from __future__ import annotations

from graphmem.extract.base import ExtractedMention, ExtractInput, Extraction, Extractor, Triple

__all__ = ["ExtractInput", "ExtractedMention", "Extraction", "Extractor", "Triple"]

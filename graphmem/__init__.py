"""graphmem: a graph-database knowledge memory for LLM agents."""

from graphmem.errors import GraphmemError

__all__ = ["GraphmemError"]
__version__ = "0.1.0"

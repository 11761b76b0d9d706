"""graphmem: a graph-database knowledge memory for LLM agents.

>>> from graphmem import Memory
>>> with Memory(path="./my-memory") as mem:                                         # doctest: +SKIP
...     mem.add("I moved to Lisbon last month.", speaker="Maria", namespace="maria")
"""

from graphmem.errors import GraphmemError
from graphmem.memory import AsyncMemory, Memory

__all__ = ["AsyncMemory", "GraphmemError", "Memory"]
__version__ = "0.1.0"

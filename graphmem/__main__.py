"""``python -m graphmem`` runs the command line (the same as the ``graphmem`` script)."""

from __future__ import annotations

from graphmem.cli import main

__all__: list[str] = []

if __name__ == "__main__":
    main()

"""The graph page's static files, shipped inside the package so ``graphmem serve`` needs no network.

``static/`` holds the page (``index.html``, ``app.js``, ``app.css``) and ``static/vendor/`` the
third-party browser libraries it and the API docs load: Cytoscape.js (graph drawing), Swagger UI
(``/docs``) and ReDoc (``/redoc``), each copied unchanged from its npm package with its licence (see
``static/vendor/VENDORED.md`` for versions, checksums and how to refresh them). Nothing is fetched from a
CDN at run time, so the page and the docs render on an offline machine.

The FastAPI side (routes, headers) is :mod:`api.ui`; this package holds files only, so importing it
needs no web framework.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["STATIC_DIR", "VENDOR_DIR"]

STATIC_DIR = Path(__file__).resolve().parent / "static"
"""The page's files, served at ``/ui/static``."""
VENDOR_DIR = STATIC_DIR / "vendor"
"""Vendored browser libraries (one folder per npm package, each with its licence)."""

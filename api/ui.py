"""The graph page at ``/ui`` and the API docs (``/docs``, ``/redoc``), all served from the package.

The page is plain HTML/JS/CSS (:mod:`graphmem.ui`) that calls the same ``/v1`` endpoints as any other
client, with the API key the user types in; it needs no build step and no network. FastAPI's own docs
pages load Swagger UI and ReDoc from a CDN, so an offline machine shows a blank page: here they are
rebuilt with FastAPI's documented hooks (``get_swagger_ui_html`` / ``get_redoc_html``) over the vendored
copies under ``/ui/static/vendor``.

Every URL the pages use is relative (``static/app.js``, ``../v1/...``, ``ui/static/...``), so the server
also works behind a reverse proxy that mounts it under a path prefix.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from graphmem.ui import STATIC_DIR

__all__ = ["PAGE_CSP", "REDOC_CSP", "install_docs", "install_ui"]

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'none'"
)
"""The page shows remembered text (anything a user or agent once said), so it must never run any of it:
it inserts text only as text, and this policy forbids inline and foreign scripts in case it ever slips."""

REDOC_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'"
)
"""ReDoc's sidebar always shows a "by Redocly" logo from the vendor's CDN (no option turns it off); this
policy keeps that request on the machine (the browser refuses it and ReDoc hides the broken image)."""

_SWAGGER = "ui/static/vendor/swagger_ui"
_REDOC = "ui/static/vendor/redoc"


def install_ui(app: FastAPI) -> None:
    """Serve the graph page at ``/ui/`` and its files at ``/ui/static``; ``/ui`` redirects to ``/ui/``."""
    app.mount("/ui/static", StaticFiles(directory=STATIC_DIR, check_dir=True), name="ui-static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        # Browsers ask for it on every page they show, the JSON ones included; an icon beats a 404.
        return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")

    @app.get("/ui", include_in_schema=False)
    def ui_redirect() -> RedirectResponse:
        # Relative, so it stays under a proxy's path prefix; the page's own URLs are relative to /ui/.
        return RedirectResponse("ui/", status_code=307)

    @app.get("/ui/", include_in_schema=False)
    def ui_page() -> FileResponse:
        return FileResponse(
            STATIC_DIR / "index.html",
            media_type="text/html",
            headers={
                "Content-Security-Policy": PAGE_CSP,
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
                "Cache-Control": "no-cache",
            },
        )


def install_docs(app: FastAPI) -> None:
    """``/docs`` (Swagger UI) and ``/redoc`` over the vendored assets; create the app with
    ``docs_url=None, redoc_url=None`` so FastAPI does not add its CDN-backed ones first."""
    oauth2_redirect = "/docs/oauth2-redirect"

    def openapi_url(request: Request) -> str:
        return str(request.scope.get("root_path", "")) + str(app.openapi_url)

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = str(request.scope.get("root_path", ""))
        return get_swagger_ui_html(
            openapi_url=openapi_url(request),
            title=f"{app.title} - API docs",
            swagger_js_url=f"{_SWAGGER}/swagger-ui-bundle.js",
            swagger_css_url=f"{_SWAGGER}/swagger-ui.css",
            swagger_favicon_url=f"{_SWAGGER}/favicon-32x32.png",
            oauth2_redirect_url=root + oauth2_redirect,
            # No badge image from the public validator service: the spec never leaves the machine.
            swagger_ui_parameters={"validatorUrl": None},
        )

    @app.get(oauth2_redirect, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        page = get_redoc_html(
            openapi_url=openapi_url(request),
            title=f"{app.title} - API reference",
            redoc_js_url=f"{_REDOC}/redoc.standalone.js",
            redoc_favicon_url=f"{_SWAGGER}/favicon-32x32.png",
            with_google_fonts=False,
        )
        page.headers["Content-Security-Policy"] = REDOC_CSP
        return page

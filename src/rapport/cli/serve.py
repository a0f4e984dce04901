"""``rapport serve``: run the web application and API with uvicorn."""

from __future__ import annotations

import typer

from rapport.cli.common import settings


def register(app: typer.Typer) -> None:
    """Attach the ``serve`` command to the root app."""
    app.command("serve")(serve)


def serve(
    host: str = typer.Option(None, metavar="HOST",
                             help="Interface to listen on (default RAPPORT_HOST)."),
    port: int = typer.Option(None, min=1, max=65535, metavar="PORT",
                             help="Port (default RAPPORT_PORT, 8000)."),
) -> None:
    """Serve rapport on http://HOST:PORT (API under /api, health at /health)."""
    import uvicorn

    from rapport.api.app import create_app

    cfg = settings()
    uvicorn.run(create_app(cfg), host=host or cfg.host, port=port or cfg.port)

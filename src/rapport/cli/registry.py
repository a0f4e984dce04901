"""Which sub-apps and commands make up the ``rapport`` CLI (one line per business area)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Attach every business area's commands to the root app."""
    # Modules that add commands to another area's sub-app are imported for that side effect.
    from rapport.cli import (
        campaign_entries,
        contacts,
        demo,
        interaction_drafts,  # noqa: F401  (adds create/finish/postpone/resume to interactions)
        interactions,
        logged_segments,
        segment_criteria,  # noqa: F401  (adds add/reduce/refine/undo … to segments)
        segment_lines,  # noqa: F401  (adds line-add/line-set … to segments)
        segment_log,  # noqa: F401  (adds log to segments)
        segments,
        serve,
        setup,
    )

    app.add_typer(setup.app, name="setup")
    app.add_typer(contacts.app, name="contacts")
    app.add_typer(segments.app, name="segments")
    app.add_typer(logged_segments.app, name="logged-segments")
    app.add_typer(interactions.app, name="interactions")
    app.add_typer(campaign_entries.app, name="campaign-entries")
    demo.register(app)
    serve.register(app)

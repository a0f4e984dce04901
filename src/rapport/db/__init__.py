"""Database access: engine, models, sessions, migrations (only db/ and services/ use SQLAlchemy)."""

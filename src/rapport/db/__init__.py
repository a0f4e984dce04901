"""Database access: engine, models, sessions and migrations. Only db/ and services/ use SQLAlchemy."""

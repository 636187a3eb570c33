"""Data layer: SQLAlchemy models, the session factory and queries (which take the session)."""

"""Alembic environment: runs on the connection handed in by monitor.db.upgrade."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from monitor.db import database_url
from monitor.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    """Run migrations on the given connection, or on REPGUARD_DATABASE_URL."""
    conn = config.attributes.get("connection")
    if conn is not None:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(database_url())
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()

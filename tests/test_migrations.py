"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from monitor.models import Base

MIGRATIONS = Path(__file__).resolve().parent.parent / "monitor" / "migrations"


def test_one_head() -> None:
    """Every migration extends one chain: `upgrade head` never meets two heads."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert len(ScriptDirectory.from_config(cfg).get_heads()) == 1


def test_migrated_schema_matches_models(engine: Engine) -> None:
    """No table, column, index or constraint of the models is missing from (or extra in) the migrated database.

    Indexes that only the migrations create (page-speed indexes, partial and expression indexes the models
    do not spell out) are allowed; everything else must match both ways.
    """
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        found = compare_metadata(ctx, Base.metadata)
    diff = [d for d in found if not (isinstance(d, tuple) and d[0] == "remove_index")]
    assert diff == []

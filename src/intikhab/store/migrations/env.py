"""Alembic environment: the engine comes from ``config.attributes['engine']`` (store.db)."""

from __future__ import annotations

from alembic import context

from intikhab.store.models import Base

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=True, compare_type=False)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()

"""Alembic environment: runs migrations on the engine that `hiring.db` hands over."""

from alembic import context
from sqlmodel import SQLModel

from hiring import models  # noqa: F401  (registers every table on the metadata)

engine = context.config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()

"""data bound to the audit log: each record's ``bound`` digest and Merkle ``leaf``, and the
``audit_binding`` rows (table, key, digest) of every row a transaction wrote

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("bound", sa.String(length=64), nullable=True))
    op.add_column("audit_log", sa.Column("leaf", sa.String(length=64), nullable=True))
    op.create_table(
        "audit_binding",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("tbl", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("seq", "n", name=op.f("pk_audit_binding")),
        sqlite_strict=True,
    )


def downgrade() -> None:
    op.drop_table("audit_binding")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("leaf")
        batch.drop_column("bound")

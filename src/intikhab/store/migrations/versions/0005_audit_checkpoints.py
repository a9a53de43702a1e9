"""transparency log: signed checkpoints of the audit log

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_checkpoint",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("origin", sa.String(length=200), nullable=False),
        sa.Column("tree_size", sa.Integer(), nullable=False),
        sa.Column("root_hash", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("key_id", sa.String(length=8), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoint")),
        sqlite_strict=True,
    )
    op.create_index(op.f("ix_audit_checkpoint_tree_size"), "audit_checkpoint", ["tree_size"],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_checkpoint_tree_size"), table_name="audit_checkpoint")
    op.drop_table("audit_checkpoint")

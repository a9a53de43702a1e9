"""councils after the vote: bureau sessions and prefecture/province council results

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bureau_session",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("council_id", sa.String(length=64), nullable=False),
        sa.Column("council_kind", sa.String(length=20), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("in_office", sa.Integer(), nullable=False),
        sa.Column("present", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("roster", sa.JSON(), nullable=False),
        sa.Column("offices", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.JSON(), nullable=False),
        sa.Column("committees", sa.JSON(), nullable=False),
        sa.Column("lots", sa.JSON(), nullable=False),
        sa.Column("lot_seed", sa.String(length=200), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bureau_session")),
        sqlite_strict=True,
    )
    op.create_index(op.f("ix_bureau_session_council_id"), "bureau_session", ["council_id"],
                    unique=False)
    op.create_table(
        "indirect_result",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("prefecture_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("college", sa.Integer(), nullable=False),
        sa.Column("rules", sa.String(length=40), nullable=False),
        sa.Column("engine_version", sa.String(length=40), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.JSON(), nullable=False),
        sa.Column("lots", sa.JSON(), nullable=False),
        sa.Column("lot_seed", sa.String(length=200), nullable=True),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("declared_at", sa.DateTime(), nullable=True),
        sa.Column("declared_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["prefecture_id"], ["prefecture.id"],
                                name=op.f("fk_indirect_result_prefecture_id_prefecture")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indirect_result")),
        sqlite_strict=True,
    )
    op.create_index(op.f("ix_indirect_result_prefecture_id"), "indirect_result",
                    ["prefecture_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_indirect_result_prefecture_id"), table_name="indirect_result")
    op.drop_table("indirect_result")
    op.drop_index(op.f("ix_bureau_session_council_id"), table_name="bureau_session")
    op.drop_table("bureau_session")

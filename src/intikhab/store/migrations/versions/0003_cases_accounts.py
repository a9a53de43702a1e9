"""disputes and campaign accounts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "campaign_account",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("vote", sa.String(length=20), nullable=False),
        sa.Column("constituency_id", sa.String(length=64), nullable=True),
        sa.Column("candidates", sa.Integer(), nullable=False),
        sa.Column("list_vote", sa.Boolean(), nullable=False),
        sa.Column("elected", sa.Boolean(), nullable=False),
        sa.Column("filed_at", sa.DateTime(), nullable=True),
        sa.Column("notice_at", sa.DateTime(), nullable=True),
        sa.Column("answered_notice", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["constituency_id"],
            ["constituency.id"],
            name=op.f("fk_campaign_account_constituency_id_constituency"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_account")),
        sqlite_strict=True,
    )
    op.create_index(
        op.f("ix_campaign_account_constituency_id"),
        "campaign_account",
        ["constituency_id"],
        unique=False,
    )
    op.create_table(
        "dispute_case",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("constituency_id", sa.String(length=64), nullable=False),
        sa.Column("vote", sa.String(length=20), nullable=False),
        sa.Column("filer", sa.String(length=200), nullable=False),
        sa.Column("filer_kind", sa.String(length=20), nullable=False),
        sa.Column("court", sa.String(length=20), nullable=False),
        sa.Column("trigger_at", sa.DateTime(), nullable=False),
        sa.Column("filed_at", sa.DateTime(), nullable=False),
        sa.Column("deadline", sa.DateTime(), nullable=False),
        sa.Column("admissible", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("ruling", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["constituency_id"],
            ["constituency.id"],
            name=op.f("fk_dispute_case_constituency_id_constituency"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispute_case")),
        sqlite_strict=True,
    )
    op.create_index(
        op.f("ix_dispute_case_constituency_id"), "dispute_case", ["constituency_id"], unique=False
    )
    op.create_table(
        "account_line",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=True),
        sa.Column("source", sa.String(length=30), nullable=True),
        sa.Column("document", sa.String(length=200), nullable=True),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["campaign_account.id"],
            name=op.f("fk_account_line_account_id_campaign_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_line")),
        sa.UniqueConstraint("account_id", "seq", name=op.f("uq_account_line_account_id")),
        sqlite_strict=True,
    )
    op.create_index(
        op.f("ix_account_line_account_id"), "account_line", ["account_id"], unique=False
    )
    op.create_table(
        "dispute_step",
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["dispute_case.id"], name=op.f("fk_dispute_step_case_id_dispute_case")
        ),
        sa.PrimaryKeyConstraint("case_id", "seq", name=op.f("pk_dispute_step")),
        sqlite_strict=True,
    )


def downgrade() -> None:
    op.drop_table("dispute_step")
    op.drop_index(op.f("ix_account_line_account_id"), table_name="account_line")
    op.drop_table("account_line")
    op.drop_index(op.f("ix_dispute_case_constituency_id"), table_name="dispute_case")
    op.drop_table("dispute_case")
    op.drop_index(op.f("ix_campaign_account_constituency_id"), table_name="campaign_account")
    op.drop_table("campaign_account")

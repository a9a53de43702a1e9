"""candidacy filings and party alliances

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "candidacy_filing",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("constituency_id", sa.String(length=64), nullable=False),
        sa.Column("arrival", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("party", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("filed_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("replaced_by", sa.String(length=64), nullable=True),
        sa.Column("attached_withdrawn", sa.Boolean(), nullable=False),
        sa.Column("ineligible", sa.JSON(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["constituency_id"], ["constituency.id"],
            name=op.f("fk_candidacy_filing_constituency_id_constituency"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidacy_filing")),
        sa.UniqueConstraint("constituency_id", "arrival",
                            name=op.f("uq_candidacy_filing_constituency_id")),
        sqlite_strict=True,
    )
    with op.batch_alter_table("candidacy_filing", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_candidacy_filing_constituency_id"), ["constituency_id"], unique=False
        )
    op.create_table(
        "party_alliance",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("parties", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_alliance")),
        sqlite_strict=True,
    )


def downgrade() -> None:
    op.drop_table("party_alliance")
    with op.batch_alter_table("candidacy_filing", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidacy_filing_constituency_id"))
    op.drop_table("candidacy_filing")

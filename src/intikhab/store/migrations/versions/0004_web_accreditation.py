"""web application: observers' accreditations

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accreditation",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("constituency_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"],
                                name=op.f("fk_accreditation_user_id_app_user")),
        sa.ForeignKeyConstraint(["constituency_id"], ["constituency.id"],
                                name=op.f("fk_accreditation_constituency_id_constituency")),
        sa.PrimaryKeyConstraint("user_id", "constituency_id", name=op.f("pk_accreditation")),
        sqlite_strict=True,
    )


def downgrade() -> None:
    op.drop_table("accreditation")

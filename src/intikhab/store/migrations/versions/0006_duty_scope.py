"""separation of duties: the constituencies a clerk or coordinator is assigned to

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "duty_scope",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"],
                                name=op.f("fk_duty_scope_user_id_app_user")),
        sa.PrimaryKeyConstraint("user_id", "scope", name=op.f("pk_duty_scope")),
        sqlite_strict=True,
    )


def downgrade() -> None:
    op.drop_table("duty_scope")

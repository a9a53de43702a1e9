"""An index of the audit log by action and entity: a publication asks each constituency's latest
declaration and each council's latest bureau session (``site_data.proofs``) — a scan of the
whole log without it (some 200,000 records on a national night)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_log_action_entity", "audit_log", ["action", "entity", "seq"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_action_entity", table_name="audit_log")

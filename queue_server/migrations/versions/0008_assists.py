"""help records (lượt hỗ trợ)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-12

One row per kind of help given to a citizen: kind, priority category, service, the
ticket if there was one (once per kind), the day. No personal data.
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
        "assists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("priority_id", sa.Integer(), nullable=True),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["priority_id"],
            ["priority_categories.id"],
            name=op.f("fk_assists_priority_id_priority_categories"),
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name=op.f("fk_assists_service_id_services")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assists")),
        sa.UniqueConstraint("ticket_id", "kind", name="uq_assists_ticket_kind"),
    )
    op.create_index("ix_assists_day", "assists", ["day"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_assists_day", table_name="assists")
    op.drop_table("assists")

"""calls for assistance (yêu cầu hỗ trợ)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05

One row per call for assistance raised at a kiosk or a counter: where from, why, when
it was taken and ended, the staff member who took it (role and first name), the help
record closing it made. Nothing about the citizen.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assistance_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("kiosk", sa.String(length=80), nullable=True),
        sa.Column("counter", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("raised_by", sa.String(length=40), nullable=False),
        sa.Column("open_key", sa.String(length=60), nullable=True),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("taker", sa.String(length=40), nullable=True),
        sa.Column("taker_role", sa.String(length=20), nullable=True),
        sa.Column("taker_name", sa.String(length=40), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("help_kind", sa.String(length=30), nullable=True),
        sa.Column("assist_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistance_calls")),
        sa.UniqueConstraint("open_key", name="uq_assistance_calls_open_key"),
    )
    op.create_index("ix_assistance_calls_day", "assistance_calls", ["day"], unique=False)
    op.create_index("ix_assistance_calls_status", "assistance_calls", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_assistance_calls_status", table_name="assistance_calls")
    op.drop_index("ix_assistance_calls_day", table_name="assistance_calls")
    op.drop_table("assistance_calls")

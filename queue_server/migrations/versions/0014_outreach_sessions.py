"""outreach sessions (lưu động)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05

The schedule of outreach sessions: day, local hours, place, services, staff, notes, the
site code of the laptop that runs it, the recurring pattern it came from, its status.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outreach_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("starts", sa.Time(), nullable=False),
        sa.Column("ends", sa.Time(), nullable=False),
        sa.Column("place", sa.String(length=120), nullable=False),
        sa.Column("services", sa.String(length=300), nullable=False),
        sa.Column("staff_ids", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.String(length=500), nullable=False),
        sa.Column("site_code", sa.String(length=10), nullable=True),
        sa.Column("series_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach_sessions")),
    )
    op.create_index("ix_outreach_sessions_day", "outreach_sessions", ["day"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_outreach_sessions_day", table_name="outreach_sessions")
    op.drop_table("outreach_sessions")

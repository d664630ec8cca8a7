"""outreach series and calendar feeds

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05

The recurring patterns that made outreach sessions, and the secret calendar feeds of the
schedule for staff phones (only the SHA-256 of each token).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outreach_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("every", sa.String(length=12), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach_series")),
    )
    op.create_table(
        "outreach_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_outreach_feeds_token_hash")),
    )


def downgrade() -> None:
    op.drop_table("outreach_feeds")
    op.drop_table("outreach_series")

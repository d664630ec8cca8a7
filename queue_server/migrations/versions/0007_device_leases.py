"""device leases and device reports

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-10

One device worker drives each device: it holds the device's lease and renews it. The
status each worker reports of its devices is kept so every server process shows it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_leases",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("holder", sa.String(length=120), nullable=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("ttl_s", sa.Float(), nullable=False),
        sa.Column("renewed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_device_leases")),
    )
    op.create_table(
        "device_reports",
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("reporter", sa.String(length=120), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("interval_s", sa.Float(), nullable=False),
        sa.Column("reported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_device_reports")),
    )


def downgrade() -> None:
    op.drop_table("device_reports")
    op.drop_table("device_leases")

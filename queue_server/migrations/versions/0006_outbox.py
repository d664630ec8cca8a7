"""event outbox

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04

Events are written with the change they report, numbered by one global sequence
(``outbox_head``), and relayed from there to screens and device workers.
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
        "outbox",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("private", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_outbox")),
    )
    op.create_index("ix_outbox_at", "outbox", ["at"], unique=False)
    head = op.create_table(
        "outbox_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_head")),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0}])


def downgrade() -> None:
    op.drop_table("outbox_head")
    op.drop_index("ix_outbox_at", table_name="outbox")
    op.drop_table("outbox")

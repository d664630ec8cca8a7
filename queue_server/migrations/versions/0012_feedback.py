"""citizens' feedback (phản ánh, kiến nghị)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-19

One row per feedback, complaint or suggestion: kind, text, channel, optional service,
counter, ticket and rating, its handling (forwarded, answered) and a phone number only
with the citizen's consent (deleted on schedule after the answer).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from queue_server.core.models import UTCDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("due_day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("rating_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("forwarded_at", UTCDateTime(), nullable=True),
        sa.Column("forwarded_by", sa.String(length=80), nullable=True),
        sa.Column("forwarded_user_id", sa.Integer(), nullable=True),
        sa.Column("forwarded_unit", sa.String(length=120), nullable=True),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.Column("answered_by", sa.String(length=80), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("phone_consented_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name=op.f("fk_feedback_service_id_services")
        ),
        sa.ForeignKeyConstraint(
            ["counter_id"], ["counters.id"], name=op.f("fk_feedback_counter_id_counters")
        ),
        sa.ForeignKeyConstraint(
            ["forwarded_user_id"], ["users.id"], name=op.f("fk_feedback_forwarded_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    op.create_index("ix_feedback_day", "feedback", ["day"], unique=False)
    op.create_index("ix_feedback_status", "feedback", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_feedback_status", table_name="feedback")
    op.drop_index("ix_feedback_day", table_name="feedback")
    op.drop_table("feedback")

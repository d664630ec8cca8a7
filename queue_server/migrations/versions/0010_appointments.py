"""appointments (lịch hẹn)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05

Booked slots per service (a code, no personal data), the places taken per slot, and
the slot's start on the ticket issued at check-in (``tickets.due_at``, also kept in the
archive).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "appointments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("slot_start", sa.DateTime(), nullable=False),
        sa.Column("slot_end", sa.DateTime(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("booked_at", sa.DateTime(), nullable=False),
        sa.Column("checked_in_at", sa.DateTime(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name=op.f("fk_appointments_service_id_services")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointments")),
        sa.UniqueConstraint("code", name=op.f("uq_appointments_code")),
    )
    op.create_index("ix_appointments_day", "appointments", ["day", "service_id"])
    op.create_index("ix_appointments_slot", "appointments", ["service_id", "slot_start"])
    op.create_table(
        "appointment_slots",
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("slot_start", sa.DateTime(), nullable=False),
        sa.Column("taken", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name=op.f("fk_appointment_slots_service_id_services")
        ),
        sa.PrimaryKeyConstraint("service_id", "slot_start", name=op.f("pk_appointment_slots")),
    )
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("due_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("tickets_archive") as batch:
        batch.add_column(sa.Column("due_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tickets_archive") as batch:
        batch.drop_column("due_at")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("due_at")
    op.drop_table("appointment_slots")
    op.drop_index("ix_appointments_slot", table_name="appointments")
    op.drop_index("ix_appointments_day", table_name="appointments")
    op.drop_table("appointments")

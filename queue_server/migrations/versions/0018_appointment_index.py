"""appointment tickets indexed by their slot

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06

Call-next reads the earliest waiting appointments of each service. Without an index on
the slot the database read every waiting ticket of the service and sorted them, so a
call cost more the longer the queue. The index is partial: only appointment tickets
(``due_at`` set) are in it, so issuing a walk-in ticket does not write it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_APPOINTMENTS_ONLY = sa.text("due_at IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_tickets_appointments",
        "tickets",
        ["status", "day", "service_id", "due_at", "issued_at", "id"],
        sqlite_where=_APPOINTMENTS_ONLY,
        postgresql_where=_APPOINTMENTS_ONLY,
    )


def downgrade() -> None:
    op.drop_index("ix_tickets_appointments", table_name="tickets")

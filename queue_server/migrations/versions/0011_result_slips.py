"""result slips (giấy hẹn trả kết quả)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

One row per slip: its secret code, the served ticket, service and counter, the date
first promised and the date now promised, postponements (count and last reason), and
the "receive results" ticket it was collected with. No personal data.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "result_slips",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("issued_day", sa.Date(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("promised_on", sa.Date(), nullable=False),
        sa.Column("ready_on", sa.Date(), nullable=False),
        sa.Column("postponements", sa.Integer(), nullable=False),
        sa.Column("postpone_reason", sa.String(length=30), nullable=True),
        sa.Column("collect_ticket_id", sa.Integer(), nullable=True),
        sa.Column("collected_day", sa.Date(), nullable=True),
        sa.Column("collected_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["counter_id"], ["counters.id"], name=op.f("fk_result_slips_counter_id_counters")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name=op.f("fk_result_slips_service_id_services")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result_slips")),
        sa.UniqueConstraint("code", name=op.f("uq_result_slips_code")),
        sa.UniqueConstraint("ticket_id", name=op.f("uq_result_slips_ticket_id")),
        sa.UniqueConstraint("collect_ticket_id", name=op.f("uq_result_slips_collect_ticket_id")),
    )
    op.create_index("ix_result_slips_issued_day", "result_slips", ["issued_day"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_result_slips_issued_day", table_name="result_slips")
    op.drop_table("result_slips")

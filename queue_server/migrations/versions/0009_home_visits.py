"""home visits booked by phone

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05

Home visits (no personal data), the staff assigned to them, their outcomes, and apart
from them the phone number and address kept with consent (purged on schedule).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "home_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requested_day", sa.Date(), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("priority_id", sa.Integer(), nullable=True),
        sa.Column("preferred_days", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("visit_day", sa.Date(), nullable=True),
        sa.Column("window_start", sa.String(length=5), nullable=True),
        sa.Column("window_end", sa.String(length=5), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name=op.f("fk_home_visits_service_id_services")
        ),
        sa.ForeignKeyConstraint(
            ["priority_id"],
            ["priority_categories.id"],
            name=op.f("fk_home_visits_priority_id_priority_categories"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_home_visits")),
    )
    op.create_index("ix_home_visits_visit_day", "home_visits", ["visit_day"])
    op.create_index("ix_home_visits_requested_day", "home_visits", ["requested_day"])
    op.create_index("ix_home_visits_closed_at", "home_visits", ["closed_at"])
    op.create_table(
        "visit_officers",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["home_visits.id"], name=op.f("fk_visit_officers_visit_id_home_visits")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_visit_officers_user_id_users")
        ),
        sa.PrimaryKeyConstraint("visit_id", "user_id", name=op.f("pk_visit_officers")),
    )
    op.create_table(
        "visit_contacts",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("hamlet", sa.String(length=100), nullable=True),
        sa.Column("consented_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["home_visits.id"], name=op.f("fk_visit_contacts_visit_id_home_visits")
        ),
        sa.PrimaryKeyConstraint("visit_id", name=op.f("pk_visit_contacts")),
    )
    op.create_table(
        "visit_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("recorded_day", sa.Date(), nullable=False),
        sa.Column("new_day", sa.Date(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["home_visits.id"], name=op.f("fk_visit_outcomes_visit_id_home_visits")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_outcomes")),
    )
    op.create_index("ix_visit_outcomes_day", "visit_outcomes", ["day"])


def downgrade() -> None:
    op.drop_index("ix_visit_outcomes_day", table_name="visit_outcomes")
    op.drop_table("visit_outcomes")
    op.drop_table("visit_contacts")
    op.drop_table("visit_officers")
    op.drop_index("ix_home_visits_closed_at", table_name="home_visits")
    op.drop_index("ix_home_visits_requested_day", table_name="home_visits")
    op.drop_index("ix_home_visits_visit_day", table_name="home_visits")
    op.drop_table("home_visits")

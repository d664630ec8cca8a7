"""waiting counts kept by triggers on tickets

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05

``waiting_counts`` holds how many tickets wait (and how many of them are emergencies)
per service and local day; triggers on ``tickets`` keep it in the transaction of every
change, so ``queue_changed`` and issuing read one row instead of counting the queue
(``queue_server/core/waiting_counts.py``). The rows are filled from the tickets here.
A later migration that rebuilds ``tickets`` must create the triggers again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_ADD = (
    "INSERT INTO waiting_counts (service_id, day, waiting, emergencies) "
    "SELECT NEW.service_id, NEW.day, 1, CASE WHEN NEW.emergency THEN 1 ELSE 0 END "
    "WHERE NEW.status = 'waiting' "
    "ON CONFLICT (service_id, day) DO UPDATE SET waiting = waiting_counts.waiting + 1, "
    "emergencies = waiting_counts.emergencies + excluded.emergencies"
)
_REMOVE = (
    "UPDATE waiting_counts SET waiting = waiting - 1, "
    "emergencies = emergencies - CASE WHEN OLD.emergency THEN 1 ELSE 0 END "
    "WHERE service_id = OLD.service_id AND day = OLD.day AND OLD.status = 'waiting'"
)
# An update that moves a ticket into, out of or within the waiting set.
_MOVES = (
    "(OLD.status = 'waiting' OR NEW.status = 'waiting') AND NOT (OLD.status = NEW.status "
    "AND OLD.service_id = NEW.service_id AND OLD.day = NEW.day "
    "AND OLD.emergency = NEW.emergency)"
)

SQLITE = (
    "CREATE TRIGGER waiting_counts_insert AFTER INSERT ON tickets "
    f"WHEN NEW.status = 'waiting' BEGIN {_ADD}; END",
    "CREATE TRIGGER waiting_counts_update "
    "AFTER UPDATE OF status, service_id, day, emergency ON tickets "
    f"WHEN {_MOVES} BEGIN {_REMOVE}; {_ADD}; END",
    "CREATE TRIGGER waiting_counts_delete AFTER DELETE ON tickets "
    f"WHEN OLD.status = 'waiting' BEGIN {_REMOVE}; END",
)

POSTGRESQL = (
    f"""CREATE FUNCTION waiting_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NOT ({_MOVES}) THEN
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    {_REMOVE};
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    {_ADD};
  END IF;
  RETURN NULL;
END $$""",
    "CREATE TRIGGER waiting_counts_keep "
    "AFTER INSERT OR DELETE OR UPDATE OF status, service_id, day, emergency ON tickets "
    "FOR EACH ROW EXECUTE FUNCTION waiting_counts_keep()",
)

FILL = (
    "INSERT INTO waiting_counts (service_id, day, waiting, emergencies) "
    "SELECT service_id, day, COUNT(*), SUM(CASE WHEN emergency THEN 1 ELSE 0 END) "
    "FROM tickets WHERE status = 'waiting' GROUP BY service_id, day"
)


def upgrade() -> None:
    op.create_table(
        "waiting_counts",
        sa.Column("service_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("waiting", sa.Integer(), nullable=False),
        sa.Column("emergencies", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("service_id", "day", name=op.f("pk_waiting_counts")),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":  # no ticket changes between the fill and the triggers
        op.execute("LOCK TABLE tickets IN SHARE ROW EXCLUSIVE MODE")
    op.execute(FILL)
    for statement in POSTGRESQL if dialect == "postgresql" else SQLITE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS waiting_counts_keep ON tickets")
        op.execute("DROP FUNCTION IF EXISTS waiting_counts_keep()")
    else:
        for name in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS waiting_counts_{name}")
    op.drop_table("waiting_counts")

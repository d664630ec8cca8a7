"""outreach sites: package keys and imported rows

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05

``site_links`` keeps the HMAC key of each session's package; ``site_imports`` maps each
row brought back from a laptop (site, session, kind, source id) to the row made here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "site_links",
        sa.Column("session_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("site_code", sa.String(length=10), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("packaged_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_site_links")),
    )
    op.create_table(
        "site_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("site_code", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_imports")),
        sa.UniqueConstraint(
            "session_id", "site_code", "kind", "source_id", name="uq_site_imports_source"
        ),
    )
    op.create_index(
        "ix_site_imports_kind_target", "site_imports", ["kind", "target_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_site_imports_kind_target", table_name="site_imports")
    op.drop_table("site_imports")
    op.drop_table("site_links")

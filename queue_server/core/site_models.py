"""Tables of outreach sites (a laptop running one session alone) and their merge.

``site_links``: one row per package made at the center for a session: the HMAC key the
laptop signs its export with (the center keeps it to check the file back).
``site_imports``: one row per row brought in from a laptop: which (site, session, kind,
source id) became which row here, so importing the same file twice adds nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from queue_server.core.models import Base, UTCDateTime


class SiteLink(Base):
    """The signing key of an outreach session's package (one per session)."""

    __tablename__ = "site_links"

    session_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    site_code: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(64))  # hex HMAC-SHA256 key, also in the package
    packaged_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SiteImportRow(Base):
    """A row imported from a site: ``kind`` is ticket, event, rating, assist or feedback."""

    __tablename__ = "site_imports"
    __table_args__ = (
        UniqueConstraint(
            "session_id", "site_code", "kind", "source_id", name="uq_site_imports_source"
        ),
        Index("ix_site_imports_kind_target", "kind", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(Integer)
    site_code: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(12))
    source_id: Mapped[int] = mapped_column(Integer)
    target_id: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)

"""Every table module: importing :mod:`queue_server.core.models` imports this, so
``Base.metadata`` always holds the whole schema (migrations compare against it)."""

from queue_server.core import (
    appointment_models,
    assistance_table,
    devicetables,
    feedback_model,
    outreach_models,
    outreach_tables,
    site_models,
    slip_tables,
    visit_models,
    waiting_counts,
)

__all__ = [
    "appointment_models",
    "assistance_table",
    "devicetables",
    "feedback_model",
    "outreach_models",
    "outreach_tables",
    "site_models",
    "slip_tables",
    "visit_models",
    "waiting_counts",
]

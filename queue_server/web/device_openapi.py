"""The OpenAPI description of the routes a device worker of its own uses
(``queue_server/web/device_api.py``): print jobs' states, the devices' status, leases."""

from __future__ import annotations

from pydantic import BaseModel, Field

from queue_server.web.device_api import LeaseRequest, PrintJobReport, StatusReport
from queue_server.web.openapi_table import Route, path_param
from queue_server.web.ticket_openapi import PrintJob

DEVICE = "device (xephang devices), admin"


class PrintJobRecorded(BaseModel):
    job: PrintJob
    recorded: bool = Field(description="False: if_absent, and the job was recorded already.")


class StatusStored(BaseModel):
    stored: int = Field(ge=0)


class Lease(BaseModel):
    key: str
    holder: str | None
    version: int
    ttl_s: float
    held: bool = Field(description="Held by the claimant now.")
    gained: bool = Field(description="Held now and not before this claim.")


class Leases(BaseModel):
    leases: list[Lease]


DEVICE_ANSWERS: tuple[type[BaseModel], ...] = (
    PrintJobRecorded,
    StatusStored,
    Leases,
)


# fmt: off
DEVICE_ROUTES: tuple[Route, ...] = (
    Route("post", "/print-jobs/{job_id}", "report_print_job",
          "A device worker reports a print job's new state",
          {200: ("PrintJobRecorded", "Recorded (or kept, with if_absent).")},
          roles=DEVICE, body=PrintJobReport, params=(path_param("job_id"),),
          errors=(400, 401, 403, 404, 413, 503)),
    Route("put", "/devices/status", "report_device_status",
          "A device worker reports the status of the devices it drives",
          {200: ("StatusStored", "Kept; every server process shows it in /readyz.")},
          roles=DEVICE, body=StatusReport, errors=(400, 401, 403, 413, 503)),
    Route("post", "/devices/leases", "device_leases",
          "A device worker claims, renews or releases the leases of its devices",
          {200: ("Leases", "Each claimed lease as the claim left it, in key order.")},
          roles=DEVICE, body=LeaseRequest, errors=(400, 401, 403, 413, 503)),
)
# fmt: on

"""The demo center's outreach schedule, dated relative to the demo's today.

Seed 004's LỊCH: Saturday mornings 08:00–11:30 every two weeks at the cultural houses of
residential groups. The demo plans five, around the coming Saturday S (today when it is
Saturday): S−28 and S−14 in the past (held, site code ``L1``: the history plays their
tickets), S, S+14 and S+28 ahead. One recurring pattern; written once, in one
transaction, into an empty schedule.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time, timedelta

from sqlalchemy import func, insert, select

from queue_server.core.operations import Queue
from queue_server.core.outreach_models import OutreachSession, SessionStatus
from queue_server.core.outreach_tables import OutreachSeries
from queue_server.demo.notice import coming_saturday

STARTS, ENDS = time(8, 0), time(11, 30)
SITE_CODE = "L1"
# (weeks from the coming Saturday, place, services ("" all), notes)
SESSIONS = (
    (-4, "Nhà văn hóa tổ dân phố Ngọc Lặc", "HT,CT,BTXH", "Tổ trưởng tổ dân phố Ngọc Lặc hỗ trợ."),
    (-2, "Nhà văn hóa tổ dân phố Mỹ Xá", "HT,CT,CTR", "Tổ trưởng tổ dân phố Mỹ Xá hỗ trợ."),
    (0, "Nhà văn hóa tổ dân phố Phạm Xá", "", "Hướng dẫn tạo tài khoản định danh điện tử (VNeID)."),
    (
        2,
        "Nhà văn hóa tổ dân phố Ngọc Lặc",
        "HT,CT,BTXH,NCC",
        "Mang theo CCCD và sổ hộ nghèo (nếu có).",
    ),
    (4, "Nhà văn hóa tổ dân phố Mỹ Xá", "HT,CT,CTR", ""),
)


def plan_demo_outreach(queue: Queue, staff_ids: Sequence[int]) -> int:
    """Write the demo's sessions unless the schedule has some; how many were written."""
    saturday = coming_saturday(queue.today())
    now = queue.clock.now()
    with queue.db.write() as conn:
        if conn.execute(select(func.count()).select_from(OutreachSession)).scalar_one():
            return 0
        series_id = conn.execute(
            insert(OutreachSeries)
            .values(every="two_weeks", first_day=saturday - timedelta(weeks=4))
            .values(until=saturday + timedelta(weeks=4), created_by="demo", created_at=now)
            .returning(OutreachSeries.id)
        ).scalar_one()
        rows = [
            {
                "day": saturday + timedelta(weeks=weeks),
                "starts": STARTS,
                "ends": ENDS,
                "place": place,
                "services": services,
                "staff_ids": ",".join(str(uid) for uid in staff_ids),
                "notes": notes,
                "site_code": SITE_CODE,
                "series_id": series_id,
                "status": SessionStatus.PLANNED.value,
                "created_at": now,
            }
            for weeks, place, services, notes in SESSIONS
        ]
        conn.execute(insert(OutreachSession), rows)
    return len(rows)

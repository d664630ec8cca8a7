"""Citizens' feedback in the demo history: a few records a day, most answered later.

At the end of each played day, some feedback comes in from the help desk and from the
tracking pages of that day's served tickets; records of earlier days get their answer
(a few stay open, some past due). Each day draws from a random generator of its own, so
the rest of the history stays exactly as it was.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from datetime import time as dt_time

from sqlalchemy import select

from queue_server.core.feedback import Feedbacks, Submission
from queue_server.core.feedback_config import FeedbackConfig
from queue_server.core.models import Feedback, Ticket, TicketStatus
from queue_server.core.operations import Queue

PER_DAY = (0, 3)
ANSWER_SHARE = 0.6  # of the open records, answered on a later day
FROM_TRACKING_SHARE = 0.4
SAID: tuple[tuple[str, str], ...] = (
    ("complaint", "Chờ hơn một tiếng ở quầy Hộ tịch, đề nghị bố trí thêm cán bộ giờ cao điểm."),
    ("feedback", "Màn hình gọi số ở sảnh chữ hơi nhỏ, người cao tuổi khó nhìn."),
    ("suggestion", "Nên có thêm ghế ngồi và nước uống cho người chờ."),
    ("feedback", "Cán bộ hướng dẫn nhiệt tình, nhưng biểu mẫu kê khai khó hiểu."),
    ("complaint", "Được hẹn trả kết quả hôm nay nhưng chưa có, không được báo trước."),
    ("suggestion", "Đề nghị niêm yết rõ phí, lệ phí chứng thực ở bảng thông tin."),
    ("feedback", "Loa gọi số ở khu chờ phía sau nghe không rõ."),
    ("suggestion", "Mong trung tâm hỗ trợ làm thủ tục vào sáng thứ Bảy."),
)
ANSWERS = (
    "Trung tâm đã tiếp thu, bố trí thêm một công chức vào giờ cao điểm buổi sáng.",
    "Đã điều chỉnh cỡ chữ và âm lượng; cảm ơn ông/bà đã góp ý.",
    "Đã chuyển bộ phận chuyên môn xử lý và liên hệ trả lời trực tiếp.",
    "Ý kiến đã được báo cáo lãnh đạo UBND xã để xem xét.",
)
UNITS = ("Văn phòng HĐND và UBND xã", "Phòng Văn hóa - Xã hội")
END_OF_DAY = dt_time(16, 30)


def play_feedback(queue: Queue, config: FeedbackConfig | None, seed: int, day: date) -> int:
    """Answer some open records, then record the day's new ones; how many were recorded."""
    feedback = Feedbacks(queue, config or FeedbackConfig())
    rng = random.Random(f"{seed}/feedback/{day.isoformat()}")
    zone = queue.options.zone
    moment = max(queue.clock.now(), datetime.combine(day, END_OF_DAY, zone))
    _set(queue, moment)
    for open_id in _open_before(queue, day):
        if rng.random() < ANSWER_SHARE:
            if rng.random() < 0.5:
                feedback.forward(open_id, actor="user:quanly", unit=rng.choice(UNITS))
            feedback.answer(open_id, rng.choice(ANSWERS), actor="user:quanly")
    codes = _served_codes(queue, day)
    count = rng.randint(*PER_DAY)
    for _ in range(count):
        _set(queue, queue.clock.now() + timedelta(minutes=rng.uniform(1, 8)))
        kind, text = rng.choice(SAID)
        if codes and rng.random() < FROM_TRACKING_SHARE:
            feedback.record_from_ticket(rng.choice(codes), Submission(kind, text))
        else:
            feedback.record(Submission(kind, text), actor="user:hotro")
    return count


def _open_before(queue: Queue, day: date) -> list[int]:
    with queue.db.read() as conn:
        return list(
            conn.execute(
                select(Feedback.id)
                .where(Feedback.status != "answered", Feedback.day < day)
                .order_by(Feedback.id)
            ).scalars()
        )


def _served_codes(queue: Queue, day: date) -> list[str]:
    with queue.db.read() as conn:
        return list(
            conn.execute(
                select(Ticket.track_code)
                .where(Ticket.day == day, Ticket.status == TicketStatus.DONE)
                .order_by(Ticket.id)
            ).scalars()
        )


def _set(queue: Queue, moment: datetime) -> None:
    set_moment = getattr(queue.clock, "set", None)
    if set_moment is not None:
        set_moment(moment)

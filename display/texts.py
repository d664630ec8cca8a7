"""Every text shown on the live screens, as gettext message ids (English ids).

Templates and scripts never hold words of their own: the server translates these
dictionaries into the page's languages and hands them to the template (``t``) and,
as JSON, to the script.
"""

from __future__ import annotations

from xephang.i18n import N_, translate

COMMON: dict[str, str] = {
    "counter": N_("Counter"),
    "offline": N_("Connection lost"),
    "no_access": N_("This screen has no valid access key. Ask the administrator."),
    "priority": N_("Priority"),
    "emergency": N_("Emergency"),
    "cancel": N_("Cancel"),
    "failed": N_("The request failed."),
}

DISPLAY: dict[str, str] = {
    "title": N_("Call display"),
    "please": N_("Number"),
    "go_to": N_("please come to"),
    "recent": N_("Recent calls"),
    "counters": N_("Counters"),
    "waiting": N_("Waiting"),
    "no_calls": N_("No number has been called yet."),
    "recall": N_("Called again"),
    "paused": N_("Paused"),
    "closed": N_("Closed"),
    "sound_on": N_("Turn the sound on"),
}

# Appointments (lịch hẹn): the kiosk's check-in and booking, the help desk's panel,
# the public booking page and the slip.
APPOINTMENT: dict[str, str] = {
    "appt_title": N_("Appointments"),
    "appt_have": N_("I have an appointment"),
    "appt_book_other": N_("Book an appointment for another day"),
    "appt_enter_code": N_("Enter the code on your appointment slip"),
    "appt_code": N_("Appointment code"),
    "appt_delete": N_("Delete"),
    "appt_confirm": N_("Confirm"),
    "appt_service": N_("Service"),
    "appt_day": N_("Day"),
    "appt_time": N_("Time"),
    "appt_choose_service": N_("Choose a service"),
    "appt_choose_day": N_("Choose a day"),
    "appt_choose_time": N_("Choose a time"),
    "appt_free": N_("{free} places left"),
    "appt_full": N_("Full"),
    "appt_no_slots": N_("No time is free on this day."),
    "appt_slip": N_("Appointment slip"),
    "appt_bring": N_("Please bring"),
    "appt_keep_code": N_(
        "Keep this code. When you come, enter it at the kiosk or show it at the help desk."
    ),
    "appt_print": N_("Print the slip"),
    "appt_on_time": N_("Your number {number} will be called from {time}."),
    "appt_late": N_("You came after your appointment time: number {number} is served in turn."),
    "appt_check_in": N_("Check in"),
    "appt_cancel": N_("Cancel"),
    "appt_list": N_("Today's appointments"),
    "appt_none": N_("No appointments today."),
    "appt_booked": N_("Booked: code {code}."),
    "appt_checked_in": N_("Checked in: ticket {number}."),
    "appt_cancelled": N_("Appointment {code} cancelled."),
    "appt_privacy": N_("No name or phone number is asked."),
    "appt_booked_status": N_("Booked"),
    "appt_checked_in_status": N_("Came on time"),
    "appt_late_status": N_("Came late"),
    "appt_cancelled_status": N_("Cancelled"),
    "appt_no_show_status": N_("Did not come"),
}

KIOSK: dict[str, str] = {
    **APPOINTMENT,
    "title": N_("Take a number"),
    "choose_service": N_("Please choose a service"),
    "priority_question": N_("Do you belong to a priority group?"),
    "no_priority": N_("No"),
    "back": N_("Back"),
    "your_number": N_("Your number"),
    "ahead": N_("People ahead of you: {count}"),
    "wait": N_("Estimated wait: about {minutes} minutes"),
    "wait_short": N_("Estimated wait: less than a minute"),
    "take_ticket": N_("Please take your ticket and wait to be called."),
    "print_failed": N_(
        "The printer is not working. Please remember your number, or ask the help desk."
    ),
    "printing": N_("Printing your ticket…"),
    "no_printer": N_("Please remember your number and wait to be called."),
    "issue_failed": N_("No number could be given. Please ask the help desk."),
    "busy": N_("Please wait…"),
    "done": N_("Done"),
}

OFFICER: dict[str, str] = {
    "title": N_("Officer console"),
    "choose_counter": N_("Choose your counter"),
    "change_counter": N_("Change counter"),
    "next": N_("Call next number"),
    "recall": N_("Recall"),
    "no_show": N_("No-show"),
    "finish": N_("Finish"),
    "transfer": N_("Transfer"),
    "call_number": N_("Call a specific number"),
    "call": N_("Call"),
    "pause": N_("Pause"),
    "resume": N_("Resume"),
    "paused": N_("This counter is paused."),
    "current": N_("Now serving"),
    "nobody": N_("Nobody at this counter."),
    "waiting_list": N_("Waiting list"),
    "nobody_waiting": N_("Nobody is waiting."),
    "served_today": N_("Served today: {count}"),
    "elapsed": N_("Time at counter"),
    "transfer_to": N_("Transfer to which service?"),
    "transfer_counter": N_("Or to another counter of the same service:"),
    "transferred": N_("{number} transferred to {target}."),
    "no_show_done": N_("{number} marked as absent."),
    "finished": N_("{number} finished."),
    "paused_done": N_("The counter is paused."),
    "resumed": N_("The counter is open again."),
    "nothing_current": N_("No ticket is being served at this counter."),
    "ask_resume": N_("This counter is paused. Open it again and call?"),
    "resume_and_call": N_("Open and call"),
    "stay_paused": N_("Stay paused"),
    "take_over": N_("Take over this counter"),
    "not_waiting": N_("Number {number} is not in this counter's waiting list."),
    "ticket_number": N_("Ticket number"),
    "shortcuts": N_(
        "Keys: Enter or + next · * recall · - no-show · / finish · 0 transfer · . pause"
    ),
    "sign_out": N_("Sign out"),
    "called": N_("Called {number}"),
    "recalled": N_("Called {number} again"),
    "no_one": N_("Nobody is waiting; no number was called."),
    "ratings_today": N_("Your ratings today: {count}"),
    "ratings_breakdown": N_(
        "Very satisfied {very} · Satisfied {satisfied} · Not satisfied {not_satisfied}"
        " · {percent} % satisfied"
    ),
    "ratings_few": N_("The breakdown is shown from {min} ratings."),
}

# Help records (lượt hỗ trợ): the help desk's panel and the volunteers' page.
ASSIST: dict[str, str] = {
    "assist_title": N_("Record help given"),
    "assist_privacy": N_("No names or ID numbers are recorded."),
    "assist_kind": N_("Kind of help: one tap records it"),
    "assist_service": N_("Service (optional)"),
    "assist_no_service": N_("Not given"),
    "assist_ticket": N_("For ticket {number}, just issued"),
    "assist_saved": N_("Recorded: {kind}. Thank you!"),
    "assist_already": N_("Already recorded for this ticket: {kind}."),
}

ASSIST_PAGE: dict[str, str] = {
    **ASSIST,
    "title": N_("Help records"),
    "category": N_("Priority category"),
    "none": N_("None"),
    "sign_out": N_("Sign out"),
}

HELPDESK: dict[str, str] = {
    **ASSIST,
    **APPOINTMENT,
    "title": N_("Help desk"),
    "issue": N_("Issue a ticket"),
    "service": N_("Service"),
    "category": N_("Priority category"),
    "none": N_("None"),
    "issued": N_("Issued tickets"),
    "reprint": N_("Reprint"),
    "reprint_sent": N_("Ticket {number} sent to the printer again."),
    "issued_one": N_("Issued {number}"),
    "waiting_count": N_("{count} waiting"),
    "sign_out": N_("Sign out"),
    # Callbacks: a phone number kept only with the citizen's consent (records part).
    "contact": N_("Phone number for a callback (optional)"),
    "phone": N_("Phone number"),
    "purpose": N_("Purpose"),
    "purpose_callback": N_("Call back"),
    "purpose_home_visit": N_("Home visit"),
    "consent": N_(
        "The citizen agrees that the center keeps this number to contact them; "
        "it is deleted after {days} days."
    ),
    "consent_needed": N_("Tick the consent box, or leave the phone number empty."),
    "issued_contact": N_("Issued {number}; the phone number is kept for the callback."),
    "callbacks": N_("Callbacks today"),
    "callbacks_note": N_("Only for calling back; deleted after {days} days."),
    "no_callbacks": N_("No phone number was given today."),
    "forget": N_("Delete number"),
    "forgotten": N_("The phone number for {number} was deleted."),
}

# The satisfaction question, shared by the counter tablet and the tracking page.
RATING: dict[str, str] = {
    "question": N_("Are you satisfied with our service?"),
    "very_satisfied": N_("Very satisfied"),
    "satisfied": N_("Satisfied"),
    "not_satisfied": N_("Not satisfied"),
    "reasons_question": N_("What was not good? (optional)"),
    "send": N_("Send"),
    "thanks": N_("Thank you for your rating!"),
    "confidential": N_("Your rating is anonymous and confidential."),
    "ticket": N_("Ticket {number}"),
    "already": N_("This ticket has already been rated. Thank you."),
}

RATE: dict[str, str] = {
    **RATING,
    "title": N_("Satisfaction rating"),
    "idle": N_("Thank you for coming"),
    "idle_hint": N_("After you are served, please tell us how it went."),
    "missing": N_("This counter does not exist. Ask the administrator."),
}

TRACK: dict[str, str] = {
    **RATING,
    "appt_book_other": APPOINTMENT["appt_book_other"],
    "title": N_("Your ticket"),
    "service": N_("Service"),
    "waiting": N_("Please wait until your number is called."),
    "called": N_("Your number is being called: please come to {counter}."),
    "serving": N_("You are being served at {counter}."),
    "done": N_("You have been served."),
    "no_show": N_("Your number was called while you were away. Please ask the help desk."),
    "cancelled": N_("This ticket was cancelled."),
    "ahead": N_("People ahead of you: {count}"),
    "wait": N_("Estimated wait: about {minutes} minutes"),
    "soon": N_("It is almost your turn."),
    "updated": N_("Updated at {time}"),
    "closed": N_("This ticket can no longer be rated."),
    "missing": N_(
        "We could not find this ticket. Please check the code on your ticket or ask the help desk."
    ),
}

BOOK: dict[str, str] = {
    **APPOINTMENT,
    "title": N_("Book an appointment"),
    "missing": N_("We could not find this appointment. Please check the code."),
}

PAGES: dict[str, dict[str, str]] = {
    "display": DISPLAY,
    "kiosk": KIOSK,
    "officer": OFFICER,
    "helpdesk": HELPDESK,
    "assist": ASSIST_PAGE,
    "rate": RATE,
    "track": TRACK,
    "book": BOOK,
    "slip": BOOK,
}

# Language names as their speakers write them (never translated).
LANGUAGE_NAMES: dict[str, str] = {
    "vi": "Tiếng Việt",
    "en": "English",
    "fr": "Français",
    "zh": "中文",
    "km": "ភាសាខ្មែរ",
    "lo": "ພາສາລາວ",
}


def texts(page: str, language: str) -> dict[str, str]:
    """The common and ``page`` texts translated into ``language``."""
    messages = {**COMMON, **PAGES[page]}
    return {key: translate(message, language) for key, message in messages.items()}

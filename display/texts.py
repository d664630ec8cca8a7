"""Every text shown on the live screens, as gettext message ids (English ids).

Templates and scripts never hold words of their own: the server translates these
dictionaries into the page's languages and hands them to the template (``t``) and,
as JSON, to the script.
"""

from __future__ import annotations

from xephang.display.access_texts import KIOSK_ACCESS, OFFICER_ACCESS
from xephang.display.panel_texts import (
    ALERTS,
    APPOINTMENT,
    ASSIST,
    FEEDBACK_FORM,
    PAPER,
    RATING,
    ROLE_NAMES,
    VISITS,
)
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
    # The server is unreachable (docs/outages.md): what citizens do.
    "offline_paper": N_("Please take a paper ticket at the help desk."),
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
    # The server is unreachable (docs/outages.md): what citizens do.
    "offline_paper": N_("Please take a paper ticket at the help desk."),
    "clock_wrong": N_(
        "Numbers cannot be given for a moment. Please ask the help desk: the staff know."
    ),
    "busy": N_("Please wait…"),
    "done": N_("Done"),
    "code_question": N_("Enter the code on your result slip"),
    "code_hint": N_("10 letters and digits, as printed on the slip."),
    "code_label": N_("Result code"),
    "delete": N_("Delete"),
    "next": N_("Continue"),
    "ready_on": N_("Results ready on {date}"),
    # Calls for assistance: the one big button and what follows it.
    "need_help": N_("I need help"),
    "help_coming": N_("A staff member is coming to help you. Please wait here."),
    "help_cancel": N_("I no longer need help"),
    "help_failed": N_("Help could not be called. Please go to the help desk."),
}


OFFICER: dict[str, str] = {
    **VISITS,
    **ROLE_NAMES,
    **PAPER,
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
    "slip_title": N_("Result slip"),
    "slip_for": N_("For {number}, just finished"),
    "slip_date": N_("Results ready on"),
    "slip_give": N_("Give a result slip"),
    "slip_given": N_("Slip {code} given: results ready on {date}."),
    "slip_print": N_("Print the slip"),
    "slip_postpone": N_("Postpone a result"),
    "slip_code": N_("Result code"),
    "slip_new_date": N_("New date"),
    "slip_reason": N_("Reason"),
    "slip_postponed": N_("Slip {code}: results now ready on {date}."),
    # Calls for assistance from the counter.
    "help_ask": N_("Help needed at the counter"),
    "help_reason": N_("What help is needed?"),
    "help_sent": N_("Help requested: {reason}"),
    "help_on_way": N_("{who} is on the way: {reason}"),
    "help_cancel": N_("Cancel the request"),
}


ASSIST_PAGE: dict[str, str] = {
    **ASSIST,
    **ALERTS,
    "title": N_("Help records"),
    "category": N_("Priority category"),
    "none": N_("None"),
    "sign_out": N_("Sign out"),
}

VISIT_PRINT: dict[str, str] = {
    "title": N_("Home visit list"),
    "day": N_("Day"),
    "show": N_("Show"),
    "print": N_("Print the list"),
    "window": N_("Time"),
    "service": N_("Service"),
    "category": N_("Priority"),
    "where": N_("Address / hamlet"),
    "phone": N_("Phone"),
    "officers": N_("Officers"),
    "result": N_("Outcome (tick one)"),
    "empty": N_("No home visit is planned for this day."),
    "privacy": N_(
        "Contains personal data: keep this list with you and destroy it after the visits."
    ),
    "purged": N_("(deleted)"),
    "outcomes": N_("Dossier received · Advice only · Not at home · Cancelled · New date: ……"),
}


FEEDBACK_PAGE: dict[str, str] = {
    "title": N_("Citizens' feedback"),
    "sign_out": N_("Sign out"),
    "from": N_("From"),
    "to": N_("To"),
    "status": N_("Status"),
    "channel": N_("Channel"),
    "all": N_("All"),
    "overdue_only": N_("Overdue only"),
    "show": N_("Show"),
    "received": N_("Received"),
    "forwarded": N_("Forwarded"),
    "answered": N_("Answered"),
    "overdue": N_("Overdue"),
    "helpdesk": N_("At the help desk"),
    "track": N_("From the tracking page"),
    "rating": N_("With a 'not satisfied' rating"),
    "due": N_("Due {day}"),
    "none_found": N_("No feedback for these filters."),
    "forward_to_user": N_("Forward to a staff member"),
    "forward_to_unit": N_("or to a unit"),
    "forward": N_("Forward"),
    "forwarded_to": N_("Forwarded to {target}"),
    "answer_text": N_("Answer given to the citizen"),
    "answer": N_("Record the answer"),
    "answered_by": N_("Answered by {who} on {day}"),
    "phone_given": N_("Phone for the answer: {phone}"),
    "has_phone": N_("The citizen left a phone number for the answer."),
    "saved": N_("Saved."),
    "choose": N_("Choose…"),
}

HELPDESK: dict[str, str] = {
    **ASSIST,
    **PAPER,
    **VISITS,
    **FEEDBACK_FORM,
    **ALERTS,
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
    "result_code": N_("Result code"),
    "result_code_hint": N_("For “receive results”: the code on the slip"),
    "result_code_needed": N_("Enter the code on the result slip first."),
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
    "fb_title": N_("Send feedback or a suggestion"),
    "fb_kind": N_("Kind"),
    "fb_text": N_("Your feedback"),
    "fb_phone": N_("Phone number, if you want an answer (optional)"),
    "fb_consent": N_(
        "I agree that the center keeps this number to call me back with the answer; "
        "it is deleted {days} days after the answer."
    ),
    "fb_send": N_("Send feedback"),
    "fb_sent": N_("Thank you. Your feedback was received (no. {id})."),
    "fb_empty": N_("Please write your feedback."),
    "slip": N_("Your results will be ready on {date}."),
    "slip_open": N_("Open the result slip"),
    "missing": N_(
        "We could not find this ticket. Please check the code on your ticket or ask the help desk."
    ),
}

RESULT_SLIP: dict[str, str] = {
    "title": N_("Result collection slip"),
    "service": N_("Service"),
    "ticket": N_("Ticket {number}"),
    "ready_on": N_("Results ready on"),
    "code": N_("Result code"),
    "how": N_(
        "On that day or later, take a “{service}” ticket at the kiosk and enter this code, "
        "or show this slip at the help desk."
    ),
    "bring": N_("Please bring"),
    "postponed": N_("The date was moved; the first date given was {date}."),
    "collected": N_("This result has been collected."),
    "issued": N_("Issued on {date}"),
    "print": N_("Print this slip"),
    "missing": N_("We could not find this slip. Please check the code or ask the help desk."),
}

BOOK: dict[str, str] = {
    **APPOINTMENT,
    "title": N_("Book an appointment"),
    "missing": N_("We could not find this appointment. Please check the code."),
}

PAGES: dict[str, dict[str, str]] = {
    "display": DISPLAY,
    "kiosk": KIOSK | KIOSK_ACCESS,
    "officer": OFFICER | OFFICER_ACCESS,
    "helpdesk": HELPDESK,
    "assist": ASSIST_PAGE,
    "visits_print": VISIT_PRINT,
    "feedback": FEEDBACK_PAGE,
    "rate": RATE,
    "track": TRACK,
    "result_slip": RESULT_SLIP,
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

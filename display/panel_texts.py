"""Texts of the panels several pages share (appointments, home visits, paper tickets,
help records, calls for assistance, feedback, ratings, staff roles): English msgids,
translated by the catalogues; :mod:`.texts` puts them together per page."""

from __future__ import annotations

from xephang.i18n import N_

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
    # The slip booked at a kiosk, printed on its printer (apptslip.po).
    "appt_slip_printing": N_("Printing your appointment slip…"),
    "appt_slip_printed": N_("Take your appointment slip below the screen."),
    "appt_slip_failed": N_("The slip could not be printed: please note the code above."),
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


# Home visits booked by phone: shared by the help desk's panel and the officer console.
VISITS: dict[str, str] = {
    "v_title": N_("Home visits booked by phone"),
    "v_phone": N_("Phone number"),
    "v_address": N_("Address"),
    "v_hamlet": N_("Hamlet (tổ dân phố)"),
    "v_service": N_("Service"),
    "v_category": N_("Priority category"),
    "v_none": N_("None"),
    "v_days": N_("Preferred days"),
    "v_day_1": N_("Mon"),
    "v_day_2": N_("Tue"),
    "v_day_3": N_("Wed"),
    "v_day_4": N_("Thu"),
    "v_day_5": N_("Fri"),
    "v_day_6": N_("Sat"),
    "v_day_7": N_("Sun"),
    "v_consent": N_(
        "The citizen agrees that the center keeps this phone number and address to "
        "arrange the visit; they are deleted {days} days after the visit is closed."
    ),
    "v_consent_needed": N_("Tick the consent box: without it nothing is kept."),
    "v_register": N_("Register the request"),
    "v_registered": N_("Home visit request {id} registered."),
    "v_open": N_("Open requests and visits"),
    "v_empty": N_("No open home visit."),
    "v_requested": N_("Waiting for a date"),
    "v_scheduled": N_("Scheduled"),
    "v_visit_day": N_("Visit date"),
    "v_from": N_("Start time"),
    "v_to": N_("End time"),
    "v_officer": N_("Officer"),
    "v_schedule": N_("Schedule"),
    "v_scheduled_one": N_("Home visit {id} scheduled for {day}."),
    "v_done_dossier": N_("Done, dossier received"),
    "v_done_advice": N_("Done, advice only"),
    "v_not_home": N_("Not at home"),
    "v_cancel": N_("Cancel the visit"),
    "v_reschedule": N_("Reschedule"),
    "v_new_day": N_("New date"),
    "v_outcome": N_("Outcome"),
    "v_record": N_("Record the outcome"),
    "v_visit": N_("Home visit {id}"),
    "v_recorded": N_("Outcome recorded for home visit {id}."),
    "v_print": N_("Print the visit list"),
    "v_today": N_("My home visits today"),
    "v_none_today": N_("No home visit for you today."),
    "v_refresh": N_("Refresh"),
}


# Who took a call for assistance: a role and a first name.
ROLE_NAMES: dict[str, str] = {
    "role_helpdesk": N_("Help desk"),
    "role_volunteer": N_("Volunteer"),
    "role_officer": N_("Officer"),
    "role_manager": N_("Manager"),
    "role_admin": N_("Administrator"),
}


# Paper tickets of an outage, entered afterwards (officer console and help desk;
# docs/outages.md).
PAPER: dict[str, str] = {
    "paper_title": N_("Enter paper tickets (after an outage)"),
    "paper_hint": N_(
        "For tickets handed out on paper while the system was down: type what is written "
        "on each ticket; Enter saves it and starts the next one."
    ),
    "paper_day": N_("Day"),
    "paper_number": N_("Paper number"),
    "paper_service": N_("Service"),
    "paper_category": N_("Priority category"),
    "paper_no_category": N_("None"),
    "paper_issued": N_("Taken at"),
    "paper_called": N_("Called at"),
    "paper_finished": N_("Finished at"),
    "paper_counter": N_("Counter"),
    "paper_outcome": N_("Outcome"),
    "paper_done": N_("Served"),
    "paper_no_show": N_("Absent when called"),
    "paper_cancelled": N_("Left before the call"),
    "paper_save": N_("Save paper ticket"),
    "paper_saved": N_("Paper ticket {number} saved."),
    "paper_entered": N_("Entered now"),
    "paper_bad_day": N_("Type the day as on the ticket, e.g. 05/12/2026."),
    "paper_bad_time": N_("Type the times as on the ticket, e.g. 08:30."),
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


# Calls for assistance as the helpers see them (help desk, /assist, the manager).
ALERTS: dict[str, str] = {
    "alerts_title": N_("Calls for help"),
    "alerts_none": N_("Nobody is asking for help now."),
    "alert_kiosk": N_("Kiosk {name}"),
    "alert_counter": N_("Counter {number}"),
    "alert_waiting": N_("Waiting {time}"),
    "alert_accept": N_("I will go"),
    "alert_taken": N_("Taken by {who}"),
    "alert_mine": N_("You took this call."),
    "alert_kind": N_("Help given"),
    "alert_close": N_("Done: record the help"),
    "alert_closed": N_("Closed; the help was recorded."),
    "alert_manager": N_("For the manager"),
    "alert_sound": N_("Turn the alert sound on"),
    "alert_new": N_("New call for help: {where}"),
    **ROLE_NAMES,
}


# Citizens' feedback (phản ánh, kiến nghị): the help desk's form, the staff page.
FEEDBACK_FORM: dict[str, str] = {
    "fb_title": N_("Record feedback or a complaint"),
    "fb_kind": N_("Kind"),
    "fb_text": N_("What the citizen says"),
    "fb_service": N_("Service concerned (optional)"),
    "fb_counter": N_("Counter concerned (optional)"),
    "fb_none": N_("Not given"),
    "fb_phone": N_("Phone number for the answer (optional)"),
    "fb_consent": N_(
        "The citizen agrees to be called back with the answer; the number is deleted "
        "{days} days after the answer."
    ),
    "fb_save": N_("Record"),
    "fb_saved": N_("Recorded (no. {id}); to be answered by {due}."),
    "fb_empty": N_("Write what the citizen says."),
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
    "comment": N_("Anything to add? (optional)"),
}

/* Appointments on the kiosk, the help desk and the public page: pick a slot and book
 * (the slip), check in by code, and the desk's list. No name, no phone number. */
(function () {
  "use strict";
  const { data, t, el, api } = window.XP;
  const $ = (id) => document.getElementById(id);
  const body = document.body.classList;
  const kiosk = body.contains("kiosk");
  const desk = body.contains("helpdesk");
  const kioskToken = kiosk ? window.XP.token("kiosk") : null;
  const dayFormat = window.XP.formatter({ weekday: "long", day: "2-digit", month: "2-digit" });
  const timeFormat = window.XP.formatter({ hour: "2-digit", minute: "2-digit", hour12: false });
  const choice = { service: null, day: null, start: null };
  let bookingKey = null;

  function dayLabel(iso) { return dayFormat.format(new Date(iso + "T05:00:00Z")); }
  function timeLabel(iso) { return timeFormat.format(new Date(iso)); }

  /* The same call for the three screens: the kiosk's token, the desk's session, or
   * nothing at all (the citizen's page). */
  function send(path, payload, key) {
    if (desk) return window.XP.staff.post(path, payload);
    return api("POST", path, payload, { token: kioskToken, key });
  }

  function say(id, text, isError) {
    const node = $(id);
    if (!node) return;
    node.textContent = text || "";
    node.classList.toggle("error", Boolean(isError));
  }

  function press(container, button) {
    for (const other of container.querySelectorAll("button")) {
      other.setAttribute("aria-pressed", other === button ? "true" : "false");
    }
  }

  function drawServices() {
    $("appt-services").replaceChildren(...data.appointment_services.map((s) =>
      el("button", { type: "button", class: "ap-choice", "data-appt-service": s.code, "aria-pressed": "false" }, s.name)));
  }

  function drawDays() {
    const box = $("appt-days");
    box.replaceChildren(...data.appointment_days.map((iso) =>
      el("button", { type: "button", class: "ap-choice", "data-appt-day": iso, "aria-pressed": "false" }, dayLabel(iso))));
  }

  async function drawTimes() {
    const box = $("appt-times");
    box.replaceChildren();
    choice.start = null;
    $("appt-confirm").disabled = true;
    say("appt-times-note", "");
    if (!choice.service || !choice.day) return;
    try {
      const query = `service=${encodeURIComponent(choice.service)}&day=${choice.day}`;
      const answer = await api("GET", `/api/v1/appointments/slots?${query}`);
      const open = answer.slots.filter((slot) => slot.free > 0);
      if (open.length === 0) say("appt-times-note", t("appt_no_slots"));
      box.replaceChildren(...answer.slots.filter((slot) => slot.capacity > 0).map((slot) =>
        el("button", {
          type: "button", class: "ap-choice ap-time", "data-appt-start": slot.start,
          "aria-pressed": "false", disabled: slot.free === 0,
          "aria-label": `${timeLabel(slot.start)}, ${slot.free ? t("appt_free", { free: slot.free }) : t("appt_full")}`,
        }, timeLabel(slot.start))));
    } catch (error) {
      say("appt-times-note", error.message, true);
    }
  }

  function showSlip(appointment) {
    const service = data.appointment_services.find((s) => s.code === appointment.service);
    $("slip-code").textContent = appointment.code_shown;
    $("slip-service").textContent = service ? service.name : appointment.service_name;
    $("slip-day").textContent = dayLabel(appointment.day);
    $("slip-time").textContent = `${timeLabel(appointment.slot_start)}–${timeLabel(appointment.slot_end)}`;
    $("slip-bring").textContent = appointment.bring;
    $("slip-print").href = `/appointments/slip/${encodeURIComponent(appointment.code)}`;
    $("appt-slip").hidden = false;
    if (!desk) $("appt-picker").hidden = true;
    $("appt-slip").scrollIntoView({ block: "nearest" });
  }

  /* The kiosk's printed slip: "printing", "printed", "failed", or nothing (no printer). */
  function showPaper(outcome) {
    const node = $("slip-paper");
    if (!node) return;
    node.hidden = !outcome;
    node.dataset.print = outcome || "";
    node.classList.toggle("error", outcome === "failed");
    if (outcome === "printing") node.textContent = t("appt_slip_printing");
    else if (outcome === "printed") node.textContent = t("appt_slip_printed");
    else if (outcome === "failed") node.textContent = t("appt_slip_failed");
    else node.textContent = "";
  }

  /* Follow the slip's print job like the kiosk follows a ticket's (kiosk.js): printed,
   * failed, or silence past the deadline (failed: the code stays on screen). */
  let following = 0;
  async function followSlip(job) {
    const mine = ++following;
    const deadline = Date.now() + 10000;
    while (mine === following) {
      let answer = null;
      try {
        answer = await api("GET", `/api/v1/print-jobs/${encodeURIComponent(job)}`, null, { token: kioskToken });
      } catch (error) { answer = null; } // not printed here yet, or the network hiccuped
      if (mine !== following) return;
      const state = answer && answer.job.state;
      if (state === "confirmed" || state === "sent") { showPaper("printed"); return; }
      if (answer && (state === "failed" || answer.job.reason)) {
        showPaper("failed");
        if (state === "failed") return;
      } else if (Date.now() > deadline) {
        showPaper("failed");
        return;
      }
      await new Promise((resolve) => window.setTimeout(resolve, 300));
    }
  }

  function printSlip(print) {
    following += 1;
    if (!print) showPaper(null);
    else if (print.ok === false) showPaper("failed"); // known before the job: no paper
    else { showPaper("printing"); followSlip(print.job); }
  }

  function resetPicker() {
    choice.service = choice.day = choice.start = null;
    bookingKey = null;
    following += 1;
    showPaper(null);
    for (const box of ["appt-services", "appt-days"]) press($(box), null);
    $("appt-times").replaceChildren();
    $("appt-confirm").disabled = true;
    $("appt-picker").hidden = false;
    $("appt-slip").hidden = true;
    say("appt-message", "");
  }

  async function book() {
    $("appt-confirm").disabled = true;
    bookingKey = bookingKey || window.XP.newKey();
    try {
      const appointment = await send("/api/v1/appointments",
        { service: choice.service, start: choice.start }, bookingKey);
      bookingKey = null;
      say("appt-message", t("appt_booked", { code: appointment.code_shown }));
      showSlip(appointment);
      if (kiosk) printSlip(appointment.print);
      if (desk) loadList();
    } catch (error) {
      bookingKey = null;
      say("appt-message", error.message, true);
      drawTimes();
    }
  }

  const picker = $("appt-picker");
  if (picker) {
    drawServices();
    drawDays();
    picker.addEventListener("click", (event) => {
      const service = event.target.closest("[data-appt-service]");
      const day = event.target.closest("[data-appt-day]");
      const start = event.target.closest("[data-appt-start]");
      if (service) { choice.service = service.dataset.apptService; press($("appt-services"), service); drawTimes(); }
      if (day) { choice.day = day.dataset.apptDay; press($("appt-days"), day); drawTimes(); }
      if (start) { choice.start = start.dataset.apptStart; press($("appt-times"), start); $("appt-confirm").disabled = false; }
    });
    $("appt-confirm").addEventListener("click", book);
  }

  // ------------------------------------------------------------ the kiosk
  if (kiosk && $("step-appt-code")) {
    const steps = Array.from(document.querySelectorAll(".k-step"));
    let code = "";
    let idle = null;
    const open = (id) => {
      for (const step of steps) step.hidden = step.id !== id;
      window.clearTimeout(idle);
      if (id !== "step-service") idle = window.setTimeout(() => open("step-service"), data.config.kiosk_timeout_s * 1000);
    };
    const drawCode = () => {
      $("appt-code-shown").textContent = code.length > 4 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
      $("appt-check-in").disabled = code.length !== 8;
      $("appt-code-error").hidden = true;
    };
    $("appt-have").addEventListener("click", () => { code = ""; drawCode(); open("step-appt-code"); });
    $("appt-book").addEventListener("click", () => { resetPicker(); open("step-appt-book"); });
    for (const back of document.querySelectorAll("[data-appt-back]")) back.addEventListener("click", () => open("step-service"));
    $("appt-keypad").addEventListener("click", (event) => {
      const key = event.target.closest("[data-key]");
      if (key && code.length < 8) { code += key.dataset.key; drawCode(); }
    });
    $("appt-delete").addEventListener("click", () => { code = code.slice(0, -1); drawCode(); });
    $("appt-check-in").addEventListener("click", async () => {
      $("appt-check-in").disabled = true;
      try {
        const answer = await send(`/api/v1/appointments/${code}/check-in`, {});
        $("appt-ticket-number").textContent = answer.ticket.number;
        $("appt-ticket-number").style.setProperty("--chars", answer.ticket.number.length);
        $("appt-ticket-when").textContent = answer.late
          ? t("appt_late", { number: answer.ticket.number })
          : t("appt_on_time", { number: answer.ticket.number, time: timeLabel(answer.appointment.slot_start) });
        open("step-appt-ticket");
      } catch (error) {
        $("appt-code-error").textContent = error.message;
        $("appt-code-error").hidden = false;
        $("appt-check-in").disabled = false;
      }
    });
    document.addEventListener("pointerdown", () => {
      const visible = steps.find((step) => !step.hidden);
      if (visible && visible.id.startsWith("step-appt")) open(visible.id);
    });
  }

  // -------------------------------------------------------- the help desk
  const STATUS = { booked: "appt_booked_status", checked_in: "appt_checked_in_status", late: "appt_late_status", cancelled: "appt_cancelled_status", no_show: "appt_no_show_status" };

  async function loadList() {
    const list = $("appt-list");
    try {
      const answer = await api("GET", "/api/v1/appointments");
      if (answer.appointments.length === 0) {
        list.replaceChildren(el("li", { class: "ap-empty" }, t("appt_none")));
        return;
      }
      list.replaceChildren(...answer.appointments.map((a) => {
        const item = el("li", { class: "ap-item", "data-code": a.code },
          el("span", { class: "ap-when" }, timeLabel(a.slot_start)),
          el("span", { class: "ap-what" }, `${a.service_name} · ${a.code_shown}`),
          el("span", { class: "ap-status" }, t(STATUS[a.status] || a.status)));
        if (a.status === "booked") {
          item.append(
            el("button", { type: "button", class: "s-btn ap-act", "data-check-in": a.code }, t("appt_check_in")),
            el("button", { type: "button", class: "s-link ap-act", "data-cancel": a.code }, t("appt_cancel")));
        }
        return item;
      }));
    } catch (error) {
      window.XP.staff.message(error.message, true);
    }
  }

  async function checkIn(code) {
    try {
      const answer = await send(`/api/v1/appointments/${encodeURIComponent(code)}/check-in`, {});
      window.XP.staff.message(t("appt_checked_in", { number: answer.ticket.number }));
    } catch (error) {
      window.XP.staff.message(error.message, true);
    }
    loadList();
  }

  if (desk && $("appt-list")) {
    window.XP.staff.load().then(loadList).catch(() => {});
    $("appt-code-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const code = $("appt-code-input").value.trim();
      if (code) checkIn(code);
      $("appt-code-input").value = "";
    });
    $("appt-list").addEventListener("click", async (event) => {
      const checking = event.target.closest("[data-check-in]");
      const cancelling = event.target.closest("[data-cancel]");
      if (checking) checkIn(checking.dataset.checkIn);
      if (cancelling) {
        try {
          const done = await send(`/api/v1/appointments/${encodeURIComponent(cancelling.dataset.cancel)}/cancel`, {});
          window.XP.staff.message(t("appt_cancelled", { code: done.code_shown }));
        } catch (error) {
          window.XP.staff.message(error.message, true);
        }
        loadList();
      }
    });
    document.querySelector(".ap-book").addEventListener("toggle", resetPicker);
  }

  // ------------------------------------------------------------- the slip
  const printNow = $("print-now");
  if (printNow) printNow.addEventListener("click", () => window.print());
})();

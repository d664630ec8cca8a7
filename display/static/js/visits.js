/* Home visits: the help desk registers and schedules them and records outcomes (with the
 * phone number and address, read with contacts=1); the officer console lists the signed-in
 * officer's visits today (no contact: that is on the printed list) and records outcomes. */
(function () {
  "use strict";
  const { data, t, el, staff } = window.XP;
  const $ = (id) => document.getElementById(id);
  const list = $("visit-list");
  if (!list) return;
  const form = $("visit-form"); // only on the help desk
  const outcomes = ["done_dossier", "done_advice", "not_home", "cancelled", "rescheduled"];
  const outcomeText = { done_dossier: "v_done_dossier", done_advice: "v_done_advice", not_home: "v_not_home", cancelled: "v_cancel", rescheduled: "v_reschedule" };
  let people = [];

  function say(text, isError) {
    const node = $("visit-message");
    node.textContent = text || "";
    node.classList.toggle("error", Boolean(isError));
  }

  const dayText = (iso) => iso.split("-").reverse().join("/");
  const dayKey = (weekday) => `v_day_${weekday}`;

  function field(label, input) {
    input.setAttribute("aria-label", label);
    return input;
  }

  function scheduleControls(visit) {
    const day = field(t("v_visit_day"), el("input", { type: "date", required: true, value: visit.visit_day || "" }));
    const from = field(t("v_from"), el("input", { type: "time", required: true, value: visit.window_start || "08:00" }));
    const to = field(t("v_to"), el("input", { type: "time", required: true, value: visit.window_end || "10:00" }));
    const who = field(t("v_officer"), el("select", {}, ...people.map((p) => el("option", { value: String(p.id), text: p.name }))));
    if (visit.officers.length) who.value = String(visit.officers[0].id);
    const go = el("button", { type: "button", class: "s-btn", text: t("v_schedule") });
    go.addEventListener("click", () => act(visit, "schedule", {
      day: day.value, window_start: from.value, window_end: to.value, officers: [Number(who.value)],
    }, () => t("v_scheduled_one", { id: visit.id, day: dayText(day.value) })));
    return el("div", { class: "v-controls" }, day, from, to, who, go);
  }

  function outcomeControls(visit) {
    const allowed = visit.status === "scheduled" ? outcomes : ["cancelled"];
    const choice = field(t("v_outcome"), el("select", {}, ...allowed.map((code) => el("option", { value: code, text: t(outcomeText[code]) }))));
    const newDay = field(t("v_new_day"), el("input", { type: "date", hidden: true }));
    choice.addEventListener("change", () => { newDay.hidden = choice.value !== "rescheduled"; });
    const go = el("button", { type: "button", class: "s-btn", text: t("v_record") });
    go.addEventListener("click", () => {
      const body = { outcome: choice.value };
      if (choice.value === "rescheduled") body.new_day = newDay.value;
      act(visit, "outcome", body, () => t("v_recorded", { id: visit.id }));
    });
    return el("div", { class: "v-controls" }, choice, newDay, go);
  }

  function item(visit) {
    const contact = visit.contact || {};
    const place = [contact.address, contact.hamlet].filter(Boolean).join(", ");
    const when = visit.visit_day
      ? `${dayText(visit.visit_day)} ${visit.window_start}–${visit.window_end} · ${visit.officers.map((o) => o.name).join(", ")}`
      : visit.preferred_days.map((d) => t(dayKey(d))).join(", ");
    return el("li", { "data-visit": String(visit.id) },
      el("p", { class: "v-head" },
        el("strong", { text: t("v_visit", { id: visit.id }) }),
        el("span", { class: "badge", text: t(visit.status === "scheduled" ? "v_scheduled" : "v_requested") }),
        el("span", { text: visit.service_name }),
        visit.category_name ? el("span", { class: "badge", text: visit.category_name }) : null),
      contact.phone ? el("p", {}, el("a", { href: "tel:" + contact.phone, text: contact.phone }), " · ", place) : null,
      el("p", { class: "v-when", text: when }),
      form ? scheduleControls(visit) : null,
      outcomeControls(visit));
  }

  async function act(visit, action, body, done) {
    try {
      await staff.post(`/api/v1/visits/${visit.id}/${action}`, body);
      say(done());
    } catch (error) {
      say(error.message, true);
    }
    load();
  }

  async function load() {
    const path = form ? "/api/v1/visits?status=open&contacts=1" : "/api/v1/visits?day=today&mine=1&status=scheduled";
    let found;
    try { found = await window.XP.api("GET", path); } catch (error) { say(error.message, true); return; }
    const empty = el("li", { class: "h-empty", text: t(form ? "v_empty" : "v_none_today") });
    list.replaceChildren(...(found.visits.length ? found.visits.map(item) : [empty]));
  }

  if (form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!$("visit-consent").checked) {
        say(t("v_consent_needed"), true);
        $("visit-consent").focus();
        return;
      }
      const days = [...form.querySelectorAll('input[name="visit-day"]:checked')].map((box) => Number(box.value));
      const body = { phone: $("visit-phone").value, consent: true, service: $("visit-service").value, preferred_days: days };
      for (const [key, id] of [["address", "visit-address"], ["hamlet", "visit-hamlet"], ["category", "visit-category"]]) {
        if ($(id).value.trim()) body[key] = $(id).value.trim();
      }
      try {
        const visit = await staff.post("/api/v1/visits", body);
        say(t("v_registered", { id: visit.id }));
        form.reset();
      } catch (error) {
        say(error.message, true);
      }
      load();
    });
  }
  const refresh = $("visit-refresh");
  if (refresh) refresh.addEventListener("click", load);

  /* visit_* events (from the page's /officer socket) reload the list, but never under the
   * hands of someone filling in a visit's controls: then once they leave the list. */
  let stale = false;
  function changed() {
    if (list.contains(document.activeElement)) { stale = true; return; }
    load();
  }
  list.addEventListener("focusout", (event) => {
    if (stale && !list.contains(event.relatedTarget)) { stale = false; load(); }
  });
  window.XP.visitsChanged = changed;

  (staff.csrf ? Promise.resolve() : staff.load()).then(async () => {
    if (form) {
      try { people = (await window.XP.api("GET", "/api/v1/visits/staff")).staff; } catch (e) { people = []; }
    }
    load();
  }).catch(() => {});
})();

/* Paper tickets of an outage, entered afterwards (officer console, help desk).
 * Enter saves a ticket; the day, service, counter and category stay for the next one,
 * the number and times are cleared and the number field takes the focus again. */
(function () {
  "use strict";
  const { t, staff } = window.XP;
  const $ = (id) => document.getElementById(id);
  const form = $("paper-form");
  if (!form) return;
  const offset = form.dataset.offset;
  const [year, month, day] = form.dataset.today.split("-");
  $("paper-day").value = `${day}/${month}/${year}`;

  function say(text, isError) {
    const node = $("paper-message");
    node.textContent = text || "";
    node.classList.toggle("error", Boolean(isError));
  }

  const pad = (n) => String(n).padStart(2, "0");

  /* "05/12/2026" (or 5-12-2026, 5.12.2026) as 2026-12-05; null if it is no date. */
  function isoDay(text) {
    const found = /^(\d{1,2})\D(\d{1,2})\D(\d{4})$/.exec(text.trim());
    if (!found) return null;
    const [, d, m, y] = found.map(Number);
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCDate() !== d || date.getUTCMonth() !== m - 1) return null;
    return `${y}-${pad(m)}-${pad(d)}`;
  }

  /* "8:30", "08:30", "0830", "8h30" as 08:30; "" for nothing; null if it is no time. */
  function clock(text) {
    const cleaned = text.trim().toLowerCase();
    if (!cleaned) return "";
    const found = /^(\d{1,2})[:h.]?(\d{2})$/.exec(cleaned);
    if (!found || Number(found[1]) > 23 || Number(found[2]) > 59) return null;
    return `${pad(found[1])}:${found[2]}`;
  }

  function moment(day, id) {
    const time = clock($(id).value);
    if (time === null) throw new Error(t("paper_bad_time"));
    return time ? `${day}T${time}:00${offset}` : null;
  }

  async function officerCounter() {
    const session = await staff.load(); // the counter chosen now
    const counter = session.counter;
    if (staff.session.role === "officer" && counter) {
      $("paper-counter").value = String(counter);
      $("paper-counter").disabled = true; // an officer enters its own counter's tickets
    }
  }
  $("paper-panel").addEventListener("toggle", () => {
    if ($("paper-panel").open) officerCounter().catch(() => {});
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const outcome = $("paper-outcome").value;
    const day = isoDay($("paper-day").value);
    let body;
    try {
      if (!day) throw new Error(t("paper_bad_day"));
      body = {
        number: $("paper-number").value.trim(),
        service: $("paper-service").value,
        issued_at: moment(day, "paper-issued"),
        outcome,
      };
      const called = moment(day, "paper-called");
      const finished = moment(day, "paper-finished");
      if (called) body.called_at = called;
      if (finished) body.finished_at = finished;
    } catch (error) {
      say(error.message, true);
      return;
    }
    const category = $("paper-category").value;
    if (category) body.category = category;
    if (outcome !== "cancelled") body.counter = Number($("paper-counter").value);
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      if (!staff.csrf) await staff.load();
      const ticket = await staff.post("/api/v1/tickets/paper", body);
      say(t("paper_saved", { number: ticket.number }));
      const item = document.createElement("li");
      item.textContent = `${ticket.number} · ${ticket.service_name}`;
      $("paper-entered").prepend(item);
      for (const id of ["paper-number", "paper-issued", "paper-called", "paper-finished"]) $(id).value = "";
      $("paper-outcome").value = "done";
    } catch (error) {
      say(error.message, true);
    } finally {
      button.disabled = false;
      $("paper-number").focus();
    }
  });
})();

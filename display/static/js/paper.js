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
  $("paper-day").value = form.dataset.today;

  function say(text, isError) {
    const node = $("paper-message");
    node.textContent = text || "";
    node.classList.toggle("error", Boolean(isError));
  }

  function moment(time) {
    return time ? `${$("paper-day").value}T${time}:00${offset}` : null;
  }

  async function officerCounter() {
    if (!staff.session) await staff.load();
    const counter = staff.session.counter;
    if (staff.session.role === "officer" && counter) {
      $("paper-counter").value = String(counter);
      $("paper-counter").disabled = true; // an officer enters its own counter's tickets
    }
  }
  $("paper-panel").addEventListener("toggle", () => { officerCounter().catch(() => {}); });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const outcome = $("paper-outcome").value;
    const body = {
      number: $("paper-number").value.trim(),
      service: $("paper-service").value,
      issued_at: moment($("paper-issued").value),
      outcome,
    };
    const category = $("paper-category").value;
    if (category) body.category = category;
    const called = moment($("paper-called").value);
    const finished = moment($("paper-finished").value);
    if (called) body.called_at = called;
    if (finished) body.finished_at = finished;
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

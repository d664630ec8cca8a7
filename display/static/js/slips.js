/* Result slips on the officer console: a slip for the ticket just finished (its ready
 * date proposed from the service's working days, editable), printed from its own page;
 * and postponing a slip's date with a reason. */
(function () {
  "use strict";
  const { data, t, staff } = window.XP;
  const $ = (id) => document.getElementById(id);
  let ticket = null; // the ticket just finished
  let proposed = "";

  function say(text, error) {
    $("slip-message").textContent = text;
    $("slip-message").classList.toggle("error", Boolean(error));
  }
  function dayText(iso) {
    const [y, m, d] = iso.split("-");
    return `${d}/${m}/${y}`;
  }

  document.addEventListener("xp:finished", (event) => {
    ticket = event.detail;
    const defaults = data.slip_defaults || {};
    if (!(ticket.service in defaults)) { $("slip-form").hidden = true; return; }
    proposed = defaults[ticket.service];
    $("slip-for").textContent = t("slip_for", { number: ticket.number });
    $("slip-date").value = proposed;
    $("slip-date").min = data.slip_today;
    $("slip-form").hidden = false;
    $("slip-print").hidden = true;
    say("");
  });

  $("slip-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!ticket) return;
    const chosen = $("slip-date").value;
    // The server computes the default date itself; a date is sent only when changed.
    const body = chosen && chosen !== proposed ? { ready_on: chosen } : {};
    try {
      const slip = await staff.post(`/api/v1/tickets/${ticket.id}/result-slip`, body);
      say(t("slip_given", { code: slip.result_code, date: dayText(slip.ready_on) }));
      $("slip-print").href = slip.print_url;
      $("slip-print").hidden = false;
      $("slip-form").hidden = true;
      ticket = null;
    } catch (error) {
      say(error.message, true);
    }
  });

  $("postpone-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const code = $("postpone-code").value.trim();
    const body = { ready_on: $("postpone-date").value, reason: $("postpone-reason").value };
    try {
      const slip = await staff.post(`/api/v1/result-slips/${encodeURIComponent(code)}/postpone`, body);
      say(t("slip_postponed", { code: slip.result_code, date: dayText(slip.ready_on) }));
      $("slip-print").href = slip.print_url;
      $("slip-print").hidden = false;
      $("postpone-form").reset();
    } catch (error) {
      say(error.message, true);
    }
  });
})();

/* Help records: one tap on a kind of help records it (help desk panel and /assist page). */
(function () {
  "use strict";
  const { data, t, staff } = window.XP;
  const $ = (id) => document.getElementById(id);
  const form = $("assist-form");
  if (!form) return;
  const kinds = new Map(data.kinds.map((k) => [k.code, k]));
  const ticketBox = $("assist-ticket-box");
  const ticketTick = $("assist-ticket");
  let lastTicket = null;

  function say(text, isError) {
    const node = $("assist-message");
    node.textContent = text || "";
    node.classList.toggle("error", Boolean(isError));
  }

  // The help desk just issued a ticket: offer to count the help for it (once per kind).
  document.addEventListener("xp:issued", (event) => {
    lastTicket = event.detail;
    $("assist-ticket-label").textContent = t("assist_ticket", { number: lastTicket.number });
    ticketTick.checked = false;
    ticketBox.hidden = false;
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const code = event.submitter && event.submitter.value;
    if (!code) return;
    const body = { kind: code };
    const chosen = document.querySelector('input[name="priority"]:checked');
    if (chosen && chosen.value) body.category = chosen.value;
    const service = $("assist-service").value;
    if (service) body.service = service;
    if (lastTicket && ticketTick.checked) body.ticket_id = lastTicket.id;
    const buttons = form.querySelectorAll("button");
    buttons.forEach((button) => { button.disabled = true; });
    try {
      if (!staff.csrf) await staff.load();
      const record = await staff.post("/api/v1/assists", body);
      const kind = kinds.get(record.kind);
      const name = kind ? kind.name : record.kind;
      say(t(record.created ? "assist_saved" : "assist_already", { kind: name }));
      const none = document.querySelector('input[name="priority"][value=""]');
      if (none) none.checked = true;
      $("assist-service").value = "";
    } catch (error) {
      say(error.message, true);
    } finally {
      buttons.forEach((button) => { button.disabled = false; });
    }
  });

  if (document.body.classList.contains("assist")) staff.load().catch(() => {});
})();

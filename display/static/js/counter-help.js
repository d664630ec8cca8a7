/* Officer console: "help needed at the counter" with a reason; the officer sees who is
 * on the way (live on /assistance) and may cancel the request. */
(function () {
  "use strict";
  const { data, t, el, staff } = window.XP;
  const $ = (id) => document.getElementById(id);
  const dialog = $("help-dialog");
  if (!dialog) return;
  const calls = new Map(); // the calls this console raised, by id

  function reasonName(code) {
    const reason = (data.reasons || []).find((r) => r.code === code);
    return reason ? reason.name : code;
  }

  function render() {
    $("help-calls").replaceChildren(...[...calls.values()].map((call) => {
      const text = call.status === "accepted" && call.taken_by
        ? t("help_on_way", { who: `${t("role_" + call.taken_by.role)} ${call.taken_by.name}`.trim(), reason: reasonName(call.reason) })
        : t("help_sent", { reason: reasonName(call.reason) });
      const cancel = el("button", { type: "button", class: "s-link", text: t("help_cancel") });
      cancel.addEventListener("click", () => cancelCall(call));
      return el("li", { "data-call": call.id, class: "o-help-call" }, el("span", { text }), cancel);
    }));
  }

  function update(call) {
    if (call.status === "open" || call.status === "accepted") calls.set(call.id, call);
    else calls.delete(call.id);
    render();
  }

  async function raise(reason) {
    dialog.close();
    try {
      if (!staff.csrf) await staff.load();
      update(await staff.post("/api/v1/assistance-calls", { reason }));
      $("help-status").textContent = "";
    } catch (error) {
      $("help-status").textContent = error.message;
    }
  }

  async function cancelCall(call) {
    try {
      update(await staff.post(`/api/v1/assistance-calls/${call.id}/cancel`, {}));
    } catch (error) {
      $("help-status").textContent = error.message;
    }
  }

  $("help-ask").addEventListener("click", () => dialog.showModal());
  $("help-dialog-cancel").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (event) => {
    const button = event.target.closest("[data-reason]");
    if (button) raise(button.dataset.reason);
  });
  /* This counter's calls: those raised here, and after a reload those the snapshot has
   * for the counter chosen in the session. */
  function ours(call) {
    const counter = staff.session && staff.session.counter;
    return calls.has(call.id) || (call.origin === "counter" && counter !== null && call.counter === counter);
  }

  window.XP.live("/assistance", {}, {
    snapshot: (s) => {
      const live = new Set(s.calls.map((call) => call.id));
      for (const id of [...calls.keys()]) if (!live.has(id)) calls.delete(id);
      for (const call of s.calls) if (ours(call)) calls.set(call.id, call);
      render();
    },
    event: (_name, payload) => { if (ours(payload.call)) update(payload.call); },
  });
})();

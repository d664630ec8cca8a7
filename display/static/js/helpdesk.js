/* Help desk: issue a ticket for a citizen (any category, emergency included), reprint. */
(function () {
  "use strict";
  const { data, t, el, staff } = window.XP;
  const $ = (id) => document.getElementById(id);
  let services = new Map(data.services.map((s) => [s.code, s]));
  let priorities = new Map(data.priorities.map((p) => [p.code, p]));
  const storeKey = "xephang.helpdesk.issued";
  let issued = [];
  try { issued = JSON.parse(window.sessionStorage.getItem(storeKey) || "[]"); } catch (e) { issued = []; }

  function save() {
    try { window.sessionStorage.setItem(storeKey, JSON.stringify(issued.slice(0, 50))); } catch (e) { /* full */ }
  }

  async function reprint(ticket) {
    // The thermal printer first (the help desk's, or the kiosk's); a browser slip if none.
    try {
      await staff.post(`/api/v1/tickets/${ticket.id}/reprint`, {});
      staff.message(t("reprint_sent", { number: ticket.number }));
      return;
    } catch (e) { /* no printer configured or it refused: print a slip below */ }
    printSlip(ticket);
  }

  function printSlip(ticket) {
    const service = services.get(ticket.service);
    const category = ticket.priority ? priorities.get(ticket.priority) : null;
    $("slip").replaceChildren(
      el("p", { text: data.center.name }),
      el("p", { class: "slip-number", text: ticket.number }),
      el("p", { text: service ? service.name : ticket.service_name }),
      category ? el("p", { text: category.name }) : null,
      el("p", { text: window.XP.formatter({ dateStyle: "short", timeStyle: "short" }).format(new Date(ticket.issued_at)) }),
    );
    window.print();
  }

  function renderIssued() {
    $("issued").replaceChildren(...issued.map((ticket) => {
      const button = el("button", { type: "button", class: "s-btn", "aria-label": `${t("reprint")} ${ticket.number}`, text: t("reprint") });
      button.addEventListener("click", () => reprint(ticket));
      const category = ticket.priority ? priorities.get(ticket.priority) : null;
      return el("li", { "data-ticket": ticket.number },
        el("span", { class: "w-number", text: ticket.number }),
        el("span", { text: ticket.service_name }),
        category ? el("span", { class: "badge" + (category.emergency ? " emergency" : ""), text: category.name }) : null,
        button);
    }));
  }

  function showWaiting(code, count) {
    const node = document.querySelector(`[data-waiting="${code}"]`);
    if (node) node.textContent = t("waiting_count", { count });
  }

  $("issue-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const service = event.submitter && event.submitter.value;
    if (!service) return;
    const chosen = document.querySelector('input[name="priority"]:checked');
    const body = { service };
    if (chosen && chosen.value) body.priority = chosen.value;
    try {
      const ticket = await staff.post("/api/v1/tickets", body);
      issued.unshift(ticket);
      save();
      renderIssued();
      staff.message(t("issued_one", { number: ticket.number }));
      document.querySelector('input[name="priority"][value=""]').checked = true;
    } catch (error) {
      staff.message(error.message, true);
    }
  });

  renderIssued();
  staff.load().then(() => {
    window.XP.live("/officer", {}, {
      snapshot: (s) => { for (const service of s.services) showWaiting(service.code, service.waiting); },
      event: (name, payload) => { if (name === "queue_changed") showWaiting(payload.service, payload.waiting); },
      denied: () => window.location.assign("/login?next=/helpdesk"),
      settings: () => {
        services = new Map(data.services.map((s) => [s.code, s]));
        priorities = new Map(data.priorities.map((p) => [p.code, p]));
      },
    });
  }).catch(() => {});
})();

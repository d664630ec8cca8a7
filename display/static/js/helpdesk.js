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

  /* Callbacks: phone numbers given today with consent (never stored in this browser). */
  const phone = $("contact-phone");
  const consent = $("contact-consent");
  const purpose = $("contact-purpose");
  const purposes = { callback: t("purpose_callback"), home_visit: t("purpose_home_visit") };

  function formatPhone(digits) {
    const cut = digits.length === 10 ? [4, 7] : [3, 7];
    return `${digits.slice(0, cut[0])} ${digits.slice(cut[0], cut[1])} ${digits.slice(cut[1])}`;
  }

  async function loadCallbacks() {
    let list;
    try { list = await window.XP.api("GET", "/api/v1/contacts"); } catch (e) { return; }
    const items = list.contacts.map((contact) => {
      const forget = el("button", { type: "button", class: "s-btn", "aria-label": `${t("forget")} ${contact.number}`, text: t("forget") });
      forget.addEventListener("click", () => forgetNumber(contact));
      return el("li", { "data-ticket": contact.number },
        el("span", { class: "w-number", text: contact.number }),
        el("span", { text: contact.service_name }),
        el("a", { href: "tel:" + contact.phone, text: formatPhone(contact.phone) }),
        el("span", { text: purposes[contact.purpose] || contact.purpose }),
        forget);
    });
    $("callbacks").replaceChildren(...(items.length ? items : [el("li", { class: "h-empty", text: t("no_callbacks") })]));
  }

  async function forgetNumber(contact) {
    try {
      await window.XP.api("DELETE", `/api/v1/contacts/${contact.ticket_id}`, null, { csrf: staff.csrf });
      staff.message(t("forgotten", { number: contact.number }));
    } catch (error) {
      staff.message(error.message, true);
    }
    loadCallbacks();
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
    // "Receive results": the ticket is issued for the code of the citizen's result slip.
    const info = services.get(service);
    const code = $("result-code").value.trim();
    let path = "/api/v1/tickets";
    if (info && info.results) {
      if (!code) {
        staff.message(t("result_code_needed"), true);
        $("result-code").focus();
        return;
      }
      path = `/api/v1/result-slips/${encodeURIComponent(code)}/ticket`;
      delete body.service;
    }
    const number = path === "/api/v1/tickets" ? phone.value.trim() : "";
    if (number) {
      if (!consent.checked) {
        staff.message(t("consent_needed"), true);
        consent.focus();
        return;
      }
      body.contact = { phone: number, consent: true, purpose: purpose.value };
    }
    try {
      const ticket = await staff.post(path, body);
      if (info && info.results) $("result-code").value = "";
      issued.unshift(ticket);
      save();
      document.dispatchEvent(new CustomEvent("xp:issued", { detail: ticket }));
      renderIssued();
      staff.message(t(number ? "issued_contact" : "issued_one", { number: ticket.number }));
      document.querySelector('input[name="priority"][value=""]').checked = true;
      phone.value = "";
      consent.checked = false;
      purpose.value = "callback";
      if (number) loadCallbacks();
    } catch (error) {
      staff.message(error.message, true);
    }
  });

  renderIssued();
  staff.load().then(() => {
    loadCallbacks();
    window.XP.live("/officer", {}, {
      snapshot: (s) => { for (const service of s.services) showWaiting(service.code, service.waiting); },
      event: (name, payload) => {
        if (name === "queue_changed") showWaiting(payload.service, payload.waiting);
        if (name.startsWith("visit_") && window.XP.visitsChanged) window.XP.visitsChanged();
      },
      denied: () => window.location.assign("/login?next=/helpdesk"),
      settings: () => {
        services = new Map(data.services.map((s) => [s.code, s]));
        priorities = new Map(data.priorities.map((p) => [p.code, p]));
      },
    });
  }).catch(() => {});
})();

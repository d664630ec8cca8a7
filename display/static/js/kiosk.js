/* Kiosk: service → priority question → the number, big. Back to the start when idle. */
(function () {
  "use strict";
  const { data, t } = window.XP;
  const token = window.XP.token("kiosk");
  const [primary, second] = data.languages;
  const steps = ["step-service", "step-code", "step-priority", "step-busy", "step-ticket", "step-help", "step-error"];
  const $ = (id) => document.getElementById(id);
  let chosenService = null;
  let resultCode = null; // the code of a result slip, for a "receive results" ticket
  let idleTimer = null;
  let requestKey = null;

  if (!token) $("no-access").hidden = false;

  function show(step) {
    for (const id of steps) $(id).hidden = id !== step;
    $("need-help").hidden = step !== "step-service" && step !== "step-priority";
    armIdle(step);
  }

  function armIdle(step) {
    window.clearTimeout(idleTimer);
    if (step === "step-service" && window.XP.language === primary) return;
    idleTimer = window.setTimeout(restart, data.config.kiosk_timeout_s * 1000);
  }

  function restart() {
    document.dispatchEvent(new Event("xp-kiosk-restart")); // the next citizen (kiosk-access.js)
    following += 1; // stop following the last ticket's print job
    chosenService = null;
    resultCode = null;
    requestKey = null;
    if (window.XP.language !== primary) applyLanguage(primary);
    show("step-service");
  }

  function label(item, lang) {
    if (lang === primary) return item.name;
    return (item.labels && item.labels[lang]) || item.name;
  }

  function applyLanguage(lang) {
    window.XP.setLanguage(lang);
    const other = lang === primary ? second : primary;
    for (const service of data.services) {
      const main = document.querySelector(`[data-name="${service.code}"]`);
      const sub = document.querySelector(`[data-second="${service.code}"]`);
      main.textContent = label(service, lang);
      if (sub) { sub.textContent = label(service, other); sub.lang = other; }
    }
    for (const priority of data.priorities) {
      const main = document.querySelector(`[data-pname="${priority.code}"]`);
      const sub = document.querySelector(`[data-psecond="${priority.code}"]`);
      main.textContent = label(priority, lang);
      if (sub) { sub.textContent = label(priority, other); sub.lang = other; }
    }
    const name = $("lang-name");
    if (name) name.textContent = data.language_names[other];
    // Headings that show both languages: the other one underneath.
    for (const node of document.querySelectorAll("[data-t2]")) {
      node.textContent = data.texts[other][node.dataset.t2];
      node.lang = other;
      node.dir = data.directions[other];
    }
  }

  function minutes(seconds) { return Math.max(1, Math.ceil(seconds / 60)); }

  function showTicket(ticket) {
    const service = data.services.find((s) => s.code === ticket.service);
    $("ticket-number").textContent = ticket.number;
    $("ticket-number").style.setProperty("--chars", ticket.number.length);
    $("ticket-service").textContent = service ? label(service, window.XP.language) : ticket.service_name;
    $("ticket-ahead").textContent = t("ahead", { count: ticket.ahead });
    const wait = ticket.estimated_wait_s;
    $("ticket-wait").textContent = !wait || ticket.ahead === 0
      ? t("wait_short")
      : t("wait", { minutes: minutes(wait) });
    const print = ticket.print;
    if (!print) showPrint("no_printer");
    else if (print.ok === false) showPrint("failed"); // known before the job: no paper to take
    else { showPrint("printing"); followJob(print.job); }
    show("step-ticket");
  }

  /* What the citizen is told about the paper: "printing", "printed", "failed" or
   * "no_printer". On failure the number grows and the help desk is named. */
  function showPrint(outcome) {
    const failed = outcome === "failed";
    $("ticket-print-failed").hidden = !failed;
    $("step-ticket").classList.toggle("print-failed", failed);
    const take = $("ticket-take");
    take.hidden = failed;
    take.dataset.t = { printing: "printing", printed: "take_ticket", no_printer: "no_printer" }[outcome] || "take_ticket";
    take.textContent = t(take.dataset.t);
    $("step-ticket").dataset.print = outcome;
  }

  /* Follow the ticket's print job until it is printed or has failed (a failed attempt
   * already says so; a later success says so too). Silence past the deadline: failed. */
  let following = 0;
  async function followJob(job) {
    const mine = ++following;
    const deadline = Date.now() + 10000;
    while (mine === following) {
      let answer = null;
      try {
        answer = await window.XP.api("GET", `/api/v1/print-jobs/${encodeURIComponent(job)}`, null, { token });
      } catch (error) { answer = null; } // not recorded yet, or the network hiccuped
      if (mine !== following) return;
      const state = answer && answer.job.state;
      if (state === "confirmed" || state === "sent") { showPrint("printed"); return; }
      if (answer && (state === "failed" || answer.job.reason)) {
        showPrint("failed");
        if (state === "failed") return;
      } else if (Date.now() > deadline) {
        showPrint("failed");
        return;
      }
      await new Promise((resolve) => window.setTimeout(resolve, 300));
    }
  }

  async function issue(priority) {
    show("step-busy");
    requestKey = requestKey || window.XP.newKey();
    const body = resultCode ? {} : { service: chosenService };
    if (priority) body.priority = priority;
    const path = resultCode
      ? `/api/v1/result-slips/${encodeURIComponent(resultCode)}/ticket`
      : "/api/v1/tickets";
    try {
      const ticket = await window.XP.api("POST", path, body, { token, key: requestKey });
      requestKey = null;
      showTicket(ticket);
      const slip = $("ticket-slip");
      slip.hidden = !ticket.slip;
      if (ticket.slip) {
        const [y, m, d] = ticket.slip.ready_on.split("-");
        slip.textContent = t("ready_on").replace("{date}", `${d}/${m}/${y}`);
      }
    } catch (error) {
      requestKey = null;
      if (error.status === 401) $("no-access").hidden = false;
      // A refused code (unknown, collected, not ready yet): the server's polite message;
      // a suspect server clock (docs/outages.md): words for the citizen, not the clock's;
      // no answer at all (the server is down): paper tickets at the help desk.
      const clock = error.payload && error.payload.reason === "clock";
      $("error-text").textContent = clock ? t("clock_wrong")
        : resultCode && error.status >= 400 && error.status < 500 ? error.message
          : (error.status ? t("issue_failed") : t("offline_paper"));
      show("step-error");
    }
  }

  // The result slip's code: typed on the keypad (or by a QR scanner into the field).
  function typedCode() {
    return $("code-input").value.toUpperCase().replace(/[^0-9A-Z]/g, "");
  }
  function codeChanged() {
    const code = typedCode();
    $("code-input").value = code.length > 5 ? `${code.slice(0, 5)}-${code.slice(5, 10)}` : code;
    $("code-next").disabled = code.length !== 10;
  }
  function askCode() {
    $("code-input").value = "";
    codeChanged();
    show("step-code");
  }
  $("code-keys").addEventListener("click", (event) => {
    const key = event.target.closest("[data-key]");
    if (!key) return;
    const code = typedCode();
    $("code-input").value = key.dataset.key === "del" ? code.slice(0, -1) : (code + key.dataset.key).slice(0, 10);
    codeChanged();
  });
  $("code-input").addEventListener("input", codeChanged);
  $("code-back").addEventListener("click", restart);
  $("code-next").addEventListener("click", () => {
    resultCode = typedCode();
    if (data.priorities.length === 0) issue(null);
    else show("step-priority");
  });
  /* "I need help": one call per kiosk (pressing again shows the same call), said aloud
   * when the center has voice; the citizen may withdraw it. */
  let helpCall = null;
  const helpVoice = new Audio();
  window.XP.helpLog = []; // what was said, for the tests and for troubleshooting
  async function askForHelp() {
    show("step-help");
    $("help-failed").hidden = true;
    $("help-cancel").hidden = false;
    try {
      helpCall = await window.XP.api("POST", "/api/v1/assistance-calls", {}, { token });
      if (data.voice) {
        helpVoice.src = `/screens/static/sounds/help-coming-${window.XP.language === "vi" ? "vi" : "en"}.wav`;
        helpVoice.play().then(() => window.XP.helpLog.push(helpVoice.src)).catch(() => {});
      }
    } catch (error) {
      helpCall = null;
      if (error.status === 401) $("no-access").hidden = false;
      $("help-failed").hidden = false;
      $("help-cancel").hidden = true;
    }
  }
  async function cancelHelp() {
    const call = helpCall;
    helpCall = null;
    if (call) {
      try { await window.XP.api("POST", `/api/v1/assistance-calls/${call.id}/cancel`, {}, { token }); } catch (e) { /* over already */ }
    }
    restart();
  }
  $("need-help").addEventListener("click", askForHelp);
  $("help-cancel").addEventListener("click", cancelHelp);
  $("help-done").addEventListener("click", restart);

  // One listener for all buttons: the admin may change them while the kiosk runs.
  document.addEventListener("click", (event) => {
    const service = event.target.closest("[data-service]");
    const priority = event.target.closest("[data-priority]");
    if (service) {
      chosenService = service.dataset.service;
      resultCode = null;
      const info = data.services.find((s) => s.code === chosenService);
      if (info && info.results) askCode();
      else if (data.priorities.length === 0) issue(null);
      else show("step-priority");
    } else if (priority) {
      issue(priority.dataset.priority || null);
    }
  });
  $("back").addEventListener("click", () => show("step-service"));
  $("done").addEventListener("click", restart);
  $("error-back").addEventListener("click", () => {
    $("error-text").textContent = t("issue_failed");
    restart();
  });
  const toggle = $("lang-toggle");
  if (toggle) {
    toggle.addEventListener("click", () => {
      applyLanguage(window.XP.language === primary ? second : primary);
      const visible = steps.find((id) => !$(id).hidden);
      armIdle(visible);
    });
  }
  // A touch, a keypad key or a spoken prompt that ended: the citizen is still here.
  window.XP.kioskActivity = () => {
    const visible = steps.find((id) => !$(id).hidden);
    if (visible && visible !== "step-busy") armIdle(visible);
  };
  document.addEventListener("pointerdown", window.XP.kioskActivity);
  document.addEventListener("keydown", window.XP.kioskActivity);
  show("step-service");

  // Screen events only (no ticket data): new services, names or categories redraw the
  // buttons without a reload.
  if (token) {
    window.XP.live("/display", { token }, {
      snapshot: () => {},
      event: () => {},
      settings: () => applyLanguage(window.XP.language),
    });
  }
})();

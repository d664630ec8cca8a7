/* Officer console: call next, recall, no-show, finish, transfer, call a number, pause.
 * Every command is an HTTP POST; the socket only brings news. A USB keypad works:
 * Enter/+ next · * recall · - no-show · / finish · 0 transfer · . pause/resume. */
(function () {
  "use strict";
  const { data, t, el, staff } = window.XP;
  const $ = (id) => document.getElementById(id);
  let priorities = new Map(data.priorities.map((p) => [p.code, p]));
  // viewSeq: the seq of the last change a command's answer showed (X-Xephang-Seq).
  const state = { counter: null, view: null, viewSeq: 0, waiting: [], socket: null, counters: new Map() };
  let chain = Promise.resolve(); // commands run one after another, none is dropped
  let queued = 0;
  let refreshTimer = null;

  function counterPath(action) { return `/api/v1/counters/${state.counter}/${action}`; }
  function myServices() { return (state.view && state.view.services) || []; }

  function renderCurrent() {
    const view = state.view;
    const current = view && view.current;
    $("current-number").textContent = current ? current.number : "–";
    $("current-service").textContent = current ? current.service_name : t("nobody");
    const badge = $("current-priority");
    const category = current && current.priority ? priorities.get(current.priority) : null;
    badge.hidden = !category;
    if (category) {
      badge.textContent = t("priority") + ": " + category.name;
      badge.classList.toggle("emergency", Boolean(category.emergency));
    }
    const paused = Boolean(view && view.status === "paused");
    $("paused-note").hidden = !paused;
    $("btn-pause").textContent = paused ? t("resume") : t("pause");
    // "Call next" on a paused counter stays available: it asks before opening the counter.
    for (const id of ["btn-recall", "btn-no-show", "btn-finish", "btn-transfer"]) $(id).disabled = !current;
    document.body.dataset.current = current ? current.number : "";
    announceCategory(current, category);
    tickElapsed();
  }

  /* A newly called ticket's priority category (the category only, never its reason) is
   * written in a live region and, with voice, spoken (/audio/kiosk/<lang>/category/<code>),
   * so that staff bring a chair, a wheelchair or an interpreter. */
  let announced; // the ticket last announced; undefined until the first view arrives
  const categoryVoice = new Audio();
  window.XP.categoryLog = []; // categories announced, for the tests and troubleshooting
  function announceCategory(current, category) {
    if (!state.view) return;
    const key = current ? `${current.id}|${current.called_at}` : null;
    if (key === announced) return;
    const opening = announced === undefined; // the page's first view is not news
    announced = key;
    $("current-category").textContent = "";
    if (opening || !current || !category) return;
    $("current-category").textContent = t("category_called", { number: current.number, category: category.name });
    window.XP.categoryLog.push(current.priority);
    if (data.voice) {
      categoryVoice.src = `/audio/kiosk/${encodeURIComponent(window.XP.language)}/category/${encodeURIComponent(current.priority)}.wav`;
      categoryVoice.play().catch(() => {}); // no sound: the line is still there
    }
  }

  function tickElapsed() {
    const current = state.view && state.view.current;
    const node = $("current-elapsed");
    if (!current || !current.called_at) { node.textContent = ""; return; }
    const seconds = Math.max(0, Math.floor((window.XP.now() - Date.parse(current.called_at)) / 1000));
    const mm = String(Math.floor(seconds / 60)).padStart(2, "0");
    const ss = String(seconds % 60).padStart(2, "0");
    node.textContent = `${mm}:${ss}`;
  }

  function renderWaiting() {
    $("waiting-count").textContent = `(${state.waiting.length})`;
    const list = $("waiting-list");
    if (state.waiting.length === 0) {
      list.replaceChildren(el("li", { text: t("nobody_waiting") }));
      return;
    }
    list.replaceChildren(...state.waiting.map((ticket) => {
      const category = ticket.priority ? priorities.get(ticket.priority) : null;
      const call = el("button", { type: "button", class: "s-btn w-call", "aria-label": `${t("call")} ${ticket.number}`, text: t("call") });
      call.addEventListener("click", () => callTicket(ticket));
      return el("li", { "data-ticket": ticket.number },
        el("span", { class: "w-number", text: ticket.number }),
        el("span", { text: ticket.service_name }),
        category ? el("span", { class: "badge" + (category.emergency ? " emergency" : ""), text: category.name }) : null,
        call);
    }));
  }

  /* Refreshes may overlap and their answers come back in any order: only the last one
   * sent (asked after the latest change) is drawn. */
  let refreshes = 0;
  async function refresh() {
    if (state.counter === null) return;
    const mine = ++refreshes;
    try {
      const [waiting, summary] = await Promise.all([
        window.XP.api("GET", counterPath("waiting")),
        window.XP.api("GET", "/officer/summary"),
      ]);
      if (mine !== refreshes) return;
      state.waiting = waiting.tickets;
      renderWaiting();
      $("served-today").textContent = t("served_today", { count: summary.served_today });
      renderRatings(summary.ratings);
    } catch (error) {
      if (mine === refreshes) staff.message(error.message, true);
    }
  }

  /* The officer's own ratings today: counts only, never a single rating. */
  function renderRatings(ratings) {
    const node = $("ratings-today");
    let text = t("ratings_today", { count: ratings.count });
    if (typeof ratings.percent_satisfied === "number") {
      text += " · " + t("ratings_breakdown", {
        very: ratings.very_satisfied,
        satisfied: ratings.satisfied,
        not_satisfied: ratings.not_satisfied,
        percent: ratings.percent_satisfied.toLocaleString(window.XP.language),
      });
    } else if (ratings.count > 0) {
      text += " · " + t("ratings_few", { min: ratings.min_count });
    }
    node.textContent = text;
  }

  function refreshSoon() {
    window.clearTimeout(refreshTimer);
    refreshTimer = window.setTimeout(refresh, 100);
  }

  function onSnapshot(snapshot) {
    state.counters = new Map(snapshot.counters.map((c) => [c.number, c]));
    // A snapshot read before a command's answer (it can arrive after it) must not undo it.
    if (!(snapshot.seq < state.viewSeq)) {
      state.view = snapshot.counters.find((c) => c.number === state.counter) || null;
    }
    renderCurrent();
    refresh();
  }

  function onEvent(name, payload) {
    if (name === "counter_changed" && payload.number === state.counter && payload.seq <= state.viewSeq) {
      return; // older than what a command's answer already showed
    }
    if (name.startsWith("visit_") && window.XP.visitsChanged) window.XP.visitsChanged();
    if (name === "counter_changed") state.counters.set(payload.number, payload);
    if (name === "counter_changed" && payload.number === state.counter) {
      state.view = payload;
      renderCurrent();
      refreshSoon();
    } else if (name === "queue_changed" && myServices().includes(payload.service)) {
      refreshSoon();
    }
  }

  /* Every command waits for the one before it: a key pressed while a request is in
   * flight runs after it, with the screen as it is then. */
  function enqueue(command) {
    queued += 1;
    document.body.dataset.queued = String(queued);
    chain = chain.then(command).catch(() => {}).finally(() => {
      queued -= 1;
      document.body.dataset.queued = String(queued);
    });
    return chain;
  }

  /* What a command's answer says the counter serves now (the counter_changed event
   * that says it too is sent after the answer, and the next key may not wait for it). */
  const CURRENT_AFTER = {
    next: (result) => (result && result.ticket) || null, // no answer body: nobody waits
    call: (result) => (result && result.ticket) || null,
    finish: () => null,
    "no-show": () => null,
    transfer: () => null,
  };

  async function act(action, body, describe) {
    try {
      const result = await staff.post(counterPath(action), body);
      if (result && result.counter) {
        state.view = result.counter;
      } else if (action in CURRENT_AFTER && state.view) {
        state.view = { ...state.view, current: CURRENT_AFTER[action](result) };
      }
      if ((result && result.counter) || action in CURRENT_AFTER) {
        // An event older than this answer (still on its way) must not undo it.
        if (result && result.eventSeq) state.viewSeq = Math.max(state.viewSeq, result.eventSeq);
        renderCurrent();
      }
      staff.message(describe ? describe(result) : "");
    } catch (error) {
      staff.message(error.message, true);
    }
  }

  const current = () => state.view && state.view.current;
  const paused = () => Boolean(state.view && state.view.status === "paused");
  const number = (result) => (result && result.ticket ? result.ticket.number : "");
  const called = (result) => (result && result.ticket ? t("called", { number: result.ticket.number }) : t("no_one"));
  const recalled = (result) => t("recalled", { number: number(result) });

  /* A command on the current ticket when there is none is refused in words. */
  function withCurrent(command) {
    return () => (current() ? command(current()) : staff.message(t("nothing_current"), true));
  }

  /* A paused counter is opened again only when the officer says so. */
  async function unlessPaused(command) {
    if (!paused()) return command();
    if (!(await ask(t("ask_resume"), t("resume_and_call"), t("stay_paused")))) return null;
    await act("resume", {});
    return paused() ? null : command();
  }

  const callNext = () => enqueue(() => unlessPaused(() => act("next", {}, called)));
  const recall = () => enqueue(withCurrent(() => act("recall", {}, recalled)));
  const noShow = () => enqueue(withCurrent((ticket) =>
    act("no-show", {}, () => t("no_show_done", { number: ticket.number }))));
  const finish = () => enqueue(withCurrent((ticket) =>
    act("finish", {}, (result) => {
      // The result slip panel (slips.js) offers a slip for the ticket just finished.
      if (result && result.ticket) document.dispatchEvent(new CustomEvent("xp:finished", { detail: result.ticket }));
      return t("finished", { number: ticket.number });
    })));
  const togglePause = () => enqueue(() => (paused()
    ? act("resume", {}, () => t("resumed"))
    : act("pause", {}, () => t("paused_done"))));
  const callTicket = (ticket) => enqueue(() => unlessPaused(() => act("call", { ticket_id: ticket.id }, called)));

  /* A yes/no question in a dialog; resolves true for yes. */
  function ask(question, yes, no) {
    const dialog = $("ask-dialog");
    $("ask-text").textContent = question;
    $("ask-yes").textContent = yes;
    $("ask-no").textContent = no;
    dialog.showModal();
    $("ask-no").focus(); // a stray Enter must not say yes
    return new Promise((resolve) => {
      dialog.addEventListener("close", () => resolve(dialog.returnValue === "yes"), { once: true });
    });
  }

  /* The transfer dialog: other services, and other counters of the ticket's service. */
  function openTransfer() {
    enqueue(withCurrent((ticket) => {
      let index = 0;
      for (const button of document.querySelectorAll("[data-transfer]")) {
        button.hidden = button.dataset.transfer === ticket.service;
        const key = button.querySelector("kbd");
        if (!button.hidden) index += 1;
        if (key) key.textContent = button.hidden ? "" : String(index);
      }
      for (const button of document.querySelectorAll("[data-transfer-counter]")) {
        const counter = state.counters.get(Number(button.dataset.transferCounter));
        button.hidden = Number(button.dataset.transferCounter) === state.counter
          || !counter || counter.status === "closed" || !(counter.services || []).includes(ticket.service);
      }
      $("transfer-counters").hidden = !document.querySelector("[data-transfer-counter]:not([hidden])");
      $("transfer-dialog").showModal();
      $("transfer-cancel").focus(); // a stray Enter must not pick a service
    }));
  }
  function transferTo(service, counter) {
    $("transfer-dialog").close();
    const body = counter ? { service, counter } : { service };
    const where = counter
      ? t("counter") + " " + counter
      : (data.services.find((s) => s.code === service) || { name: service }).name;
    enqueue(withCurrent((ticket) =>
      act("transfer", body, () => t("transferred", { number: ticket.number, target: where }))));
  }

  async function start(counter) {
    state.counter = counter;
    const name = data.counters.find((c) => c.number === counter);
    $("counter-name").textContent = name ? "– " + name.name : "";
    $("pick-counter").hidden = true;
    $("console").hidden = false;
    $("change-counter").hidden = false;
    connect();
    $("btn-next").focus();
  }

  /* (Re)connect: the server puts the socket in the chosen counter's room. */
  function connect() {
    if (state.socket) state.socket.disconnect();
    state.socket = window.XP.live("/officer", {}, {
      snapshot: onSnapshot,
      event: onEvent,
      settings: settingsChanged,
      denied: () => window.location.assign("/login?next=/officer"),
    });
  }

  /* Another officer has the counter open: ask before taking it over. */
  async function chooseCounter(number, takeOver) {
    const body = takeOver ? { counter: number, take_over: true } : { counter: number };
    try {
      const session = await staff.post("/api/v1/session/counter", body);
      staff.csrf = session.csrf_token;
      start(number);
    } catch (error) {
      if (error.status === 409 && !takeOver) {
        if (await ask(error.message, t("take_over"), t("cancel"))) chooseCounter(number, true);
        return;
      }
      $("pick-message").textContent = error.message;
    }
  }

  function showPicker() {
    $("console").hidden = true;
    $("pick-counter").hidden = false;
  }

  $("btn-next").addEventListener("click", callNext);
  $("btn-recall").addEventListener("click", recall);
  $("btn-no-show").addEventListener("click", noShow);
  $("btn-finish").addEventListener("click", finish);
  $("btn-pause").addEventListener("click", togglePause);
  $("btn-transfer").addEventListener("click", openTransfer);
  $("transfer-cancel").addEventListener("click", () => $("transfer-dialog").close());
  $("change-counter").addEventListener("click", showPicker);
  // One listener for the counter and transfer buttons: the admin may change them live.
  document.addEventListener("click", (event) => {
    const transfer = event.target.closest("[data-transfer]");
    const toCounter = event.target.closest("[data-transfer-counter]");
    const counter = event.target.closest("[data-counter]");
    if (transfer) transferTo(transfer.dataset.transfer, null);
    else if (toCounter) transferTo(current() && current().service, Number(toCounter.dataset.transferCounter));
    else if (counter) chooseCounter(Number(counter.dataset.counter), false);
  });

  function settingsChanged() {
    priorities = new Map(data.priorities.map((p) => [p.code, p]));
    const name = data.counters.find((c) => c.number === state.counter);
    if (state.counter !== null) $("counter-name").textContent = name ? "– " + name.name : "";
  }
  $("call-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const wanted = $("call-number").value.trim().toUpperCase();
    if (!wanted) return;
    let ticket = state.waiting.find((w) => w.number.toUpperCase() === wanted);
    if (!ticket) {
      // Not waiting here: maybe a citizen marked no-show who came back.
      try {
        ticket = await window.XP.api("GET", `/api/v1/tickets/by-number/${encodeURIComponent(wanted)}`);
      } catch (e) { ticket = null; }
      if (!ticket || !["waiting", "no_show"].includes(ticket.status)) {
        staff.message(t("not_waiting", { number: wanted }), true);
        return;
      }
    }
    $("call-number").value = "";
    callTicket(ticket);
  });

  const keys = { Enter: callNext, "+": callNext, "*": recall, "-": noShow, "/": finish, "0": openTransfer, ".": togglePause };
  document.addEventListener("keydown", (event) => {
    if (state.counter === null || event.ctrlKey || event.altKey || event.metaKey) return;
    if ($("ask-dialog").open) return; // the dialog's own buttons and Esc answer it
    const dialog = $("transfer-dialog");
    if (dialog.open) {
      // Only a digit picks a service; Enter, + and the rest do nothing here (Esc cancels).
      if (event.key !== "Escape" && event.key !== "Tab") event.preventDefault();
      const index = Number(event.key);
      const choice = document.querySelectorAll("[data-transfer]:not([hidden])")[index - 1];
      if (index >= 1 && choice) choice.click();
      return;
    }
    const target = event.target;
    if (target && ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) return;
    if (target && ["BUTTON", "SUMMARY"].includes(target.tagName) && event.key === "Enter" && target.id !== "btn-next") return;
    const handler = keys[event.key];
    if (handler) { event.preventDefault(); handler(); }
  });

  window.setInterval(tickElapsed, 1000);
  staff.load().then((session) => {
    if (typeof session.counter === "number") start(session.counter);
    else { showPicker(); connect(); } // the list of counters stays live while choosing
  }).catch(() => {});
})();

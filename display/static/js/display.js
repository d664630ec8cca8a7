/* Hall display: latest call, recent calls, counters board, waiting per service, clock.
 * Ticket numbers only: never a name or anything personal. */
(function () {
  "use strict";
  const { data, t, el } = window.XP;
  const config = data.config;
  const second = data.languages[1] || null;
  const state = { counters: new Map(), services: [], recent: [] };
  let highlightTimer = null;

  const $ = (id) => document.getElementById(id);

  function counterLabel(number) { return t("counter") + " " + number; }

  function renderLatest(fresh) {
    const latest = state.recent[0];
    const box = $("latest");
    $("latest-number").textContent = latest ? latest.number : "–";
    $("latest-number").style.setProperty("--chars", latest ? latest.number.length : 1);
    $("latest-counter").textContent = latest ? counterLabel(latest.counter) : t("no_calls");
    box.querySelector(".d-go").hidden = !latest;
    $("latest-recall").hidden = !(latest && latest.recall);
    box.dataset.ticket = latest ? latest.number : "";
    describe(latest);
    if (fresh) {
      box.classList.remove("fresh");
      void box.offsetWidth; // restart the highlight
      box.classList.add("fresh");
      window.clearTimeout(highlightTimer);
      highlightTimer = window.setTimeout(() => box.classList.remove("fresh"), config.highlight_s * 1000);
    }
  }

  /* The line under the number names that number, never the call being spoken (the voice
   * queue can lag behind the calls by a few announcements). */
  let described = "";
  async function describe(call) {
    const line = $("announce-text");
    const key = call ? `${call.number}|${call.counter}` : "";
    if (key === described) return;
    described = key;
    line.textContent = "";
    if (!call || !data.voice) return;
    try {
      const path = `/audio/call/${encodeURIComponent(call.number)}/${call.counter}.json`;
      const response = await fetch(path);
      if (!response.ok) return;
      const info = await response.json();
      if (described === key) line.textContent = info.text;
    } catch (error) { /* offline: the number alone is shown */ }
  }

  function renderRecent() {
    const list = $("recent");
    list.replaceChildren(
      ...state.recent.slice(1, config.recent_calls + 1).map((call) =>
        el("li", { class: "d-recent-item" },
          el("span", { class: "d-recent-number", text: call.number }),
          el("span", { class: "d-recent-counter", text: counterLabel(call.counter) })))
    );
  }

  function renderBoard() {
    const numbers = Array.from(state.counters.keys()).sort((a, b) => a - b);
    $("board").replaceChildren(
      ...numbers.map((number) => {
        const counter = state.counters.get(number);
        let current = counter.current ? counter.current.number : "—";
        let status = null;
        if (counter.status === "paused") status = t("paused");
        else if (counter.status === "closed") status = t("closed");
        if (status && !counter.current) current = "";
        const shown = el("span", { class: "d-board-number", text: current });
        shown.style.setProperty("--chars", String(current || "").length);  // long: smaller
        // The status shares the counter's line: a paused counter is no taller than the rest.
        return el("li", { class: "d-board-item status-" + counter.status, "data-counter": number },
          el("span", { class: "d-board-counter" }, counterLabel(number),
            status ? el("span", { class: "d-board-status", text: status }) : null),
          shown);
      })
    );
  }

  function renderWaiting() {
    $("waiting").replaceChildren(
      ...state.services.map((service) =>
        el("li", { class: "d-waiting-item", "data-service": service.code },
          el("span", { class: "d-waiting-name" }, service.name,
            second && service.labels && service.labels[second]
              ? el("span", { class: "d-waiting-second", lang: second, text: service.labels[second] })
              : null),
          el("span", { class: "d-waiting-count", text: service.waiting })))
    );
    fitWaiting();
  }

  /* Many services: the list steps down (smaller rows, then no second-language line,
   * then three columns) until it fits its part, never spilling into the notice line. */
  const DENSITY = ["dense", "denser", "densest"];
  function fitWaiting() {
    const part = document.querySelector(".d-waiting");
    const list = $("waiting");
    list.classList.remove(...DENSITY);
    for (const step of DENSITY) {
      if (part.scrollHeight <= part.clientHeight + 1) return;
      list.classList.add(step);
    }
  }
  window.addEventListener("resize", fitWaiting);

  function renderAll() { renderLatest(false); renderRecent(); renderBoard(); renderWaiting(); }

  /* Newest first, one entry per ticket: a recall moves the ticket back to the top. */
  function keepRecent(calls) {
    const seen = new Set();
    return calls.filter((call) => !seen.has(call.ticket_id) && seen.add(call.ticket_id))
      .slice(0, config.recent_calls + 1);
  }

  function onSnapshot(snapshot) {
    state.services = snapshot.services;
    state.counters = new Map(snapshot.counters.map((c) => [c.number, c]));
    state.recent = keepRecent(snapshot.recent_calls);
    renderAll();
  }

  function onEvent(name, payload) {
    if (name === "ticket_called") {
      window.XP.announce(payload);
      state.recent = keepRecent([payload, ...state.recent]);
      renderLatest(true);
      renderRecent();
    } else if (name === "queue_changed") {
      const service = state.services.find((s) => s.code === payload.service);
      if (service) { service.waiting = payload.waiting; renderWaiting(); }
    } else if (name === "counter_changed") {
      state.counters.set(payload.number, payload);
      renderBoard();
    }
  }

  const timeFormat = window.XP.formatter({ hour: "2-digit", minute: "2-digit", hour12: false });
  const dateFormat = window.XP.formatter({ weekday: "long", day: "numeric", month: "numeric", year: "numeric" });
  function tick() {
    const now = window.XP.now();
    $("clock").textContent = timeFormat.format(now);
    const date = dateFormat.format(now);
    $("date").textContent = date.charAt(0).toUpperCase() + date.slice(1);
  }
  tick();
  window.setInterval(tick, 1000);

  function startNotice() {
    const notice = $("notice");
    if (!notice) return;
    // Scroll speed in pixels per second, whatever the text length.
    const seconds = Math.max(15, (notice.scrollWidth + window.innerWidth) / 120);
    notice.style.animationDuration = seconds + "s";
  }
  startNotice();

  window.XP.live("/display", { token: window.XP.token("display") }, {
    snapshot: onSnapshot,
    event: onEvent,
    settings: startNotice, // the notice was redrawn; the snapshot brings names and counters
    denied: () => { $("no-access").hidden = false; },
  });
})();

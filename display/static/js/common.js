/* Shared by every screen: page data, texts, HTTP calls and the live feed.
 * The live feed follows the server's rules: a snapshot on the first connect, then
 * events in seq order; an event whose prev (the seq of the one before it that this
 * page gets) is beyond what the page has asks the server for a fresh snapshot. On a
 * reconnect (to this server process or another) the page names its last seq ("after")
 * and gets the events it missed, then "resumed"; a snapshot if they are no longer kept.
 * The events of one operation may come in one "batch" frame: [[name, payload], ...]
 * in seq order, taken one by one as if they had come alone. */
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("page-data").textContent);
  let language = data.languages[0];
  let clockOffset = 0; // server time minus this machine's time, in ms
  const sockets = []; // for diagnostics and tests
  // Events after which the page's parts are drawn again: settings, the outreach schedule.
  const REDRAWS = new Set(["settings_changed", "outreach_changed"]);

  function t(key, vars, lang) {
    const table = data.texts[lang || language] || data.texts[data.languages[0]];
    let text = table[key] || data.texts[data.languages[0]][key] || key;
    for (const [name, value] of Object.entries(vars || {})) {
      text = text.split("{" + name + "}").join(String(value));
    }
    return text;
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) {
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
      }
    }
    return node;
  }

  /* A token given once as ?token=… is kept on this machine and removed from the URL. */
  function token(page) {
    const key = "xephang.token." + page;
    const url = new URL(window.location.href);
    const given = url.searchParams.get("token");
    if (given) {
      try { window.localStorage.setItem(key, given); } catch (e) { /* private mode */ }
      url.searchParams.delete("token");
      window.history.replaceState(null, "", url.pathname + url.search + url.hash);
      return given;
    }
    try { return window.localStorage.getItem(key); } catch (e) { return given; }
  }

  function newKey() {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  /* JSON over HTTP. Writes carry an Idempotency-Key so a retried click acts once. */
  async function api(method, path, body, options) {
    const opts = options || {};
    const headers = { Accept: "application/json" };
    if (opts.token) headers.Authorization = "Bearer " + opts.token;
    if (opts.csrf) headers["X-CSRF-Token"] = opts.csrf;
    if (method !== "GET") {
      headers["Content-Type"] = "application/json";
      headers["Idempotency-Key"] = opts.key || newKey();
    }
    const response = await fetch(path, {
      method,
      headers,
      body: method === "GET" ? undefined : JSON.stringify(body || {}),
      credentials: "same-origin",
      cache: "no-store",
    });
    let payload = null;
    if (response.status !== 204) {
      try { payload = await response.json(); } catch (e) { payload = null; }
    }
    const seq = Number(response.headers.get("X-Xephang-Seq"));
    if (seq && payload && typeof payload === "object") {
      // The seq of the change this answer reports: events up to it are older news.
      Object.defineProperty(payload, "eventSeq", { value: seq, enumerable: false });
    }
    if (!response.ok) {
      const error = new Error((payload && (payload.message || payload.error)) || t("failed"));
      error.status = response.status;
      error.payload = payload;
      throw error;
    }
    return payload;
  }

  function showOffline(offline) {
    const banner = document.getElementById("offline");
    if (banner) banner.hidden = !offline;
    document.body.classList.toggle("is-offline", offline);
  }

  /* The admin changed settings: fetch this page again and swap in its fresh parts
   * (elements marked data-live, matched by id) and its page data; no reload.
   * Changes may follow each other quickly: only the latest fetch is drawn. */
  let redraws = 0;
  async function redraw() {
    const mine = ++redraws;
    const response = await fetch(window.location.pathname + window.location.search, {
      credentials: "same-origin",
      cache: "no-store",
    });
    if (!response.ok) return;
    const html = await response.text();
    if (mine !== redraws) return; // an answer to an older change, come late
    const fresh = new DOMParser().parseFromString(html, "text/html");
    const next = fresh.getElementById("page-data");
    if (next) Object.assign(data, JSON.parse(next.textContent));
    for (const node of document.querySelectorAll("[data-live]")) {
      const other = fresh.getElementById(node.id);
      if (!other) continue;
      // A choice being made (the help desk's category) survives, if it is still there.
      const chosen = Array.from(node.querySelectorAll("input:checked"), (i) => [i.name, i.value]);
      node.replaceChildren(...Array.from(other.childNodes, (n) => document.importNode(n, true)));
      for (const input of node.querySelectorAll("input")) {
        if (chosen.some(([name, value]) => input.name === name && input.value === value)) input.checked = true;
      }
    }
    document.dispatchEvent(new CustomEvent("xp:redrawn")); // e.g. outreach.js draws its line
  }

  /* Connect to a namespace and keep a consistent state.
   * handlers: snapshot(s), event(name, payload), denied(), settings() after a redraw */
  function live(namespace, auth, handlers) {
    let seq = null; // null: waiting for a snapshot (or the missed events)
    let resumeFrom = null; // the seq the page had when the connection dropped
    let pending = [];
    const socket = window.io(namespace, {
      auth: (send) => {
        const after = resumeFrom !== null ? resumeFrom : seq;
        send(after === null ? { ...(auth || {}) } : { ...(auth || {}), after });
      },
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
    });

    function applySnapshot(snapshot) {
      if (!snapshot) return;
      resumeFrom = null;
      if (snapshot.at) clockOffset = Date.parse(snapshot.at) - Date.now();
      seq = snapshot.seq;
      handlers.snapshot(snapshot);
      // A settings change the snapshot already counts: it has the new names, but the
      // page's parts still have to be drawn again.
      const missed = pending.some((e) => REDRAWS.has(e.name) && e.payload.seq <= seq);
      const queued = pending.filter((e) => e.payload.seq > seq).sort((a, b) => a.payload.seq - b.payload.seq);
      pending = [];
      for (const item of queued) receive(item.name, item.payload);
      document.body.dataset.seq = String(seq);
      if (missed) settingsChanged();
    }

    function resync() {
      seq = null;
      document.body.dataset.resyncs = String(Number(document.body.dataset.resyncs || 0) + 1);
      socket.timeout(5000).emit("resync", (err, snapshot) => {
        if (err) { socket.disconnect().connect(); return; }
        // Asked too often on this connection: the server says when to ask again.
        if (snapshot && snapshot.retry_after) {
          document.body.dataset.resyncWaits = String(Number(document.body.dataset.resyncWaits || 0) + 1);
          setTimeout(resync, snapshot.retry_after * 1000);
          return;
        }
        applySnapshot(snapshot);
      });
    }

    function receive(name, payload) {
      if (name === "snapshot" || !payload || typeof payload.seq !== "number") return;
      if (seq === null) { pending.push({ name, payload }); return; }
      if (payload.seq <= seq) { // already in the snapshot, but not the page's parts
        if (REDRAWS.has(name)) settingsChanged();
        return;
      }
      const prev = typeof payload.prev === "number" ? payload.prev : payload.seq - 1;
      if (prev > seq) { pending.push({ name, payload }); resync(); return; }
      seq = payload.seq;
      document.body.dataset.seq = String(seq);
      if (REDRAWS.has(name)) { settingsChanged(); return; }
      handlers.event(name, payload);
    }

    /* New names, counters, buttons or notice: redraw the page's parts, then take a
     * fresh snapshot (which redraws the live state with the new catalogue). */
    async function settingsChanged() {
      try { await redraw(); } catch (e) { /* offline: the next snapshot still comes */ }
      if (handlers.settings) handlers.settings();
      document.body.dataset.settings = String(Number(document.body.dataset.settings || 0) + 1);
      resync();
    }

    socket.on("connect", () => showOffline(false));
    /* The events missed while away have come (held in pending): take them in order. */
    function resumed() {
      if (resumeFrom === null) return;
      seq = resumeFrom;
      resumeFrom = null;
      const queued = pending.sort((a, b) => a.payload.seq - b.payload.seq);
      pending = [];
      for (const item of queued) receive(item.name, item.payload);
      document.body.dataset.seq = String(seq);
      document.body.dataset.resumes = String(Number(document.body.dataset.resumes || 0) + 1);
    }

    socket.on("disconnect", (reason) => {
      if (seq !== null) resumeFrom = seq;
      seq = null; pending = []; showOffline(true);
      // The server closes a socket whose token or session ended; the client does not
      // reconnect by itself then. Try once: a refusal calls handlers.denied (sign in).
      if (reason === "io server disconnect") socket.connect();
    });
    socket.on("connect_error", (err) => {
      if (err && err.message === "unauthorized") {
        if (handlers.denied) handlers.denied();
      } else {
        showOffline(true);
      }
    });
    socket.on("snapshot", applySnapshot);
    socket.on("resumed", resumed);
    socket.onAny((name, payload) => {
      if (name !== "batch") { receive(name, payload); return; }
      if (!Array.isArray(payload)) return;
      for (const item of payload) if (Array.isArray(item)) receive(item[0], item[1]);
    });
    sockets.push(socket);
    return socket;
  }

  function now() { return new Date(Date.now() + clockOffset); }

  function formatter(options) {
    return new Intl.DateTimeFormat(language === "vi" ? "vi-VN" : language, {
      timeZone: data.timezone,
      ...options,
    });
  }

  function setLanguage(lang) {
    language = lang;
    document.documentElement.lang = lang;
    for (const node of document.querySelectorAll("[data-t]")) {
      node.textContent = t(node.dataset.t);
    }
  }

  window.XP = {
    data, t, el, token, api, live, redraw, now, formatter, setLanguage, newKey, sockets,
    get language() { return language; },
  };
})();

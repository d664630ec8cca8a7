/* The counter's rating tablet: idle → the question when the officer finishes a ticket
 * here (pushed on /rate) → thanks → idle. Nothing touched for timeout_s: back to idle
 * (a "not satisfied" already chosen is sent with the reasons ticked so far).
 * The rating is an HTTP POST; the socket only says which ticket awaits a rating. */
(function () {
  "use strict";
  const { data, t } = window.XP;
  const $ = (id) => document.getElementById(id);
  const token = window.XP.token("rate");
  const counter = data.counter.number;
  const config = data.ratings;
  const dismissed = new Set(); // tickets rated or left unrated here: never asked again
  let current = null; // the ticket asked about
  let idleTimer = null;
  let sending = false; // our own POST is under way: its "rated" echo is not news

  function step(name) {
    $("step-idle").hidden = name !== "idle";
    $("step-rating").hidden = name !== "rating";
    document.body.dataset.step = name;
  }

  function idle() {
    window.clearTimeout(idleTimer);
    if (current) dismissed.add(current.ticket_id);
    current = null;
    document.body.dataset.ticket = "";
    $("rating-ticket").textContent = "";
    step("idle");
  }

  function armTimeout(ms) {
    window.clearTimeout(idleTimer);
    idleTimer = window.setTimeout(timedOut, ms);
  }

  function timedOut() {
    if (current && form.part === "rating-reasons") form.sendPending();
    else idle();
  }

  function ask(pending, ms) {
    if (dismissed.has(pending.ticket_id)) return;
    if (current && current.ticket_id === pending.ticket_id) return;
    current = pending;
    form.reset();
    $("rating-ticket").textContent = t("ticket", { number: pending.number });
    document.body.dataset.ticket = pending.number;
    step("rating");
    armTimeout(ms);
  }

  function thanks(key) {
    if (current) dismissed.add(current.ticket_id);
    step("rating");
    form.thanks(key);
    armTimeout(config.thanks_s * 1000);
  }

  const form = window.XP.ratingForm({
    async send(score, reasons, comment) {
      if (!current) return;
      const body = { ticket_id: current.ticket_id, score, reasons };
      if (comment) body.comment = comment;
      sending = true;
      try {
        await window.XP.api("POST", `/api/v1/counters/${counter}/rating`, body, { token });
        thanks();
      } catch (error) {
        if (error.status === 401) $("no-access").hidden = false;
        if (error.status === 409) { thanks("already"); return; }
        form.error(error.message || t("failed"));
        armTimeout(config.thanks_s * 1000);
      } finally {
        sending = false;
      }
    },
  });

  document.addEventListener("pointerdown", () => {
    if (current && form.part !== "rating-thanks") armTimeout(config.timeout_s * 1000);
  });

  function offline(flag) {
    $("offline").hidden = !flag;
    document.body.classList.toggle("is-offline", flag);
  }

  if (!token) {
    $("no-access").hidden = false;
  } else {
    const socket = window.io("/rate", { auth: { token }, reconnectionDelay: 500, reconnectionDelayMax: 3000 });
    window.XP.sockets.push(socket);
    socket.on("connect", () => offline(false));
    socket.on("disconnect", (reason) => {
      offline(true);
      if (reason === "io server disconnect") socket.connect(); // a revoked token is refused
    });
    socket.on("connect_error", (err) => {
      if (err && err.message === "unauthorized") $("no-access").hidden = false;
      else offline(true);
    });
    // A fresh state on every (re)connect: which ticket, if any, awaits a rating here.
    socket.on("state", (state) => {
      const pending = state.pending;
      if (pending) {
        const left = Date.parse(pending.ask_until) - Date.parse(state.at);
        if (left > 0) ask(pending, left);
        else dismissed.add(pending.ticket_id);
      } else if (current && form.part !== "rating-thanks") {
        idle();
      }
    });
    socket.on("ask", (message) => ask(message.pending, config.timeout_s * 1000));
    // The admin changed settings (a renamed counter): redraw the header, no reload.
    socket.on("settings_changed", () => window.XP.redraw().catch(() => {}));
    socket.on("rated", (message) => {
      // Rated from the tracking page meanwhile: nothing left to ask here.
      if (sending || !current || current.ticket_id !== message.ticket_id) return;
      if (form.part !== "rating-thanks") idle();
    });
  }
  step("idle");
})();

/* The public tracking page (the ticket's QR code): where the ticket is, refreshed by
 * itself while it waits or is at a counter; once served, the rating form (once). */
(function () {
  "use strict";
  const { data, t } = window.XP;
  const $ = (id) => document.getElementById(id);
  const [primary, second] = data.languages;
  const code = encodeURIComponent(data.code);
  const REFRESH_MS = data.ratings.refresh_s * 1000;
  const active = ["waiting", "called", "serving"];
  let ticket = data.ticket;
  let ratingState = data.rating_state;
  let refreshTimer = null;

  function counterName(number) {
    return data.counters[String(number)] || `${t("counter")} ${number}`;
  }

  function sentence(lang) {
    const status = ticket.status;
    const vars = { counter: ticket.counter ? counterName(ticket.counter) : "" };
    return t(status, vars, lang);
  }

  function minutes(seconds) { return Math.max(1, Math.ceil(seconds / 60)); }

  function renderStatus() {
    document.body.dataset.status = ticket.status;
    $("track-state").textContent = sentence(primary);
    if (second && $("track-state2")) $("track-state2").textContent = sentence(second);
    const waiting = ticket.status === "waiting";
    $("track-ahead").hidden = !waiting;
    $("track-wait").hidden = !waiting;
    if (waiting) {
      $("track-ahead").textContent = t("ahead", { count: ticket.ahead });
      const left = ticket.estimated_wait_s || 0; // from now, in the policy's order
      $("track-wait").textContent = ticket.ahead === 0 || left < 60 ? t("soon") : t("wait", { minutes: minutes(left) });
    }
    const time = window.XP.formatter({ hour: "2-digit", minute: "2-digit" }).format(window.XP.now());
    $("track-updated").textContent = t("updated", { time });
  }

  function renderRating() {
    document.body.dataset.ratingState = ratingState;
    const open = ratingState === "open";
    const rated = ratingState === "rated";
    $("track-rating").hidden = !(open || rated);
    $("track-closed").hidden = ratingState !== "closed" || ticket.status !== "done";
    if (rated && form.part !== "rating-thanks") form.thanks("already");
  }

  async function refresh() {
    window.clearTimeout(refreshTimer);
    try {
      const fresh = await window.XP.api("GET", `/api/v1/track/${code}`);
      ticket = { ...ticket, ...fresh };
      if (!active.includes(ticket.status)) {
        const answer = await window.XP.api("GET", `/api/v1/track/${code}/rating`);
        ratingState = answer.state;
      }
    } catch (error) {
      /* keep what is shown; try again at the next round */
    }
    renderStatus();
    renderRating();
    if (active.includes(ticket.status)) refreshTimer = window.setTimeout(refresh, REFRESH_MS);
  }

  const form = window.XP.ratingForm({
    async send(score, reasons, comment) {
      const body = { score, reasons };
      if (comment) body.comment = comment;
      try {
        await window.XP.api("POST", `/api/v1/track/${code}/rating`, body);
        ratingState = "rated";
        form.thanks();
      } catch (error) {
        if (error.status === 409) {
          const answer = await window.XP.api("GET", `/api/v1/track/${code}/rating`).catch(() => null);
          ratingState = answer ? answer.state : ratingState;
          if (ratingState === "rated") { form.thanks("already"); return; }
          renderRating();
        }
        form.error(error.message || t("failed"));
      }
    },
  });

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && active.includes(ticket.status)) refresh();
  });

  renderStatus();
  renderRating();
  if (active.includes(ticket.status)) refreshTimer = window.setTimeout(refresh, REFRESH_MS);
})();

/* The "next outreach session" line (elements marked data-outreach): the first session of
 * the page data's list not yet over by the center's clock, so a screen left on overnight
 * never shows a past date; nothing when there is none. Drawn again every minute and
 * after an outreach_changed or settings_changed event has redrawn the page (the
 * tracking page, without a live feed, redraws itself every five minutes). */
(function () {
  "use strict";

  const XP = window.XP;
  const dayFormat = XP.formatter({ year: "numeric", month: "2-digit", day: "2-digit" });
  const timeFormat = XP.formatter({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

  function localNow() {
    const parts = {};
    for (const p of dayFormat.formatToParts(XP.now())) parts[p.type] = p.value;
    return { day: `${parts.year}-${parts.month}-${parts.day}`, time: timeFormat.format(XP.now()) };
  }

  function next() {
    const now = localNow();
    return (XP.data.outreach || []).find(
      (s) => s.day > now.day || (s.day === now.day && s.ends > now.time),
    );
  }

  function draw() {
    const session = next();
    for (const node of document.querySelectorAll("[data-outreach]")) {
      const text = session ? session.text + (node.dataset.sep || "") : "";
      if (node.textContent !== text) node.textContent = text;
      node.hidden = !session;
      node.dataset.session = session ? String(session.id) : "";
    }
    document.body.dataset.outreachShown = session ? String(session.id) : "";
  }

  draw();
  window.setInterval(draw, 60000);
  // The tracking page has no live feed: it fetches its parts again now and then.
  if (XP.data.page === "track") {
    window.setInterval(() => XP.redraw().catch(() => {}), 300000);
  }
  document.addEventListener("xp:redrawn", draw);
  XP.outreach = { draw };
})();

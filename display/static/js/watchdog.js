/* Watchdog of the unattended screens (hall display, kiosk). A page that lost its server
 * for longer than a minute is loaded again as soon as the server answers /api/v1/healthz,
 * so that it comes back with the pages, scripts and styles of the server running now
 * (after an upgrade, say). A shorter outage is left to the socket, which resumes by
 * itself (common.js). The page counts as offline while common.js shows its offline
 * banner (body.is-offline); body[data-offline-since] says since when (ms). */
(() => {
  const AFTER_MS = Number(window.XP_WATCHDOG_MS) || 60000; // tests make it shorter
  const CHECK_MS = Math.min(5000, AFTER_MS / 2);
  let offlineSince = null;
  let reloading = false;

  async function serverAnswers() {
    try {
      const response = await fetch("/api/v1/healthz", { cache: "no-store" });
      return response.ok;
    } catch (e) {
      return false;
    }
  }

  async function check() {
    if (reloading) return;
    const offline = document.body.classList.contains("is-offline");
    if (offline && offlineSince === null) {
      offlineSince = Date.now();
      document.body.dataset.offlineSince = String(offlineSince);
    }
    if (offlineSince === null) return;
    const long = Date.now() - offlineSince >= AFTER_MS;
    if (!long) {
      if (!offline) { offlineSince = null; delete document.body.dataset.offlineSince; }
      return;
    }
    if (await serverAnswers()) {
      reloading = true;
      window.location.reload();
    }
  }

  new MutationObserver(check).observe(document.body, { attributes: true, attributeFilter: ["class"] });
  setInterval(check, CHECK_MS);
})();

/* The admin clock page: shows this browser's clock beside the server's (same zone) and
 * sends it with the confirmation, for the audit log. */
(function () {
  "use strict";
  const zone = document.getElementById("clock-times").dataset.zone;
  const cell = document.getElementById("browser-time");
  const field = document.getElementById("browser-time-field");
  const format = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone, day: "2-digit", month: "2-digit", year: "numeric",
    hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false,
  });
  function tick() {
    const now = new Date();
    cell.textContent = format.format(now).replace(",", "");
    field.value = now.toISOString();
  }
  tick();
  window.setInterval(tick, 1000);
})();

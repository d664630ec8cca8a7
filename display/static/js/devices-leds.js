/* /devices/leds: what each virtual LED board shows, refreshed every second. */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("page-data").textContent);

  function board(status) {
    const box = document.createElement("div");
    const led = document.createElement("div");
    led.className = "board" + (status.text ? "" : " off");
    led.textContent = status.text || "----";
    const label = document.createElement("div");
    label.className = "label";
    label.textContent =
      data.texts.counter + " " + status.counter + (status.online ? "" : " – " + data.texts.offline);
    box.append(led, label);
    return box;
  }

  async function refresh() {
    try {
      const response = await fetch(data.json_url);
      const boards = await response.json();
      document.getElementById("boards").replaceChildren(...boards.map(board));
    } catch (e) {
      // The server is away: keep what is shown and try again.
    }
  }

  refresh();
  setInterval(refresh, 1000);
})();

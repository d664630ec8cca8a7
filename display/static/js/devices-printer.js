/* /devices/printer, live as the LED page: new tickets and each printer's state without a
 * reload. */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("page-data").textContent);

  function paragraph(text) {
    const p = document.createElement("p");
    p.textContent = text;
    return p;
  }

  function figure(ticket) {
    const box = document.createElement("figure");
    const img = document.createElement("img");
    img.src = ticket.url;
    img.alt = ticket.name;
    const caption = document.createElement("figcaption");
    caption.textContent = ticket.name;
    box.append(img, caption);
    return box;
  }

  function section(printer) {
    const box = document.createElement("section");
    box.dataset.kiosk = printer.kiosk;
    const title = document.createElement("h2");
    title.textContent = printer.kiosk;
    const status = paragraph(printer.status);
    status.className = "status" + (printer.fault ? " fault" : "");
    const grid = document.createElement("div");
    grid.className = "grid";
    if (printer.tickets.length) grid.append(...printer.tickets.map(figure));
    else grid.append(paragraph(data.texts.empty));
    box.append(title, status, grid);
    return box;
  }

  async function refresh() {
    try {
      const response = await fetch(data.json_url, { cache: "no-store" });
      const printers = await response.json();
      const root = document.getElementById("printers");
      if (!printers.length) root.replaceChildren(paragraph(data.texts.none));
      else root.replaceChildren(...printers.map(section));
    } catch (e) {
      // The server is away: keep what is shown and try again.
    }
  }

  setInterval(refresh, 1000);
})();

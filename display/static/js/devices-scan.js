/* /devices/scan: run a scan, show what it found, and prove printers and boards. */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("page-data").textContent);

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": data.csrf },
      body: JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(json.error || response.statusText);
    return json;
  }

  function list(title, items) {
    const box = document.createElement("section");
    const heading = document.createElement("h3");
    heading.textContent = title;
    const ul = document.createElement("ul");
    for (const text of items) {
      const li = document.createElement("li");
      li.textContent = text;
      ul.append(li);
    }
    if (!items.length) {
      const li = document.createElement("li");
      li.textContent = data.texts.none;
      ul.append(li);
    }
    box.append(heading, ul);
    return box;
  }

  function show(result) {
    const t = data.texts;
    const usb = result.usb_printers.map(
      (p) => `${p.vendor} ${p.product} (${p.vendor_id.toString(16).padStart(4, "0")}:` +
        `${p.product_id.toString(16).padStart(4, "0")}) — ${p.profile}`);
    const net = result.network_printers.map(
      (p) => `${p.host}:${p.port} — ${p.escpos ? t.escpos : t.not_printer}`);
    const ports = result.serial_ports.map((p) => `${p.path} → ${p.device} ${p.description}`);
    const buses = result.buses.map((b) => {
      const head = `${b.bus || b.port} (${b.protocol})`;
      if (!b.replies_possible) return `${head}: ${t.no_reply_protocol}`;
      if (b.error) return `${head}: ${b.error}`;
      return `${head}: ${b.found.length ? t.answering + " " + b.found.join(", ") : t.no_board}`;
    });
    const twins = result.twins.map((w) => `${w.kind}: ${w.name}`);
    document.getElementById("scan-result").replaceChildren(
      list(t.usb, usb), list(t.network, net), list(t.serial, ports),
      list(t.buses, buses), list(t.twins, twins), list(t.problems, result.problems));
    const snippet = document.getElementById("scan-snippet");
    snippet.textContent = result.snippet;
    snippet.hidden = !result.snippet;
  }

  document.getElementById("scan-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const status = document.getElementById("scan-status");
    status.textContent = data.texts.scanning;
    const ports = form.ports.value.split(/[\s,]+/).filter(Boolean);
    try {
      show(await post(data.scan_url, {
        network: form.network.value.trim() || null,
        network_port: Number(form.network_port.value) || 9100,
        ports,
      }));
      status.textContent = "";
    } catch (e) {
      status.textContent = data.texts.failed.replace("{error}", e.message);
    }
  });

  document.body.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-kiosk], button[data-bus]");
    if (!button) return;
    const status = document.getElementById("check-status");
    status.textContent = data.texts.scanning;
    button.disabled = true;
    try {
      const answer = button.dataset.kiosk
        ? await post(data.print_url, { kiosk: button.dataset.kiosk })
        : await post(data.board_url, {
          bus: button.dataset.bus, address: Number(button.dataset.address) });
      status.textContent = answer.message;
    } catch (e) {
      status.textContent = e.message;
    } finally {
      button.disabled = false;
    }
  });
})();

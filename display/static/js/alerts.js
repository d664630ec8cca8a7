/* Calls for assistance as helpers see them (help desk, /assist, the manager): a live
 * list with a timer per call, a chime for a new one, "I will go" (one person wins;
 * the others see who took it), then "Done" with the kind of help given. */
(function () {
  "use strict";
  const { data, t, el, staff } = window.XP;
  const $ = (id) => document.getElementById(id);
  const list = $("alerts");
  if (!list) return;
  const calls = new Map();
  const mineKey = "xephang.alerts.mine";
  let mine = new Set();
  try { mine = new Set(JSON.parse(window.sessionStorage.getItem(mineKey) || "[]")); } catch (e) { mine = new Set(); }
  const chime = new Audio("/screens/static/sounds/alert.wav");
  window.XP.alertLog = []; // chimes played, for the tests and for troubleshooting

  function reasons() { return new Map((data.reasons || []).map((r) => [r.code, r])); }
  function kinds() { return data.kinds || []; }

  function say(text, isError) {
    const node = $("alerts-message");
    node.textContent = text || "";
    node.classList.toggle("error", Boolean(isError));
  }

  function remember() {
    try { window.sessionStorage.setItem(mineKey, JSON.stringify([...mine])); } catch (e) { /* full */ }
  }

  function where(call) {
    return call.origin === "kiosk"
      ? t("alert_kiosk", { name: call.kiosk || "" })
      : t("alert_counter", { number: call.counter });
  }

  function who(taken) {
    if (!taken) return "";
    return `${t("role_" + taken.role)} ${taken.name}`.trim();
  }

  function elapsed(since) {
    const seconds = Math.max(0, Math.floor((window.XP.now() - Date.parse(since)) / 1000));
    const minutes = Math.floor(seconds / 60);
    return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
  }

  function tick() {
    for (const node of list.querySelectorAll("[data-since]")) {
      node.textContent = t("alert_waiting", { time: elapsed(node.dataset.since) });
    }
  }

  async function send(call, action, body) {
    try {
      if (!staff.csrf) await staff.load();
      const answer = await staff.post(`/api/v1/assistance-calls/${call.id}/${action}`, body || {});
      if (action === "accept") { mine.add(call.id); remember(); }
      if (action === "close") say(t("alert_closed"));
      update(answer);
    } catch (error) {
      say(error.message, true);
    }
  }

  function actions(call) {
    if (call.status === "open") {
      const go = el("button", { type: "button", class: "s-btn al-accept", text: t("alert_accept") });
      go.addEventListener("click", () => send(call, "accept"));
      return [go];
    }
    const taken = el("p", { class: "al-taken", text: t("alert_taken", { who: who(call.taken_by) }) });
    if (!mine.has(call.id)) return [taken];
    const reason = reasons().get(call.reason);
    const select = el("select", { class: "al-kind", "aria-label": t("alert_kind") },
      ...kinds().map((k) => el("option", { value: k.code, text: k.name })));
    if (reason) select.value = reason.help_kind;
    const done = el("button", { type: "button", class: "s-btn al-close", text: t("alert_close") });
    done.addEventListener("click", () => send(call, "close", { kind: select.value }));
    return [el("p", { class: "al-taken", text: t("alert_mine") }),
      el("label", { class: "al-kind-label" }, t("alert_kind"), " ", select), done];
  }

  function item(call) {
    const reason = reasons().get(call.reason);
    return el("li", { class: `al-call al-${call.status}`, "data-call": call.id },
      el("p", { class: "al-where" },
        el("strong", { text: where(call) }),
        call.manager ? el("span", { class: "badge emergency", text: t("alert_manager") }) : null),
      el("p", { class: "al-reason", text: reason ? reason.name : call.reason }),
      el("p", { class: "al-timer", role: "timer", "data-since": call.raised_at,
        text: t("alert_waiting", { time: elapsed(call.raised_at) }) }),
      ...actions(call));
  }

  function render() {
    const open = [...calls.values()].sort((a, b) => a.raised_at.localeCompare(b.raised_at));
    list.replaceChildren(...open.map(item));
    $("alerts-empty").hidden = open.length > 0;
    $("alerts-count").textContent = open.length ? `(${open.length})` : "";
  }

  function update(call) {
    if (call.status === "open" || call.status === "accepted") calls.set(call.id, call);
    else { calls.delete(call.id); mine.delete(call.id); remember(); }
    render();
  }

  async function ring(call) {
    window.XP.alertLog.push({ call: call.id, at: performance.now() });
    say(t("alert_new", { where: where(call) }));
    try {
      chime.currentTime = 0;
      await chime.play();
    } catch (error) {
      if (error && error.name === "NotAllowedError") $("alert-sound").hidden = false;
    }
  }

  $("alert-sound").addEventListener("click", () => {
    $("alert-sound").hidden = true;
    chime.play().catch(() => {});
  });

  render();
  window.setInterval(tick, 1000);
  window.XP.live("/assistance", {}, {
    snapshot: (s) => { calls.clear(); for (const call of s.calls) calls.set(call.id, call); render(); },
    event: (name, payload) => {
      update(payload.call);
      if (name === "assistance_requested") ring(payload.call);
    },
  });
})();

/* The kiosk's aids for citizens who read poorly or cannot see (docs/screens.md#kiosk-accessibility).
 *
 * Large text: the visible "Chữ to, rõ" toggle turns the high-contrast, large-text look on
 * for this citizen. When the kiosk goes back to its first screen after a citizen (ticket
 * taken, help given, or idle), it returns to this kiosk's default: off, or on for a kiosk
 * opened once with ?access=on (kept in localStorage; ?access=off undoes it).
 *
 * Keypad: a USB numeric keypad drives the kiosk with spoken prompts from the server
 * (/audio/kiosk/<language>/<prompt>.wav, offline). The first key says the menu; a number
 * picks a choice and says it; Enter confirms (and closes the ticket screen); 0 says the
 * menu again; Backspace (or the keypad's -) goes back from the priority question; + asks
 * for help. Num Lock on or off makes no difference. */
(function () {
  "use strict";
  const XP = window.XP;
  const $ = (id) => document.getElementById(id);
  const STORE = "xephang.kiosk.access";

  // ----------------------------------------------------------- large text, contrast
  const wanted = new URLSearchParams(window.location.search).get("access");
  if (wanted === "on" || wanted === "off") window.localStorage.setItem(STORE, wanted);
  const kioskDefault = () => window.localStorage.getItem(STORE) === "on";
  const toggle = $("access-toggle");
  function setAccess(on) {
    document.body.classList.toggle("k-access", on);
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
  }
  toggle.addEventListener("click", () => setAccess(!document.body.classList.contains("k-access")));
  setAccess(kioskDefault());

  // ------------------------------------------------------------------------ keypad
  const voice = new Audio();
  XP.keypadLog = []; // prompts played, for the tests and for troubleshooting
  let keypad = false; // this citizen uses the keypad: each new screen is said
  let selected = null; // the button a number picked, waiting for Enter
  const steps = Array.from(document.querySelectorAll(".k-main > .k-step"));
  const visibleStep = () => steps.find((step) => !step.hidden);
  const ENTER_CLICKS = { "step-ticket": "#done", "step-error": "#error-back", "step-help": "#help-done",
    "step-appt-ticket": "[data-appt-back]" };
  const OWN_KEYS = new Set(["step-code", "step-appt-code", "step-appt-book", "step-busy"]); // typed codes

  function say(prompt) {
    if (!prompt || !XP.data.voice) return;
    voice.pause();
    voice.src = `/audio/kiosk/${encodeURIComponent(XP.language)}/${prompt}.wav`;
    voice.play()
      .then(() => XP.keypadLog.push({ prompt, at: performance.now() }))
      // AbortError: a newer prompt (the next key) cut this one short, as it should
      .catch((error) => XP.keypadLog.push({ prompt, failed: error.name !== "AbortError" }));
  }
  voice.addEventListener("ended", () => { if (XP.kioskActivity) XP.kioskActivity(); });

  function stepPrompt(step) {
    const number = (id) => `ticket/${encodeURIComponent($(id).textContent.trim())}`;
    return { "step-service": "services", "step-priority": "priorities",
      "step-ticket": number("ticket-number"), "step-appt-ticket": number("appt-ticket-number") }[step.id] || null;
  }
  function choices(step) {
    if (step.id === "step-service") return Array.from(step.querySelectorAll("#service-grid [data-service]")).slice(0, 9);
    if (step.id === "step-priority") {
      return [...step.querySelectorAll("#priority-grid [data-priority]"), step.querySelector('.k-bar [data-priority=""]')].slice(0, 9);
    }
    return [];
  }
  function choicePrompt(button) {
    if (button.dataset.service !== undefined) return `service/${encodeURIComponent(button.dataset.service)}`;
    return `priority/${encodeURIComponent(button.dataset.priority || "-")}`;
  }
  function select(button) {
    if (selected) selected.classList.remove("k-selected");
    selected = button;
    if (button) { button.classList.add("k-selected"); button.focus(); }
  }

  /* The key meant, whether the keypad's Num Lock is on ("5") or off ("Clear"): keypad
   * digits by their position; its - goes back like Backspace. */
  function keyOf(event) {
    const digit = /^Numpad([0-9])$/.exec(event.code);
    if (digit) return digit[1];
    return { NumpadEnter: "Enter", NumpadAdd: "+", NumpadSubtract: "Backspace" }[event.code] || event.key;
  }

  document.addEventListener("keydown", (event) => {
    if (event.target.closest && event.target.closest("input, textarea, select")) return;
    const step = visibleStep();
    if (!step || OWN_KEYS.has(step.id)) return; // a QR scanner or the on-screen keys type there
    const key = keyOf(event);
    if (!/^[0-9]$/.test(key) && !["Enter", "Backspace", "+"].includes(key)) return;
    event.preventDefault(); // the keypad's Enter never clicks a focused button twice
    if (!keypad) { keypad = true; say(stepPrompt(step)); return; } // the first key: the menu
    if (key === "0") { say(stepPrompt(step)); return; }
    if (/^[1-9]$/.test(key)) {
      const button = choices(step)[Number(key) - 1];
      if (button) { select(button); say(choicePrompt(button)); } else { say(stepPrompt(step)); }
      return;
    }
    if (key === "Enter") {
      if (selected && step.contains(selected)) { const button = selected; select(null); button.click(); return; }
      const target = ENTER_CLICKS[step.id] && step.querySelector(ENTER_CLICKS[step.id]);
      if (target) target.click(); else say(stepPrompt(step));
    } else if (key === "Backspace" && step.id === "step-priority") {
      select(null);
      $("back").click();
    } else if (key === "+" && !$("need-help").hidden) {
      $("need-help").click();
    }
  });

  // A new screen: said to a keypad user (the ticket's number, the next question).
  let shown = visibleStep();
  new MutationObserver(() => {
    const step = visibleStep();
    if (step === shown) return;
    shown = step;
    select(null);
    if (keypad && step) say(stepPrompt(step));
  }).observe(document.querySelector(".k-main"), { attributes: true, attributeFilter: ["hidden"], subtree: true });

  // The next citizen: the kiosk's default look, no keypad prompts until a key is pressed.
  document.addEventListener("xp-kiosk-restart", () => {
    keypad = false;
    select(null);
    voice.pause();
    setAccess(kioskDefault());
  });
})();

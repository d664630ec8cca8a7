/* The satisfaction form shared by the counter tablet and the tracking page:
 * three faces; "not satisfied" opens optional reason chips, an optional comment (kept
 * as feedback linked to the rating) and "Send"; then thanks.
 * The page decides what sending means (an HTTP POST) through options.send. */
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const parts = ["rating-choose", "rating-reasons", "rating-thanks"];

  function ratingForm(options) {
    let busy = false;

    function show(part) {
      for (const id of parts) $(id).hidden = id !== part;
      $("rating-error").hidden = true;
      document.body.dataset.rating = part.replace("rating-", "");
    }

    function chosenReasons() {
      return Array.from(document.querySelectorAll("[data-reason][aria-pressed=true]"), (b) => b.dataset.reason);
    }

    function comment() {
      const box = $("rating-comment");
      return box ? box.value.trim() : "";
    }

    function reset() {
      busy = false;
      if ($("rating-comment")) $("rating-comment").value = "";
      for (const chip of document.querySelectorAll("[data-reason]")) chip.setAttribute("aria-pressed", "false");
      show("rating-choose");
    }

    async function send(score, reasons, said) {
      if (busy) return;
      busy = true;
      try {
        await options.send(score, reasons, said || "");
      } finally {
        busy = false;
      }
    }

    /* "thanks" (just rated) or "already" (rated before), in both languages. */
    function thanks(key) {
      const [primary, second] = window.XP.data.languages;
      $("thanks-text").textContent = window.XP.t(key || "thanks", {}, primary);
      const other = $("thanks-second");
      if (other) other.textContent = window.XP.t(key || "thanks", {}, second);
      show("rating-thanks");
    }

    function error(text) {
      const node = $("rating-error");
      node.textContent = text;
      node.hidden = false;
    }

    for (const button of document.querySelectorAll("[data-score]")) {
      button.addEventListener("click", () => {
        const score = Number(button.dataset.score);
        if (score === 1) show("rating-reasons");
        else send(score, []);
      });
    }
    for (const chip of document.querySelectorAll("[data-reason]")) {
      chip.addEventListener("click", () => {
        chip.setAttribute("aria-pressed", chip.getAttribute("aria-pressed") === "true" ? "false" : "true");
      });
    }
    $("rating-send").addEventListener("click", () => send(1, chosenReasons(), comment()));

    return {
      reset, thanks, error, chosenReasons,
      get part() { return parts.find((id) => !$(id).hidden) || null; },
      sendPending() { return send(1, chosenReasons(), comment()); },
    };
  }

  window.XP.ratingForm = ratingForm;
})();

/* The tracking page's feedback form: the citizen's own words, sent once per tap. */
(function () {
  "use strict";
  const { data, t } = window.XP;
  const $ = (id) => document.getElementById(id);
  const form = $("tf-form");
  if (!form) return;
  const code = encodeURIComponent(data.code);

  function say(text, isError) {
    const node = $("tf-message");
    node.textContent = text || "";
    node.classList.toggle("error", Boolean(isError));
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = $("tf-text").value.trim();
    if (!text) { say(t("fb_empty"), true); $("tf-text").focus(); return; }
    const body = { kind: $("tf-kind").value, text };
    const phone = $("tf-phone").value.trim();
    if (phone) { body.phone = phone; body.consent = $("tf-consent").checked; }
    $("tf-send").disabled = true;
    try {
      const answer = await window.XP.api("POST", `/api/v1/track/${code}/feedback`, body);
      say(t("fb_sent", { id: answer.id }));
      form.reset();
    } catch (error) {
      say(error.message || t("failed"), true);
    } finally {
      $("tf-send").disabled = false;
    }
  });
})();

/* Feedback at the help desk: the citizen's words, recorded with one POST. */
(function () {
  "use strict";
  const { t, staff } = window.XP;
  const $ = (id) => document.getElementById(id);
  const form = $("fb-form");
  if (!form) return;

  function say(text, isError) {
    const node = $("fb-message");
    node.textContent = text || "";
    node.classList.toggle("error", Boolean(isError));
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = $("fb-text").value.trim();
    if (!text) { say(t("fb_empty"), true); $("fb-text").focus(); return; }
    const body = { kind: $("fb-kind").value, text };
    if ($("fb-service").value) body.service = $("fb-service").value;
    if ($("fb-counter").value) body.counter = Number($("fb-counter").value);
    const phone = $("fb-phone").value.trim();
    if (phone) { body.phone = phone; body.consent = $("fb-consent").checked; }
    $("fb-save").disabled = true;
    try {
      if (!staff.csrf) await staff.load();
      const record = await staff.post("/api/v1/feedback", body);
      say(t("fb_saved", { id: record.id, due: record.due_day }));
      form.reset();
    } catch (error) {
      say(error.message, true);
    } finally {
      $("fb-save").disabled = false;
    }
  });
})();

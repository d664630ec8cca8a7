/* The staff page of citizens' feedback: filters, the list, forward and answer. */
(function () {
  "use strict";
  const { data, t, staff } = window.XP;
  const $ = (id) => document.getElementById(id);
  const list = $("f-list");
  let labelCount = 0;

  function query() {
    const params = new URLSearchParams({ from: $("f-from").value, to: $("f-to").value });
    if ($("f-status").value) params.set("status", $("f-status").value);
    if ($("f-channel").value) params.set("channel", $("f-channel").value);
    if ($("f-overdue").checked) params.set("overdue", "true");
    return params.toString();
  }

  function day(iso) { return iso ? iso.slice(0, 10) : ""; }

  /* Give each label of a cloned item its own id pairing (for assistive technology). */
  function pairLabels(node) {
    for (const label of node.querySelectorAll("label")) {
      const field = label.querySelector("input, select, textarea");
      if (!field) continue;
      labelCount += 1;
      field.id = `f-field-${labelCount}`;
    }
  }

  function fill(node, record) {
    node.dataset.id = record.id;
    node.querySelector(".f-id").textContent = `#${record.id} · ${day(record.at)}`;
    node.querySelector(".f-kind").textContent = data.kinds[record.kind] || record.kind;
    node.querySelector(".f-channel").textContent = t(record.channel);
    node.querySelector(".f-where").textContent = [record.service_name, record.counter ? `${t("counter")} ${record.counter}` : ""].filter(Boolean).join(" · ");
    const badge = node.querySelector(".f-badge");
    badge.textContent = record.overdue ? `${t(record.status)} · ${t("overdue")}` : t(record.status);
    badge.className = `f-badge f-${record.status}${record.overdue ? " f-late" : ""}`;
    node.querySelector(".f-due").textContent = record.status === "answered" ? "" : t("due", { day: record.due_day });
    node.querySelector(".f-said").textContent = record.text;
    const forwarded = node.querySelector(".f-forwarded");
    forwarded.hidden = !record.forwarded_to;
    forwarded.textContent = record.forwarded_to ? t("forwarded_to", { target: record.forwarded_to }) : "";
    const answer = node.querySelector(".f-answer");
    answer.hidden = !record.answer;
    answer.textContent = record.answer ? `${t("answered_by", { who: record.answered_by, day: day(record.answered_at) })}: ${record.answer}` : "";
    const phone = node.querySelector(".f-phone");
    phone.hidden = !record.has_phone;
    phone.textContent = record.phone ? t("phone_given", { phone: record.phone }) : t("has_phone");
    for (const form of node.querySelectorAll("form")) form.hidden = record.status === "answered";
  }

  function render(records) {
    list.replaceChildren();
    if (!records.length) {
      const empty = document.createElement("li");
      empty.className = "f-empty";
      empty.textContent = t("none_found");
      list.append(empty);
      return;
    }
    for (const record of records) {
      const node = $("f-item").content.firstElementChild.cloneNode(true);
      pairLabels(node);
      fill(node, record);
      list.append(node);
    }
  }

  async function load() {
    try {
      const answer = await window.XP.api("GET", `/api/v1/feedback?${query()}`);
      render(answer.records);
      staff.message("");
    } catch (error) {
      staff.message(error.message, true);
    }
  }

  async function act(node, action, body) {
    try {
      const record = await staff.post(`/api/v1/feedback/${node.dataset.id}/${action}`, body);
      fill(node, record);
      staff.message(t("saved"));
    } catch (error) {
      staff.message(error.message, true);
    }
  }

  list.addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    const node = form.closest(".f-item");
    if (form.classList.contains("f-forward")) {
      const user = form.querySelector(".f-user").value;
      const unit = form.querySelector(".f-unit").value.trim();
      act(node, "forward", user ? { user_id: Number(user) } : { unit });
    } else if (form.classList.contains("f-reply")) {
      act(node, "answer", { text: form.querySelector(".f-reply-text").value });
    }
  });
  $("f-filters").addEventListener("submit", (event) => { event.preventDefault(); load(); });

  staff.load().then(load).catch(() => {});
})();

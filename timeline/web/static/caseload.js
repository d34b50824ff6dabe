// The caseload's filter as you type: hides the rows whose client, file, status and action
// do not contain the text. Without JavaScript the form filters on the server (?q=).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("q");
  const shown = document.getElementById("shown");
  const rows = Array.from(document.querySelectorAll("table.caseload tbody tr"));
  if (!box || !rows.length) return;
  const template = shown ? shown.dataset.template : null;
  box.addEventListener("input", () => {
    const q = box.value.trim().toLowerCase();
    let n = 0;
    for (const row of rows) {
      const hit = !q || row.textContent.toLowerCase().includes(q) || row.dataset.search.includes(q);
      row.hidden = !hit;
      if (hit) n += 1;
    }
    if (shown && template) shown.textContent = template.replace("{shown}", n).replace("{total}", rows.length);
  });
});

// A new case: POST /cases with its file name, then its edit page.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("new-case");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = document.getElementById("new-error");
    error.textContent = "";
    try {
      const r = await fetch("/cases", { method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name: document.getElementById("new-name").value.trim() }) });
      const answer = await r.json();
      if (answer.ok) window.location.href = answer.url + "?lang=" + encodeURIComponent(form.dataset.lang);
      else error.textContent = answer.errors.map((e) => e.message).join(" ");
    } catch (err) {
      error.textContent = String(err);
    }
  });
});

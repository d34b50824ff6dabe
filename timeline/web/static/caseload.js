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

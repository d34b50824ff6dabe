// The scenarios page: sends the date to vary (the slider's days, or a period with a step) and
// the named scenarios to POST /api/scenarios as the controls move (debounced; an answer
// overtaken by a newer question is dropped) and puts the server's table, then its chart, in place;
// saves named scenarios with PUT /api/cases/NAME/scenarios (409: the file changed on disk).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("scenarios");
  if (!root) return;
  const el = (id) => document.getElementById(id);
  const texts = JSON.parse(root.dataset.texts);
  const lang = root.dataset.lang;
  let saved = JSON.parse(root.dataset.saved);  // [{name, set: {PATH: VALUE}, text}]
  let sha = root.dataset.sha || null;
  let asked = 0, sliderDate = null;

  const fmt = new Intl.DateTimeFormat(lang === "nl" ? "nl-NL" : "en-GB", { day: "numeric", month: "long", year: "numeric" });
  const day = (iso) => fmt.format(new Date(iso + "T12:00:00"));
  const days = (n) => (Math.abs(n) === 1 ? texts.day1 : texts.days).replace("{n}", (n < 0 ? "-" : "+") + Math.abs(n));
  const mode = () => (el("sc-mode-range").checked ? "range" : "shift");

  function vary() {
    const path = el("sc-path").value;
    if (mode() === "shift") return { path, shift: Number(el("sc-shift").value) };
    return { path, from: el("sc-from").value, to: el("sc-to").value, step: Number(el("sc-step").value) || 1 };
  }
  function showShift() {
    const n = Number(el("sc-shift").value);
    el("sc-shift-out").textContent = days(n) + (sliderDate ? " · " + day(sliderDate) : "");
    el("sc-save").disabled = !(mode() === "shift" && sliderDate);
  }
  function errors(list, items) {
    list.replaceChildren(...items.map((e) => {
      const li = document.createElement("li");
      li.textContent = (e.field ? e.field + ": " : "") + e.message;
      return li;
    }));
  }

  // Two questions per change: the table at once (a few milliseconds; one at a time, so that
  // dragging the slider shows each answer in turn), the chart when the controls rest
  // (drawing it is nearly all the time an answer takes; one overtaken is dropped).
  let chartAsked = null, tableBusy = false, tableAgain = false, timers = [];
  async function ask(chart, mine) {
    if (chart && chartAsked) chartAsked.abort();
    const controller = new AbortController();
    if (chart) chartAsked = controller;
    const sent = vary();
    const body = JSON.stringify({
      name: root.dataset.name, vary: [sent], lang, as_of: root.dataset.asOf || null, chart,
      scenarios: saved.map((s) => ({ name: s.name, set: s.set })),
    });
    try {
      const r = await fetch("/api/scenarios", { method: "POST", body, signal: controller.signal,
        headers: { "Content-Type": "application/json" }, credentials: "same-origin" });
      const result = await r.json();
      if (chart && mine !== asked) return;  // the controls moved since: a newer chart is coming
      el("sc-page-errors").replaceChildren();
      if (result.ok) {
        el("sc-table").innerHTML = result.table_html;  // made and escaped by the server
        if (chart) {
          el("sc-chart").innerHTML = result.chart_svg;  // matplotlib's SVG of the comparison
          el("sc-chart").classList.remove("stale");
        }
        el("sc-result").classList.remove("stale");
        el("sc-status").textContent = "";
        errors(el("sc-errors"), []);
        const v = result.comparison.varies[0];
        const current = mode() === "shift" && sent.path === el("sc-path").value && sent.shift === Number(el("sc-shift").value);
        sliderDate = current && v ? v.values[0] : null;  // the date saved is the one the table shows
      } else {
        el("sc-result").classList.add("stale");
        el("sc-status").textContent = texts["done-error"];
        errors(el("sc-errors"), result.errors);
      }
      showShift();
    } catch (err) {
      if (err.name !== "AbortError") el("sc-status").textContent = String(err);
    }
  }
  async function table() {
    if (tableBusy) { tableAgain = true; return; }
    tableBusy = true;
    await ask(false, asked);
    tableBusy = false;
    if (tableAgain) { tableAgain = false; table(); }
  }
  function later(ms) {
    const mine = ++asked;
    timers.forEach(clearTimeout);
    el("sc-status").textContent = texts.working;
    el("sc-chart").classList.add("stale");
    timers = [setTimeout(table, ms), setTimeout(() => ask(true, mine), ms + 250)];
  }
  const compare = () => later(0);

  el("sc-shift").addEventListener("input", () => {
    el("sc-mode-shift").checked = true;
    sliderDate = null;
    showShift();
    later(20);
  });
  for (const id of ["sc-from", "sc-to", "sc-step"]) {
    el(id).addEventListener("input", () => { el("sc-mode-range").checked = true; showShift(); later(350); });
  }
  for (const id of ["sc-mode-shift", "sc-mode-range"]) el(id).addEventListener("change", () => { showShift(); later(0); });
  el("sc-path").addEventListener("change", () => {
    const o = el("sc-path").selectedOptions[0];
    el("sc-from").value = o.dataset.from;
    el("sc-to").value = o.dataset.to;
    el("sc-shift").value = 0;
    sliderDate = null;
    showShift();
    later(0);
  });
  el("vary").addEventListener("submit", (event) => { event.preventDefault(); compare(); });

  // ---- named scenarios, saved in the case's scenario file
  function showSaved() {
    el("saved-list").replaceChildren(...saved.map((s) => {
      const li = document.createElement("li");
      li.dataset.name = s.name;
      const strong = document.createElement("strong");
      strong.textContent = s.name;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "remove";
      remove.textContent = texts.remove;
      li.append(strong, ": " + s.text + " ", remove);
      return li;
    }));
    el("none-saved").hidden = saved.length > 0;
  }
  async function put(list, done) {
    const status = el("sc-save-status");
    status.className = "";
    status.textContent = texts.saving;
    try {
      const r = await fetch("/api/cases/" + encodeURIComponent(root.dataset.name) + "/scenarios", {
        method: "PUT", credentials: "same-origin", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ scenarios: list, sha, lang }) });
      const result = await r.json();
      if (result.ok) {
        sha = result.sha;
        saved = result.scenarios;
        showSaved();
        status.textContent = done.replace("{file}", result.file);
        compare();
        return true;
      }
      status.className = "bad";
      status.textContent = r.status === 409 ? texts.conflict.replace("{file}", root.dataset.file)
        : texts["save-failed"] + " " + result.errors.map((e) => e.message).join("; ");
    } catch (err) {
      status.className = "bad";
      status.textContent = texts["save-failed"] + " " + String(err);
    }
    return false;
  }
  el("save-form").hidden = false;
  for (const b of el("saved-list").querySelectorAll("button.remove")) b.hidden = false;
  el("save-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = el("sc-name").value.trim();
    if (!name || !sliderDate) return;
    const kept = saved.filter((s) => s.name !== name).map((s) => ({ name: s.name, set: s.set }));
    if (await put([...kept, { name, set: { [el("sc-path").value]: sliderDate } }], texts.saved)) el("sc-name").value = "";
  });
  el("saved-list").addEventListener("click", (event) => {
    const button = event.target.closest("button.remove");
    if (!button) return;
    const name = button.closest("li").dataset.name;
    put(saved.filter((s) => s.name !== name).map((s) => ({ name: s.name, set: s.set })), texts.removed);
  });
  showShift();
  if (mode() === "shift") compare();  // the slider's date in words comes with the answer
});

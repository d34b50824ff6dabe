// The edit page: reads the form into a case (the case file's fields), sends it to
// POST /api/assess 300 ms after the last change, shows the reader's error beside its field
// and the assessment beside the form, then the chart from its own address (asked only when
// the chart changed); saves with PUT /cases/NAME (409: changed on disk).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("edit");
  if (!form) return;
  const texts = JSON.parse(form.dataset.texts);
  const lang = form.dataset.lang;
  const el = (id) => document.getElementById(id);
  let timer = null, controller = null, dirty = false, chartUrl = null;

  // ---- the form as a case
  function values(box) {
    const out = {};
    for (const input of box.querySelectorAll("[data-field]")) {
      if (input.closest("fieldset") !== box) continue;
      if (input.dataset.type === "bool") {
        if (input.checked) out[input.dataset.field] = true;
      } else if (input.value.trim() !== "") {
        out[input.dataset.field] = input.value;
      }
    }
    return out;
  }
  function collect() {
    const data = {};
    for (const box of form.querySelectorAll("fieldset.record")) {
      const v = values(box);
      if (box.dataset.record === "case") Object.assign(data, v);
      else if (Object.keys(v).length) data[box.dataset.record] = v;
    }
    for (const section of form.querySelectorAll("section.records")) {
      const rows = Array.from(section.querySelectorAll(":scope > .rows > fieldset.row")).map(values);
      if (rows.length) data[section.dataset.record] = rows;
    }
    return data;
  }

  // ---- rows: numbered legends and unique ids
  function renumber(section) {
    const name = section.dataset.record;
    section.querySelectorAll(":scope > .rows > fieldset.row").forEach((row, i) => {
      row.querySelector("legend").textContent = row.dataset.legend.replace("{n}", i + 1);
      for (const input of row.querySelectorAll("[data-field]")) {
        const id = `f-${name}-${i}-${input.dataset.field}`;
        const label = row.querySelector(`label[for="${input.id}"]`);
        const error = document.getElementById(input.getAttribute("aria-describedby"));
        if (label) label.htmlFor = id;
        if (error) error.id = id + "-err";
        input.id = id;
        input.setAttribute("aria-describedby", id + "-err");
      }
    });
  }
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    const pointed = pointedRows();  // before the rows move
    if (button.classList.contains("add")) {
      const section = button.closest("section.records");
      const row = el("tpl-" + button.dataset.record).content.firstElementChild.cloneNode(true);
      section.querySelector(".rows").append(row);
      renumber(section);
      refreshRefs(pointed);
      row.querySelector("[data-field]").focus();
      changed();
    } else if (button.classList.contains("remove")) {
      const section = button.closest("section.records");
      button.closest("fieldset.row").remove();
      renumber(section);
      refreshRefs(pointed);
      section.querySelector("button.add").focus();
      changed();
    }
  });

  // ---- a reference to another entry (an objection's "against"): a list of the rows, which
  // follows its row when rows are added or removed; a removed row stays as an invalid choice.
  const rowsOf = (group) => Array.from(form.querySelectorAll(`section.records[data-record="${group}"] > .rows > fieldset.row`));
  const pathOf = (row) => `${row.dataset.record}[${rowsOf(row.dataset.record).indexOf(row)}]`;
  const nameOf = (row) => row.querySelector("legend").textContent + (row.dataset.name ? ": " + row.dataset.name : "");
  function pointedRows() {
    const out = new Map();
    for (const select of form.querySelectorAll("select[data-ref]")) {
      const m = /^(\w+)\[(\d+)\]$/.exec(select.value);
      const row = m && !select.selectedOptions[0]?.dataset.missing ? rowsOf(m[1])[Number(m[2])] : null;
      out.set(select, row ? { row, name: nameOf(row) } : null);
    }
    return out;
  }
  function refreshRefs(pointed) {
    for (const select of form.querySelectorAll("select[data-ref]")) {
      const own = select.closest("fieldset.row");
      const target = pointed.get(select);
      for (const group of select.querySelectorAll("optgroup[data-group]")) {
        group.replaceChildren(...rowsOf(group.dataset.group).filter((row) => row !== own).map((row) => {
          const option = document.createElement("option");
          option.value = pathOf(row);
          option.textContent = nameOf(row);
          return option;
        }));
      }
      if (!target) continue;  // not given, a new row, or a value that names no entry: as it was
      select.querySelector("option[data-missing]")?.remove();
      if (target.row.isConnected) {
        select.value = pathOf(target.row);
      } else {  // the entry it named is gone: never let it name the entry that took its place
        const option = new Option(texts["against-removed"].replace("{legend}", target.name), "removed", true, true);
        option.dataset.missing = "1";
        select.append(option);
      }
    }
  }
  form.addEventListener("change", (event) => {  // a name made of a changed field is no longer right
    const row = event.target.closest("fieldset.row[data-named-by]");
    if (!row || !row.dataset.name || !row.dataset.namedBy.split(" ").includes(event.target.dataset.field)) return;
    const pointed = pointedRows();
    delete row.dataset.name;
    refreshRefs(pointed);
  });

  // ---- errors beside the fields
  function clearErrors() {
    for (const p of form.querySelectorAll(".field-error")) { p.hidden = true; p.textContent = ""; }
    for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    el("errors").hidden = true;
    el("errors").replaceChildren();
  }
  function box(record) {
    const m = /^(\w+)\[(\d+)\]$/.exec(record);
    if (m) {
      const rows = form.querySelectorAll(`section.records[data-record="${m[1]}"] > .rows > fieldset.row`);
      return rows[Number(m[2])] || form.querySelector(`section.records[data-record="${m[1]}"]`);
    }
    return form.querySelector(`[data-record="${record || "case"}"]`);
  }
  function showErrors(errors) {
    for (const e of errors) {
      const where = box(e.record);
      const input = where && e.field ? where.querySelector(`[data-field="${CSS.escape(e.field)}"]`) : null;
      const p = input ? el(input.getAttribute("aria-describedby"))
        : where ? where.querySelector(":scope > .record-error, :scope > p.field-error") : null;
      if (input) input.setAttribute("aria-invalid", "true");
      if (p) { p.textContent = e.message; p.hidden = false; }
      const li = document.createElement("li");
      const label = input ? form.querySelector(`label[for="${input.id}"]`) : null;
      const legend = where ? where.querySelector("legend, h2") : null;
      const place = [legend && e.record ? legend.textContent : "", label ? label.textContent.replace("*", "").trim() : e.field]
        .filter(Boolean).join(" › ");
      li.textContent = (place ? place + ": " : "") + e.message;
      el("errors").append(li);
      el("errors").hidden = false;
    }
  }

  // ---- the assessment beside the form
  const fmt = new Intl.DateTimeFormat(lang === "nl" ? "nl-NL" : "en-GB", { day: "numeric", month: "long", year: "numeric" });
  const day = (iso) => fmt.format(new Date(iso + "T12:00:00"));
  const left = (n) => n === 0 ? texts.today : (n === 1 ? texts.day1 : texts.days).replace("{n}", n);
  function item(strong, rest, cls) {
    const li = document.createElement("li");
    if (cls) li.className = cls;
    if (strong) { const s = document.createElement("strong"); s.textContent = strong; li.append(s, document.createElement("br")); }
    li.append(rest);
    return li;
  }
  async function showChart(url, signal) {  // matplotlib's SVG, made by the server from the chart spec
    const figure = el("chart");
    if (url !== chartUrl) {
      figure.setAttribute("aria-busy", "true");  // the numbers are new, the chart follows
      const r = await fetch(url, { signal, credentials: "same-origin" });
      if (r.ok) { figure.innerHTML = await r.text(); chartUrl = url; }  // else (no longer kept) the last one stays
    }
    figure.removeAttribute("aria-busy");
  }
  function show(result) {
    const nn = result.now_and_next;
    const now = el("now");
    now.className = "card now " + (nn.status.state === "permit" ? "ok" : nn.status.state === "gap" && !nn.status.expected ? "bad" : "warn");
    now.querySelector("p").textContent = nn.status.text;
    const ahead = nn.ahead.slice(0, 5).map((a) =>
      item(`${day(a.date)} (${left(a.days_left)})`, a.what, a.days_left <= 7 ? "urgent" : a.days_left <= 28 ? "soon" : ""));
    el("ahead").replaceChildren(...(ahead.length ? ahead : [item("", texts["nothing-ahead"], "quiet")]));
    el("when").replaceChildren(...nn.eligibility.map((w) => item("", w.text)));
    el("result").hidden = false;
    el("result").classList.remove("stale");
  }

  async function check() {
    if (controller) controller.abort();
    controller = new AbortController();
    const signal = controller.signal;  // this check's: a newer check aborts it, its chart included
    el("check").textContent = texts.checking;
    el("check").className = "check";
    try {
      const body = JSON.stringify({ case: collect(), lang, as_of: form.dataset.asOf || null, chart_svg: false });
      const r = await fetch("/api/assess", { method: "POST", body, signal,
        headers: { "Content-Type": "application/json" }, credentials: "same-origin" });
      const result = await r.json();
      clearErrors();
      if (result.ok) {
        el("check").textContent = texts.valid;
        el("check").className = "check ok";
        show(result);
        await showChart(result.chart_url, signal);
      } else {
        el("check").textContent = texts.invalid;
        el("check").className = "check bad";
        el("result").classList.add("stale");  // the last valid result, dimmed, until the case is valid again
        el("chart").removeAttribute("aria-busy");
        showErrors(result.errors);
      }
    } catch (err) {
      if (err.name !== "AbortError") { el("check").textContent = String(err); el("check").className = "check bad"; }
    }
  }
  function changed() {
    dirty = true;
    el("saved").textContent = texts.unsaved;
    clearTimeout(timer);
    timer = setTimeout(check, 300);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  // ---- saving
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    el("saved").textContent = texts.saving;
    const name = encodeURIComponent(form.dataset.name);
    try {
      const r = await fetch("/cases/" + name, { method: "PUT", credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ case: collect(), sha: form.dataset.sha, lang }) });
      const result = await r.json();
      if (result.ok) {
        form.dataset.sha = result.sha;
        dirty = false;
        el("saved").textContent = texts.saved;
      } else if (r.status === 409) {
        el("saved").textContent = texts.conflict;
      } else {
        el("saved").textContent = texts["save-failed"];
        clearErrors();
        showErrors(result.errors);
      }
    } catch (err) {
      el("saved").textContent = texts["save-failed"] + " " + String(err);
    }
  });
  document.addEventListener("keydown", (event) => {  // Ctrl+S / Cmd+S saves, as in an editor
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  window.addEventListener("beforeunload", (event) => { if (dirty) event.preventDefault(); });
  check();
});

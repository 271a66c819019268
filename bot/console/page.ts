import { escapeHtml } from "../../analytics/platform/base/text.ts";
import type { Panel } from "../../analytics/platform/contract/capability.ts";

/** Panels before this order sit above the command box; the rest below it. */
const ABOVE_THE_BOX = 50;

function panelSection(panel: Panel): string {
  const e = escapeHtml;
  return `<section class="panel" data-panel="${e(panel.id)}" data-live="${panel.live ? "true" : "false"}" data-refresh="${panel.refreshMs ?? 0}" aria-labelledby="panel-${e(panel.id)}">
    <h2 id="panel-${e(panel.id)}" class="panel-title">${e(panel.title)}${panel.subtitle ? ` <small>${e(panel.subtitle)}</small>` : ""}</h2>
    <div class="panel-body answers"><p class="context">loading…</p></div>
  </section>`;
}

/**
 * The console page: the panels the capabilities contribute (each fetched from
 * its own data route, live ones refreshed when new data arrives), and a command
 * box that runs the same commands as Slack. Plain HTML and a little script.
 */
// Long on purpose: the page's one HTML, CSS and script template, kept whole so its CSP hash covers what is read here.
export function consolePage(panels: readonly Panel[]): string {
  const above = panels
    .filter((p) => p.order < ABOVE_THE_BOX)
    .map(panelSection)
    .join("\n");
  const below = panels
    .filter((p) => p.order >= ABOVE_THE_BOX)
    .map(panelSection)
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Lift</title>
<style>
  :root { --ink: #1d1c1d; --muted: #616061; --line: #e8e8e8; --good: #007a5a; --bad: #b42318; --accent: #0072B2; }
  * { box-sizing: border-box; }
  html, body { overflow-x: hidden; }
  body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 0; background: #f8f8f8; }
  header { background: #fff; border-bottom: 1px solid var(--line); padding: .75rem 1.5rem; display: flex; flex-wrap: wrap; gap: .25rem 1rem; align-items: baseline; }
  header h1 { font-size: 1.2rem; margin: 0; }
  header .freshness { color: var(--muted); font-size: .85rem; }
  header .freshness.stale { color: var(--bad); }
  main { max-width: 72rem; margin: 0 auto; padding: 1.25rem 1.5rem; display: grid; gap: 1.25rem; grid-template-columns: minmax(0, 1fr); }
  section.panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; min-width: 0; }
  .panel-title { margin: 0 0 .5rem; font-size: 1rem; }
  .panel-title small { color: var(--muted); font-weight: 400; }
  .report dl.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(9.5rem, 1fr)); gap: .6rem; margin: .5rem 0; }
  .report dl.facts > div { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .7rem; min-width: 0; }
  .report dl.facts dt { color: var(--muted); font-size: .85rem; }
  .report dl.facts dd { margin: 0; font-size: 1.25rem; font-weight: 600; overflow-wrap: anywhere; }
  .report dl.facts small { display: block; color: var(--muted); font-weight: 400; font-size: .8rem; }
  .change { font-size: .85rem; font-weight: 500; margin-left: .3rem; white-space: nowrap; }
  .change.good { color: var(--good); } .change.bad { color: var(--bad); } .change.neutral { color: var(--muted); }
  td.change-cell.good { color: var(--good); } td.change-cell.bad { color: var(--bad); }
  form { display: flex; gap: .5rem; }
  input[type=text] { flex: 1; min-width: 0; font: inherit; padding: .55rem .75rem; border: 1px solid #bbb; border-radius: 6px; }
  button { font: inherit; padding: .45rem .85rem; border-radius: 6px; border: 1px solid #bbb; background: #fff; cursor: pointer; margin: .15rem .3rem .15rem 0; }
  button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
  button.danger { color: var(--bad); border-color: var(--bad); }
  .examples { color: var(--muted); font-size: .85rem; margin: .4rem 0 0; }
  .examples a { color: var(--accent); cursor: pointer; margin-right: .75rem; }
  .report h2 { font-size: 1.1rem; margin: .2rem 0 .4rem; }
  .table { overflow-x: auto; max-width: 100%; }
  table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .5rem 0; }
  th, td { padding: .3rem .6rem; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
  th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
  tfoot td { font-weight: 600; }
  img.chart { display: block; width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; margin: .5rem 0; }
  blockquote { margin: .4rem 0; padding: .2rem .8rem; border-left: 3px solid var(--line); color: var(--ink); }
  blockquote cite { display: block; color: var(--muted); font-size: .85rem; font-style: normal; }
  .warnings { color: var(--bad); padding-left: 1.2rem; }
  .context { color: var(--muted); font-size: .85rem; }
  .error { color: var(--bad); } .error small { display: block; color: var(--muted); }
  .answers > * + * { border-top: 1px solid var(--line); margin-top: 1rem; padding-top: 1rem; }
  .seeding { color: var(--muted); margin: .2rem 0 .4rem; }
  progress { width: 100%; max-width: 24rem; }
  .confirm { border: 1px solid var(--bad); border-radius: 6px; padding: .5rem .75rem; margin: .4rem 0; }
  .thread { color: var(--muted); font-size: .85rem; margin: .4rem 0 0; }
  .thread a { color: var(--accent); cursor: pointer; }
  @media (max-width: 600px) {
    header, main { padding-left: .75rem; padding-right: .75rem; }
    section.panel { padding: .75rem; }
    form { flex-wrap: wrap; }
    /* A table on a phone: each row a card, each cell with its column's name, nothing cut off. */
    .table table, .table tbody, .table tfoot, .table tr, .table td { display: block; width: 100%; }
    .table thead { display: none; }
    .table tr { border-bottom: 1px solid var(--line); padding: .3rem 0; }
    .table td { display: flex; justify-content: space-between; gap: .75rem; border: 0; padding: .1rem 0; white-space: normal; text-align: right; font-size: .9rem; }
    .table td::before { content: attr(data-label); color: var(--muted); text-align: left; }
  }
</style>
</head>
<body>
<header><h1>Lift</h1><span class="freshness" id="freshness">loading…</span></header>
<main>
  <section class="panel" aria-label="Ask Lift">
    <form id="ask">
      <input type="text" id="command" name="command" autocomplete="off" autofocus placeholder="Ask: revenue last 30 days by channel" aria-label="Command">
      <button class="primary" type="submit">Ask</button>
    </form>
    <p class="examples">Try:
      <a data-example="revenue last 30 days by channel">revenue by channel</a>
      <a data-example="campaigns this month">campaigns</a>
      <a data-example="funnel page > Product Added > Order Completed within 7 days by channel">funnel</a>
      <a data-example="help">help</a>
    </p>
    <p class="thread" id="thread" hidden>Follow-ups (“and by campaign?”, “what about last month”) change the last answer's question. <a id="new-thread">Start over</a></p>
    <div class="answers" id="answers" aria-live="polite"></div>
  </section>
  ${above}
  ${below}
</main>
<script>
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]);

// The conversation, as a Slack thread keeps it: the last answer a follow-up changes.
let previous = null;
$("new-thread").addEventListener("click", () => { previous = null; $("thread").hidden = true; $("command").focus(); });

async function run(command) {
  const slot = document.createElement("div");
  slot.textContent = "Working on “" + command + "”…";
  $("answers").prepend(slot);
  try {
    const response = await fetch("/console/run", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(previous ? { command, previous } : { command }) });
    const body = await response.json();
    if (!response.ok) {
      const tries = (body.error.suggestions || []).map((s) => '<a data-example="' + esc(s) + '">' + esc(s) + "</a>").join("");
      slot.innerHTML = '<p class="error">' + esc(body.error.message) + (body.error.hint ? "<small>" + esc(body.error.hint) + "</small>" : "") + "</p>" +
        (tries ? '<p class="examples">Try: ' + tries + "</p>" : "");
      return;
    }
    const rate = body.feedback
      ? '<p class="feedback">Was this right? <button data-feedback="good" data-answer="' + esc(body.id) + '" aria-label="This answer was right">👍</button>' +
        '<button data-feedback="bad" data-answer="' + esc(body.id) + '" aria-label="This answer was wrong or misread the question">👎</button></p>'
      : "";
    slot.innerHTML = body.html + (body.csv ? '<p><a href="' + esc(body.csv) + '">Download CSV</a></p>' : "") + rate;
    if (body.id) { previous = body.id; $("thread").hidden = false; }
  } catch (error) {
    slot.innerHTML = '<p class="error">Lift did not answer: ' + esc(error.message) + "</p>";
  }
  refreshPanels((panel) => panel.dataset.refresh !== "0");
}

/** 👍/👎 under an answer: kept for Lift's admins (\`feedback\`), thanked in place. */
async function rate(button) {
  const line = button.closest(".feedback");
  try {
    const response = await fetch("/console/feedback", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ answer: button.dataset.answer, value: button.dataset.feedback }) });
    const body = await response.json();
    line.textContent = response.ok
      ? (button.dataset.feedback === "good" ? "Thanks: noted that this answer was right." : "Thanks: noted that this answer was wrong; Lift's admins review these to fix how questions are read.")
      : body.error.message;
  } catch (error) {
    line.textContent = "Lift did not take the feedback: " + error.message;
  }
}

/** A button that asks first: a confirm step in place, then the command. */
function askFirst(button) {
  const box = document.createElement("div");
  box.className = "confirm";
  box.innerHTML = "<strong>" + esc(button.dataset.confirmTitle) + "</strong><p>" + esc(button.dataset.confirm) + "</p>";
  const go = document.createElement("button");
  go.className = "danger";
  go.textContent = button.dataset.confirmYes || "Go ahead";
  const no = document.createElement("button");
  no.textContent = button.dataset.confirmNo || "Cancel";
  go.addEventListener("click", () => { box.remove(); run(button.dataset.command); });
  no.addEventListener("click", () => box.remove());
  box.append(go, no);
  button.after(box);
}

$("ask").addEventListener("submit", (event) => {
  event.preventDefault();
  const command = $("command").value.trim();
  if (command) run(command);
});
document.addEventListener("click", (event) => {
  const target = event.target;
  if (!target.dataset) return;
  if (target.dataset.feedback) { rate(target); return; }
  if (target.dataset.example) { $("command").value = target.dataset.example; run(target.dataset.example); }
  else if (target.dataset.command && target.dataset.confirm) askFirst(target);
  else if (target.dataset.command) run(target.dataset.command);
});

async function loadPanel(section) {
  const body = section.querySelector(".panel-body");
  try {
    const response = await fetch("/console/panels/" + encodeURIComponent(section.dataset.panel));
    const data = await response.json();
    if (!response.ok) {
      body.innerHTML = '<p class="error">' + esc(data.error.message) + "</p>";
      return;
    }
    if (data.seeding) {
      // The demo is being seeded: show how far, and look again in a second.
      body.innerHTML = '<p class="seeding">Seeding the demo workspace: ' + data.seeding.done + " of " + data.seeding.total +
        ' days…</p><progress max="' + data.seeding.total + '" value="' + data.seeding.done + '"></progress>';
      delete body.dataset.html;
      $("freshness").textContent = "Seeding the demo workspace…";
      setTimeout(() => loadPanel(section), 1000);
      return;
    }
    if (body.dataset.html !== data.html) { body.innerHTML = data.html; body.dataset.html = data.html; }
    if (data.freshness && section.dataset.live === "true") {
      $("freshness").textContent = data.freshness.text + (data.freshness.stale ? " — stale" : "");
      $("freshness").className = "freshness" + (data.freshness.stale ? " stale" : "");
    }
  } catch (error) {
    body.innerHTML = '<p class="error">This panel did not load: ' + esc(error.message) + "</p>";
  }
}

function refreshPanels(which) {
  document.querySelectorAll("section[data-panel]").forEach((section) => { if (which(section)) loadPanel(section); });
}

refreshPanels(() => true);
document.querySelectorAll("section[data-panel]").forEach((section) => {
  const every = Number(section.dataset.refresh);
  if (every > 0) setInterval(() => loadPanel(section), every);
});
const stream = new EventSource("/console/stream");
let seen = null;
stream.addEventListener("data", (event) => {
  if (seen !== null && seen !== event.data) refreshPanels((panel) => panel.dataset.live === "true");
  seen = event.data;
});
stream.onerror = () => { $("freshness").textContent = "Live updates paused: reconnecting…"; };
</script>
</body>
</html>`;
}

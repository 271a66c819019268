/**
 * The console page: a command box that runs the same commands as Slack, the
 * answers as HTML with their charts, and a live dashboard fed by server-sent
 * events. Plain HTML and a little script: nothing to build.
 */
export function consolePage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lift</title>
<style>
  :root { --ink: #1d1c1d; --muted: #616061; --line: #e8e8e8; --good: #007a5a; --bad: #b42318; --accent: #0072B2; }
  * { box-sizing: border-box; }
  body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 0; background: #f8f8f8; }
  header { background: #fff; border-bottom: 1px solid var(--line); padding: .75rem 1.5rem; display: flex; gap: 1rem; align-items: baseline; }
  header h1 { font-size: 1.2rem; margin: 0; }
  header .freshness { color: var(--muted); font-size: .85rem; }
  header .freshness.stale { color: var(--bad); }
  main { max-width: 72rem; margin: 0 auto; padding: 1.25rem 1.5rem; display: grid; gap: 1.25rem; }
  section.panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; }
  .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: .75rem; margin: 0; }
  .tiles div { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; }
  .tiles dt { color: var(--muted); font-size: .85rem; }
  .tiles dd { margin: 0; font-size: 1.4rem; font-weight: 600; }
  .tiles small { display: block; color: var(--muted); font-size: .8rem; font-weight: 400; }
  .change { font-size: .85rem; font-weight: 500; margin-left: .3rem; }
  .change.good { color: var(--good); } .change.bad { color: var(--bad); } .change.neutral { color: var(--muted); }
  form { display: flex; gap: .5rem; }
  input[type=text] { flex: 1; font: inherit; padding: .55rem .75rem; border: 1px solid #bbb; border-radius: 6px; }
  button { font: inherit; padding: .5rem .9rem; border-radius: 6px; border: 1px solid #bbb; background: #fff; cursor: pointer; }
  button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
  .examples { color: var(--muted); font-size: .85rem; margin: .4rem 0 0; }
  .examples a { color: var(--accent); cursor: pointer; margin-right: .75rem; }
  .report h2 { font-size: 1.1rem; margin: .2rem 0 .4rem; }
  .report dl.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: .5rem; }
  .report dl.facts dt { color: var(--muted); font-size: .85rem; } .report dl.facts dd { margin: 0; font-weight: 600; }
  .report dl.facts small { display: block; color: var(--muted); font-weight: 400; font-size: .8rem; }
  table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .5rem 0; }
  th, td { padding: .3rem .6rem; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
  th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
  tfoot td { font-weight: 600; }
  img.chart { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; margin: .5rem 0; }
  .warnings { color: var(--bad); padding-left: 1.2rem; }
  .context { color: var(--muted); font-size: .85rem; }
  .error { color: var(--bad); } .error small { display: block; color: var(--muted); }
  .answers > * + * { border-top: 1px solid var(--line); margin-top: 1rem; padding-top: 1rem; }
</style>
</head>
<body>
<header><h1>Lift</h1><span class="freshness" id="freshness">loading…</span></header>
<main>
  <section class="panel" aria-labelledby="today-title">
    <h2 id="today-title" style="margin-top:0;font-size:1rem">Today so far <small style="color:var(--muted);font-weight:400">vs the same hours of the same weekday last week</small></h2>
    <dl class="tiles" id="tiles"></dl>
    <img class="chart" id="trend" alt="Revenue per day by channel, last 30 days" width="960" height="480" hidden>
  </section>
  <section class="panel">
    <form id="ask">
      <input type="text" id="command" name="command" autocomplete="off" placeholder="Ask: revenue last 30 days by channel" aria-label="Command">
      <button class="primary" type="submit">Ask</button>
    </form>
    <p class="examples">Try:
      <a data-example="revenue last 30 days by channel">revenue by channel</a>
      <a data-example="campaigns this month">campaigns</a>
      <a data-example="funnel page > Product Added > Order Completed within 7 days by channel">funnel</a>
      <a data-example="help">help</a>
    </p>
    <div class="answers" id="answers" aria-live="polite"></div>
  </section>
  <section class="panel" aria-labelledby="feed-title">
    <h2 id="feed-title" style="margin-top:0;font-size:1rem">Digests and alerts <small style="color:var(--muted);font-weight:400">what Lift would have posted to Slack</small></h2>
    <div id="failures"></div>
    <div class="answers" id="feed"><p class="examples">Nothing yet. Try <a data-example="subscribe digest daily 09:00">subscribe digest daily 09:00</a> or <a data-example="alert signups anomaly">alert signups anomaly</a>.</p></div>
  </section>
</main>
<script>
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]);
const ARROW = { up: "▲", down: "▼", flat: "■" };

async function run(command) {
  const slot = document.createElement("div");
  slot.textContent = "Working on “" + command + "”…";
  $("answers").prepend(slot);
  try {
    const response = await fetch("/console/run", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ command }) });
    const body = await response.json();
    if (!response.ok) {
      slot.innerHTML = '<p class="error">' + esc(body.error.message) + (body.error.hint ? "<small>" + esc(body.error.hint) + "</small>" : "") + "</p>";
      return;
    }
    slot.innerHTML = body.html + '<p><a href="' + esc(body.csv) + '">Download CSV</a></p>';
  } catch (error) {
    slot.innerHTML = '<p class="error">Lift did not answer: ' + esc(error.message) + "</p>";
  }
}

$("ask").addEventListener("submit", (event) => {
  event.preventDefault();
  const command = $("command").value.trim();
  if (command) run(command);
});
document.addEventListener("click", (event) => {
  const target = event.target;
  if (target.dataset && target.dataset.example) { $("command").value = target.dataset.example; run(target.dataset.example); }
  if (target.dataset && target.dataset.command) run(target.dataset.command);
});

function showDashboard(data) {
  $("tiles").innerHTML = data.tiles.map((t) =>
    "<div><dt>" + esc(t.label) + "</dt><dd>" + esc(t.value) +
    (t.change ? '<span class="change ' + esc(t.change.tone) + '">' + ARROW[t.change.direction] + " " + esc(t.change.text) + "</span>" : "") +
    (t.note ? "<small>" + esc(t.note) + "</small>" : "") + "</dd></div>").join("");
  $("trend").src = data.chart;
  $("trend").hidden = false;
  $("freshness").textContent = data.freshness.text + (data.freshness.stale ? " — stale" : "");
  $("freshness").className = "freshness" + (data.freshness.stale ? " stale" : "");
}

let feedSeen = "";
async function refreshFeed() {
  try {
    const body = await (await fetch("/console/feed")).json();
    $("failures").innerHTML = body.failures.map((f) =>
      '<p class="error">Not delivered: ' + esc(f.title) + " to " + esc(f.destination) + " (" + esc(f.error || "unknown error") + ", " + f.attempts + " tries)</p>").join("");
    const key = body.items.map((i) => i.key).join(",");
    if (key === feedSeen || body.items.length === 0) return;
    feedSeen = key;
    $("feed").innerHTML = body.items.map((i) =>
      '<div class="feed-item"><p class="examples">' + esc(new Date(i.at).toLocaleString()) + " · to " + esc(i.destination) + (i.replyTo ? " · in the thread of #" + esc(i.replyTo) : "") + "</p>" + i.html + "</div>").join("");
  } catch {}
}
refreshFeed();
setInterval(refreshFeed, 5000);

const stream = new EventSource("/console/stream");
stream.addEventListener("dashboard", (event) => showDashboard(JSON.parse(event.data)));
stream.onerror = () => { $("freshness").textContent = "Live updates paused: reconnecting…"; };
</script>
</body>
</html>`;
}

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { automationsDemo } from "../../../../analytics/capabilities/automations/demo.ts";
import { automationsApi } from "../../../../analytics/capabilities/automations/index.ts";
import { consoleRoutes } from "../../../../bot/console/routes.ts";
import { runLift } from "../../../support/cli.ts";
import { demoDb, type TestDb } from "../../../support/db.ts";
import { DEMO_NOW } from "../../../support/demo.ts";
import { listen } from "../../../support/server.ts";

/*
 * Automations where people meet them: the demo's two live automations (the outbox fills on the
 * first pass, the abandoned cart counts conversions), the console's template view and editor,
 * its Outbox panel, and `lift templates add` / `lift automations run` in the CLI.
 */

let t: TestDb;
let server: { url: string; close: () => Promise<void> } | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  t?.cleanup();
});

describe("automations on the demo, in the console and the CLI", () => {
  it("ships a win-back that goes out on the first pass and an abandoned cart that has run for two weeks, both under the approval threshold", async () => {
    t = demoDb();
    const ask = (text: string) => t.platform.registries.commands.run(text, { userId: "U0ADMIN" });
    // The test demo is seeded raw: derive what `lift demo` does (segments, then the automations).
    await ask("segment recompute");
    await automationsDemo.finish!(t.platform.contextFor("automations"));
    const list = await ask("automations");
    expect(list.table!.rows.map((r) => [r[0], r[1]])).toEqual([
      ["abandoned-cart", "live"],
      ["win-back", "live"],
    ]);
    const cart = await ask("automation abandoned-cart");
    const cartData = cart.data as unknown as {
      converted: { treatment: number };
      sends: Record<string, number>;
    };
    // The small demo's returning carts are few: conversions are counted, whatever they are.
    expect(cartData.converted.treatment).toBeGreaterThanOrEqual(0);
    expect(cart.summary).toMatch(
      /Live since .*: [\d,]+ entered, [\d,]+ messages sent, [\d,]+ of those who got it ordered within 7 days/,
    );
    expect(cartData.sends["shown"]).toBeGreaterThan(0);
    const pass = await automationsApi.of(t.platform).runNow(null, DEMO_NOW + 60_000);
    // Demo customers live in their country's zones: some are in quiet hours whatever the hour.
    expect(pass.tally.shown).toBeGreaterThan(5);
    expect(pass.tally.deferred).toBeGreaterThan(0);
    // The digest says what went out on its day.
    const digest = await t.platform.schedules.digestNow("daily");
    expect(JSON.stringify(digest)).toMatch(/✉️ abandoned-cart: \d+ messages/);
    const winBack = await ask("automation win-back");
    expect(winBack.data).toMatchObject({ status: "live", held: 0 });
    expect((winBack.data as unknown as { entered: { holdout: number } }).entered.holdout).toBeGreaterThan(0);
  });

  it("shows a template as HTML in the console and saves the editor's form, checked and audited", async () => {
    t = demoDb();
    await t.platform.registries.commands.run("segment recompute", { userId: "U0ADMIN" });
    await automationsDemo.finish!(t.platform.contextFor("automations"));
    server = await listen(consoleRoutes({ core: t.core, runner: t.core.runner(), pollMs: 50 }));
    const view = await fetch(`${server.url}/console/templates/win-back-1`);
    expect(view.status).toBe(200);
    const html = await view.text();
    expect(html).toContain("<b>Subject:</b> Alex, we saved something for you");
    expect(view.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const editor = await (await fetch(`${server.url}/console/templates/spring-sale/edit`)).text();
    expect(editor).toContain('<form method="post" action="/console/templates/spring-sale">');
    const save = (body: string) =>
      fetch(`${server!.url}/console/templates/spring-sale`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: server!.url },
        body,
        redirect: "manual",
      });
    const bad = await save(
      new URLSearchParams({ subject: "Hi", body: "{{shoe_size}}", kind: "marketing" }).toString(),
    );
    expect(bad.status).toBe(400);
    // A form from elsewhere (or one that hides its origin) changes nothing.
    const foreign = await fetch(`${server.url}/console/templates/spring-sale`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      body: "subject=x&body=y",
    });
    expect(foreign.status).toBe(403);
    const hidden = await fetch(`${server.url}/console/templates/spring-sale`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "subject=x&body=y",
    });
    expect(hidden.status).toBe(403);
    expect(await bad.text()).toContain("{{shoe_size}}");
    const good = await save(
      new URLSearchParams({
        subject: "Spring sale, {{first_name|friend}}",
        body: "20 % off.\n\n[Shop](https://shop.example.com/spring)",
        kind: "marketing",
      }).toString(),
    );
    expect(good.status).toBe(303);
    expect(good.headers.get("location")).toBe("/console/templates/spring-sale");
    const shown = await t.platform.registries.commands.run("template spring-sale", { userId: "console" });
    expect(shown.summary).toBe("Subject: Spring sale, Alex");
    expect(t.db.sqlite.prepare("SELECT actor FROM audit_log WHERE action = 'template.save'").all()).toEqual([
      { actor: "console" },
    ]);
    const outbox = await (await fetch(`${server.url}/console/panels/outbox`)).json();
    expect(JSON.stringify(outbox)).toContain("You left something in your cart");
  });

  it("adds a template from a file with lift templates add, and runs a pass with lift automations run", async () => {
    t = demoDb();
    const file = join(t.dir, "thanks.txt");
    writeFileSync(
      file,
      "Subject: Thank you, {{first_name|friend}}\nKind: transactional\n\nYour order is on its way.\n",
    );
    const added = await runLift(t, ["templates", "add", "thanks", file]);
    expect(added.code).toBe(0);
    expect(added.out).toContain("Template thanks (transactional)");
    const missing = await runLift(t, ["templates", "add", "nope", join(t.dir, "missing.txt")]);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain("no such file");
    const ran = await runLift(t, ["automations", "run"]);
    expect(ran.code).toBe(0);
    expect(ran.out).toMatch(/enrolled, \d+ steps moved on; delivery: /);
    const suppressed = await runLift(t, ["automations", "suppress", "Someone@Example.com"]);
    expect(suppressed.out).toContain("Suppressed");
    expect((await runLift(t, ["automations", "suppress", "someone@example.com"])).out).toContain(
      "suppressed already",
    );
    // The list and the audit log hold a keyed hash, never the address.
    expect(JSON.stringify(t.db.sqlite.prepare("SELECT * FROM suppressions").all())).not.toContain("someone");
    expect(JSON.stringify(t.db.sqlite.prepare("SELECT detail FROM audit_log").all())).not.toContain(
      "someone",
    );
    const listed = await runLift(t, ["run", "templates"]);
    expect(listed.out).toContain("thanks");
  });
});

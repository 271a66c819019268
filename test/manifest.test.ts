import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { silentLogger } from "../analytics/platform/base/log.ts";
import { Core } from "../analytics/platform/core.ts";
import { createSlackApp } from "../bot/slack/app.ts";
import { FALLBACK_PROMPTS } from "../bot/slack/assistant.ts";
import { BOT_SCOPES } from "../bot/slack/surface.ts";
import { openDatabase } from "../db/client.ts";
import { depsFor } from "./support/db.ts";

// Slack's manifest schema (draft-07), from slackapi/manifest-schema (MIT; see test/fixtures/slack/,
// the same schema as ../shared/slack/manifest.schema.json).
const schema = JSON.parse(
  readFileSync(new URL("./fixtures/slack/manifest.schema.json", import.meta.url), "utf8"),
);

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The schema writes some patterns under a "regex" keyword; hold manifests to them too.
  ajv.addKeyword({
    keyword: "regex",
    type: "string",
    validate: (pattern: string, value: string) => new RegExp(pattern).test(value),
  });
  return ajv.compile(schema);
}

interface Manifest {
  features: {
    slash_commands: { command: string; url?: string }[];
    assistant_view?: {
      assistant_description: string;
      suggested_prompts?: { title: string; message: string }[];
    };
  };
  functions?: Record<string, { input_parameters: Record<string, unknown> }>;
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { bot_events: string[]; request_url?: string };
    interactivity: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled: boolean;
  };
}

const manifests = {
  socket: parse(readFileSync(new URL("../manifest.yml", import.meta.url), "utf8")) as Manifest,
  http: parse(readFileSync(new URL("../manifest.http.yml", import.meta.url), "utf8")) as Manifest,
};

/** What the code registers, read from a real Bolt app built the way main.ts builds it. */
function registered() {
  const db = openDatabase(":memory:");
  const core = new Core(depsFor(db, { timeZone: "UTC" }));
  const transport = createSlackApp({
    mode: "http",
    botToken: "xoxb-unused",
    signingSecret: "unused",
    core,
    logger: silentLogger(),
  });
  db.close();
  return transport.surface;
}

describe("Slack app manifests", () => {
  const validate = validator();

  it.each(Object.entries(manifests))("%s manifest passes Slack's manifest schema", (_, manifest) => {
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it("refuses a manifest Slack would refuse (the schema check can fail)", () => {
    const broken = structuredClone(manifests.socket) as unknown as {
      features: { slash_commands: { command: string }[] };
    };
    broken.features.slash_commands[0]!.command = "lift";
    expect(validate(broken)).toBe(false);
  });

  it.each(Object.entries(manifests))(
    "%s manifest lists exactly the commands, events and scopes the code uses",
    (_, manifest) => {
      const surface = registered();
      expect(manifest.features.slash_commands.map((c) => c.command).sort()).toEqual(
        [...surface.commands].sort(),
      );
      expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(
        [...surface.events].sort(),
      );
      expect(manifest.settings.interactivity.is_enabled).toBe(surface.interactivity);
      expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(Object.keys(BOT_SCOPES).sort());
      expect(Object.keys(manifest.functions ?? {}).sort()).toEqual([...surface.functions].sort());
      expect(Boolean(manifest.features.assistant_view)).toBe(surface.assistant);
      // The panel's fixed prompts are the ones Lift falls back to when the data suggests none.
      expect(manifest.features.assistant_view?.suggested_prompts).toEqual(FALLBACK_PROMPTS);
    },
  );

  it("socket manifest turns Socket Mode on; the HTTP one sends everything to /slack/events", () => {
    expect(manifests.socket.settings.socket_mode_enabled).toBe(true);
    expect(manifests.http.settings.socket_mode_enabled).toBe(false);
    const urls = [
      ...manifests.http.features.slash_commands.map((c) => c.url),
      manifests.http.settings.event_subscriptions.request_url,
      manifests.http.settings.interactivity.request_url,
    ];
    expect(urls.every((url) => url?.endsWith("/slack/events"))).toBe(true);
  });
});

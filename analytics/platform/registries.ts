import { ConnectorKinds } from "../capabilities/sources/connectors.ts";
import { AlertKinds, ContextProviders } from "./alerting/alert-kinds.ts";
import type { BenchEntry, Capability, Download } from "./capability.ts";
import type { CliVerb } from "./cli.ts";
import { registerHelp } from "./commands/help.ts";
import { CommandRegistry } from "./commands/registry.ts";
import { DemoParts } from "./demo/parts.ts";
import { DigestSections } from "./digest/digest.ts";
import { DataKinds } from "./ingest/kinds.ts";
import { JobRegistry } from "./jobs/jobs.ts";
import { HomeSections } from "./surfaces/home.ts";
import { Panels } from "./surfaces/panels.ts";

/** Everything the capabilities contribute, gathered once per process. */
export interface Registries {
  capabilities: readonly Capability[];
  commands: CommandRegistry;
  cliVerbs: readonly CliVerb[];
  digestSections: DigestSections;
  homeSections: HomeSections;
  panels: Panels;
  alertKinds: AlertKinds;
  contextProviders: ContextProviders;
  jobs: JobRegistry;
  dataKinds: DataKinds;
  connectors: ConnectorKinds;
  demoParts: DemoParts;
  bench: readonly BenchEntry[];
  downloads: ReadonlyMap<string, Download>;
}

/** Reads the capability list into one registry per kind of contribution (a name used twice is an error). */
export function buildRegistries(capabilities: readonly Capability[]): Registries {
  const registries: Registries = {
    capabilities,
    commands: new CommandRegistry(),
    cliVerbs: capabilities.flatMap((c) => c.cliVerbs ?? []),
    digestSections: new DigestSections(),
    homeSections: new HomeSections(),
    panels: new Panels(),
    alertKinds: new AlertKinds(),
    contextProviders: new ContextProviders(),
    jobs: new JobRegistry(),
    dataKinds: new DataKinds(),
    connectors: new ConnectorKinds(),
    demoParts: new DemoParts(),
    bench: capabilities.flatMap((c) => c.bench ?? []),
    downloads: new Map(capabilities.flatMap((c) => c.downloads ?? []).map((d) => [d.source, d])),
  };
  registerHelp(registries.commands);
  const fallbacks = capabilities.filter((c) => c.fallback);
  if (fallbacks.length > 1)
    throw new Error(
      `only one capability may take unknown questions: ${fallbacks.map((c) => c.name).join(", ")}`,
    );
  for (const capability of capabilities) {
    for (const command of capability.commands ?? [])
      registries.commands.register(command, { fallback: capability.fallback === command.name });
    for (const section of capability.digestSections ?? []) registries.digestSections.register(section);
    for (const section of capability.homeSections ?? []) registries.homeSections.register(section);
    for (const panel of capability.panels ?? []) registries.panels.register(panel);
    for (const kind of capability.alertKinds ?? []) registries.alertKinds.register(kind);
    for (const provider of capability.contextProviders ?? []) registries.contextProviders.register(provider);
    for (const job of capability.jobs ?? []) registries.jobs.register(job);
    for (const kind of capability.dataKinds ?? []) registries.dataKinds.register(kind);
    for (const connector of capability.connectors ?? []) registries.connectors.register(connector);
    for (const part of capability.demo ?? []) registries.demoParts.register(part);
  }
  const verbs = new Set<string>();
  for (const verb of registries.cliVerbs) {
    if (verbs.has(verb.name)) throw new Error(`CLI verb “${verb.name}” is contributed twice`);
    verbs.add(verb.name);
  }
  return registries;
}

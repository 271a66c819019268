import { AlertKinds, ContextProviders } from "./alerting/alert-kinds.ts";
import { Registry } from "./base/registry.ts";
import { registerHelp } from "./commands/help.ts";
import { CommandRegistry } from "./commands/registry.ts";
import type {
  Capability,
  CapabilityContext,
  CliVerb,
  ContextSource,
  Contributions,
  CustomerSection,
  Download,
  Extension,
  ExtensionPoint,
  HttpRoute,
  PromptSource,
} from "./contract/capability.ts";
import type { IngestGuard, PersonalTable } from "./contract/personal.ts";
import { DemoParts } from "./demo/parts.ts";
import { DigestSections } from "./digest/digest.ts";
import { DataKinds } from "./ingest/kinds.ts";
import type { EventObserver } from "./ingest/observers.ts";
import { JobRegistry } from "./jobs/jobs.ts";
import type { KpiScope, MetricSource } from "./metrics/scopes.ts";
import { HomeSections, Panels } from "./surfaces/home.ts";

/**
 * Contributions to the extension points capabilities own (sources' connectors,
 * ask's vocabulary), kept per point; two of one name on a point are refused.
 */
export class Extensions {
  private readonly points = new Map<string, Registry<unknown>>();

  register(owner: string, extension: Extension): void {
    const { point } = extension;
    const registry = this.points.get(point.id) ?? new Registry(point.id, (item: unknown) => point.key(item));
    this.points.set(point.id, registry);
    for (const item of extension.items) registry.register(owner, item);
  }

  of<T>(point: ExtensionPoint<T>): readonly T[] {
    return (this.points.get(point.id)?.list() ?? []) as readonly T[];
  }

  ownerOf<T>(point: ExtensionPoint<T>, item: T): string {
    return this.points.get(point.id)!.ownerOf(item);
  }
}

/** Everything the capabilities (and the platform itself) contribute, one registry per kind. */
export interface Registries {
  capabilities: readonly Capability[];
  commands: CommandRegistry;
  cliVerbs: Registry<CliVerb>;
  digestSections: DigestSections;
  homeSections: HomeSections;
  panels: Panels;
  alertKinds: AlertKinds;
  contextProviders: ContextProviders;
  jobs: JobRegistry;
  dataKinds: DataKinds;
  demoParts: DemoParts;
  downloads: Registry<Download>;
  customerSections: Registry<CustomerSection>;
  kpiScopes: Registry<KpiScope>;
  metricSources: Registry<MetricSource>;
  prompts: Registry<PromptSource>;
  routes: Registry<HttpRoute>;
  extensions: Extensions;
  /** Count of rows the status shows, by what they are ("mentions"), from each capability. */
  counts: { owner: string; count: () => Promise<Record<string, number>> }[];
  /** Every owner's personal-data map (a table is declared by one owner). */
  personalData: { owner: string; table: PersonalTable }[];
  ingestGuards: IngestGuard[];
}

/** The event observers of the capabilities: static, so the writer thread reads them without setting anything up. */
export function eventObservers(capabilities: readonly Capability[]): EventObserver[] {
  return capabilities.flatMap((c) => c.eventObservers ?? []);
}

/** Empty registries; contributions come with `contribute`. */
export function emptyRegistries(capabilities: readonly Capability[], contexts: ContextSource): Registries {
  return {
    capabilities,
    commands: new CommandRegistry(contexts),
    cliVerbs: new Registry("CLI verb", (v) => v.name),
    digestSections: new DigestSections(),
    homeSections: new HomeSections(contexts),
    panels: new Panels(contexts),
    alertKinds: new AlertKinds(contexts),
    contextProviders: new ContextProviders(contexts),
    jobs: new JobRegistry(),
    dataKinds: new DataKinds(),
    demoParts: new DemoParts(),
    downloads: new Registry("download", (d) => d.source),
    customerSections: new Registry(
      "customer section",
      (s) => s.id,
      (s) => s.order,
    ),
    kpiScopes: new Registry("KPI scope", (s) => s.word),
    metricSources: new Registry("metric source", (s) => s.word),
    prompts: new Registry(
      "prompt source",
      (p) => p.id,
      (p) => p.order,
    ),
    routes: new Registry("HTTP route", (r) => `${r.method} ${r.path}`),
    extensions: new Extensions(),
    counts: [],
    personalData: [],
    ingestGuards: [],
  };
}

/** Registers what one capability (or the platform, as "platform") contributes. */
export function contribute(registries: Registries, owner: string, contributions: Contributions): void {
  const r = registries;
  if (contributions.fallback && r.commands.list().some((c) => c.name === contributions.fallback))
    throw new Error(`only one capability may take unknown questions (${owner})`);
  for (const command of contributions.commands ?? [])
    r.commands.add(owner, command, { fallback: contributions.fallback === command.name });
  for (const verb of contributions.cliVerbs ?? []) r.cliVerbs.register(owner, verb);
  for (const section of contributions.digestSections ?? []) r.digestSections.register(owner, section);
  for (const section of contributions.homeSections ?? []) r.homeSections.register(owner, section);
  for (const panel of contributions.panels ?? []) r.panels.register(owner, panel);
  for (const kind of contributions.alertKinds ?? []) r.alertKinds.register(owner, kind);
  for (const provider of contributions.contextProviders ?? []) r.contextProviders.register(owner, provider);
  for (const job of contributions.jobs ?? []) r.jobs.register(owner, job);
  for (const kind of contributions.dataKinds ?? []) r.dataKinds.register(owner, kind);
  for (const part of contributions.demo ?? []) r.demoParts.register(owner, part);
  for (const download of contributions.downloads ?? []) r.downloads.register(owner, download);
  for (const section of contributions.customerSections ?? []) r.customerSections.register(owner, section);
  for (const scope of contributions.kpiScopes ?? []) r.kpiScopes.register(owner, scope);
  for (const source of contributions.metricSources ?? []) r.metricSources.register(owner, source);
  for (const source of contributions.prompts ?? []) r.prompts.register(owner, source);
  for (const route of contributions.routes ?? []) {
    const prefix = route.surface === "public" ? "/v1/" : "/console/";
    if (!route.path.startsWith(prefix))
      throw new Error(`${owner}'s ${route.surface} route ${route.path} must begin with ${prefix}`);
    r.routes.register(owner, route);
  }
  for (const extension of contributions.extensions ?? []) r.extensions.register(owner, extension);
  if (contributions.counts) r.counts.push({ owner, count: contributions.counts });
  for (const table of contributions.personalData ?? []) {
    const other = r.personalData.find((d) => d.table.table === table.table);
    if (other) throw new Error(`${owner} declares the table ${table.table}, which ${other.owner} declared`);
    r.personalData.push({ owner, table });
  }
  r.ingestGuards.push(...(contributions.ingestGuards ?? []));
}

/**
 * Sets up every capability of the list in order, each with its own context,
 * and registers what it returns. The help command is the platform's.
 */
export function setUpCapabilities(
  registries: Registries,
  contextFor: (capability: Capability) => CapabilityContext,
): void {
  registerHelp(registries.commands);
  const names = new Set<string>();
  for (const capability of registries.capabilities) {
    if (names.has(capability.name)) throw new Error(`capability “${capability.name}” is listed twice`);
    names.add(capability.name);
    let contributions: Contributions;
    try {
      contributions = capability.setup(contextFor(capability));
    } catch (error) {
      throw new Error(`capability “${capability.name}” failed to set up: ${(error as Error).message}`, {
        cause: error,
      });
    }
    contribute(registries, capability.name, contributions);
  }
}

import { parseArgs } from "node:util";
import { AppError } from "../../platform/base/errors.ts";
import { currencyDecimals } from "../../platform/base/format.ts";
import type { CliVerb } from "../../platform/contract/capability.ts";
import { OUTPUT_FLAGS, outputFlags } from "../../platform/contract/cli.ts";
import { csvCell } from "../../platform/reports/csv.ts";
import { isDay } from "../../platform/time/zone.ts";
import { segmentsService } from "./api.ts";

const HELP = `lift segments [--json] [--csv]                          the RFM overview and the saved segments
lift segments rfm [--as-of YYYY-MM-DD] [--ties average|first] --csv
    customer_id,recency_days,frequency,monetary,r,f,m,segment for every customer with an order
lift segments clusters [--k N] --csv                      customer_id,cluster,cluster_name for every customer clustered
lift segments export NAME --csv                           customer_id,email of a segment's members (admin: personal data)
lift segments recompute                                   recompute every segment now (the job does it nightly)
Rows are streamed: half a million customers print without building one table.
`;

/** `lift segments …`: the overview, and the CSVs (RFM, clusters, a segment's members) streamed to stdout. */
export const segmentsVerb: CliVerb = {
  name: "segments",
  summary: "customer segments; `lift segments rfm|clusters|export … --csv` stream CSV",
  help: HELP,
  async run(args, { platform, io }) {
    const sub = args[0];
    if (sub === undefined || sub.startsWith("-")) {
      const { values } = parseArgs({ args, options: { ...OUTPUT_FLAGS } });
      return { command: "segments", output: outputFlags(values) };
    }
    const segments = segmentsService.of(platform);
    const { values, positionals } = parseArgs({
      args: args.slice(1),
      allowPositionals: true,
      options: {
        csv: { type: "boolean" },
        "as-of": { type: "string" },
        ties: { type: "string" },
        k: { type: "string" },
      },
    });
    let lines = 0;
    // Every thousand lines, wait for a slow reader (a pipe to gzip, a network share).
    const pace = async () => {
      if (++lines % 1000 === 0) await io.drain?.();
    };
    const write = async (cells: (string | number)[]) => {
      io.out(`${cells.map((c) => csvCell(c)).join(",")}\n`);
      await pace();
    };
    if (sub === "rfm") {
      const asOf = values["as-of"];
      if (asOf !== undefined && !isDay(asOf))
        throw new AppError("invalid_input", `--as-of ${asOf} is not a day (YYYY-MM-DD)`);
      const ties = values.ties ?? "average";
      if (ties !== "average" && ties !== "first")
        throw new AppError("invalid_input", "--ties is average or first");
      const { scores, withoutCustomer } = await segments.rfm({ ...(asOf ? { asOf } : {}), ties });
      await write(["customer_id", "recency_days", "frequency", "monetary", "r", "f", "m", "segment"]);
      const decimals = 10 ** currencyDecimals(platform.settings.currency);
      for (const s of scores)
        await write([
          s.id,
          s.recencyDays,
          s.orders,
          (s.revenueMinor / decimals).toFixed(2),
          s.r,
          s.f,
          s.m,
          s.segment,
        ]);
      if (withoutCustomer > 0) io.err(`${withoutCustomer} orders without a customer id were left out.\n`);
      return { exitCode: 0 };
    }
    if (sub === "clusters") {
      const k = values.k === undefined ? undefined : Number(values.k);
      const result = await segments.clusters(k === undefined ? {} : { k });
      const names = new Map(result.clusters.map((c) => [c.id, c.name]));
      await write(["customer_id", "cluster", "cluster_name"]);
      for (const [id, cluster] of result.assignment) await write([id, cluster, names.get(cluster) ?? ""]);
      io.err(
        `${result.k} clusters${result.sampled < result.assignment.size ? ` (clustered on a sample of ${result.sampled})` : ""}: ${result.clusters.map((c) => `${c.id} ${c.name}`).join("; ")}\n`,
      );
      return { exitCode: 0 };
    }
    if (sub === "export") {
      const name = positionals.join(" ");
      if (!name) throw new AppError("invalid_input", "Which segment? lift segments export NAME --csv");
      for await (const line of segments.csv(await segments.get(name), true)) {
        io.out(line);
        await pace();
      }
      return { exitCode: 0 };
    }
    if (sub === "recompute") {
      for (const r of await segments.recompute())
        io.out(`${r.name}: ${r.size} customers (+${r.joined} −${r.left})\n`);
      return { exitCode: 0 };
    }
    throw new AppError("invalid_input", `lift segments ${sub}: not a segments command`, { hint: HELP });
  },
};

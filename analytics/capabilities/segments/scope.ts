import { ordersOfSegment, rfmSegmentOfOrder } from "../../../db/segments/queries.ts";
import { AppError } from "../../platform/base/errors.ts";
import { formatDay } from "../../platform/base/format.ts";
import type { KpiScope } from "../../platform/metrics/scopes.ts";
import { dayOf } from "../../platform/time/zone.ts";
import type { Segments } from "./service.ts";

/**
 * Segments as a filter and a breakdown of order figures ("revenue last 30 days
 * for segment champions", "orders by segment"): by today's membership, which
 * every such answer says.
 */
export function segmentScope(segments: Segments): KpiScope {
  const note = (at: number) =>
    `By today's segment membership (computed ${formatDay(dayOf(at, segments.platform.settings.timeZone))}): past orders are counted for the segment their customer is in now, which flatters segments such as Champions in past periods.`;
  return {
    word: "segment",
    plural: "segments",
    names: async () => (await segments.list()).map((s) => s.name),
    async filter(name) {
      const all = await segments.list();
      const segment = all.find((s) => s.name === name);
      if (!segment) {
        const names = all.map((s) => s.name);
        throw new AppError("not_found", `There is no segment “${name}”`, {
          hint:
            names.length > 0
              ? `segments: ${names.slice(0, 14).join(", ")}`
              : "segments are computed nightly; `segment recompute` computes them now",
        });
      }
      return { where: ordersOfSegment(name), note: note(segment.computedAt ?? 0) };
    },
    async breakdown() {
      const all = await segments.list();
      const rfm = all.filter((s) => s.kind === "rfm");
      const at = Math.max(0, ...rfm.map((s) => s.computedAt ?? 0));
      if (at === 0)
        throw new AppError("not_found", "The RFM segments have not been computed yet", {
          hint: "they are computed nightly; `segment recompute` computes them now",
        });
      return {
        key: rfmSegmentOfOrder(),
        labels: new Map(all.map((s) => [s.name, s.definition])),
        note: note(at),
      };
    },
  };
}

import { formatPercent } from "../../platform/base/format.ts";
import type { ContextProvider } from "../../platform/contract/capability.ts";
import { socialService } from "./api.ts";
import { BRAND } from "./topics.ts";

/** Fewer negative posts than this are not news beside a KPI move. */
const MIN_NEGATIVE = 5;
/** A rise of the negative share by this much (10 points) is. */
const SHIFT = 0.1;

/**
 * What people said around a KPI move or another alert: the brand's negative
 * mentions in the window against the same length of time just before, when
 * they rose enough to matter ("negative mentions 42, 31 % of scored, against
 * 12, 9 %, the 7 days before").
 */
export const socialContext: ContextProvider = {
  id: "social",
  order: 40,
  async lines({ platform }, window, subject) {
    if (subject.kind === "topic") return [];
    const social = socialService.of(platform);
    const span = window.toMs - window.fromMs;
    if (span <= 0) return [];
    const now = await social.shares(BRAND, window.fromMs, window.toMs);
    const before = await social.shares(BRAND, window.fromMs - span, window.fromMs);
    const scored = (s: typeof now) => s.total - s.unscored;
    if (now.negative < MIN_NEGATIVE || scored(now) === 0) return [];
    const shareNow = now.negative / scored(now);
    const shareBefore = scored(before) > 0 ? before.negative / scored(before) : 0;
    if (shareNow - shareBefore < SHIFT && now.negative < 2 * Math.max(1, before.negative)) return [];
    const days = Math.round(span / 86_400_000);
    return [
      `negative social mentions ${now.negative} (${formatPercent(shareNow, 0)} of scored) against ${before.negative} (${formatPercent(shareBefore, 0)}) the ${days === 1 ? "day" : `${days} days`} before; \`sentiment\` has what they say`,
    ];
  },
};

/*
 * Which language a post is in: the platform's own tag first (Mastodon's
 * `language`, Bluesky's `langs`, an RSS feed's <language>), else a small
 * n-gram detector (eld, its "small" data set: ~7 µs a text), loaded with the
 * first mentions written, not when Lift starts. Texts under 20 characters are
 * too short to tell: "und" (ISO 639-2's code for undetermined).
 */

interface Detector {
  detect(text: string): { language: string };
}

let detector: Detector | null = null;
let loading: Promise<void> | null = null;

export const MIN_DETECT_LENGTH = 20;

/** Languages the sentiment scorer reads; "und" is scored too (short texts are scored on the words they have). */
export const SCORED_LANGUAGES = new Set(["en", "und"]);

export function loadLanguageDetector(): Promise<void> {
  loading ??= import("eld/small").then((module) => {
    detector = module.eld as Detector;
  });
  return loading;
}

/** "en", "en-US", "EN_gb", "eng" → "en"; anything else that is not a language code → null. */
export function languageCode(tag: unknown): string | null {
  if (typeof tag !== "string") return null;
  const code = tag.trim().toLowerCase().split(/[-_]/)[0] ?? "";
  if (/^[a-z]{2}$/.test(code)) return code;
  const three: Record<string, string> = {
    eng: "en",
    deu: "de",
    ger: "de",
    fra: "fr",
    fre: "fr",
    spa: "es",
    ita: "it",
    por: "pt",
    nld: "nl",
    dut: "nl",
    jpn: "ja",
  };
  return three[code] ?? null;
}

/** The post's language as ISO 639-1 (or "und"); call loadLanguageDetector() before the first. */
export function languageOf(text: string, given?: unknown): string {
  const tagged = languageCode(given);
  if (tagged) return tagged;
  const letters = text.replace(/https?:\/\/\S+|[@#][\w.]+/g, "").trim();
  if (letters.length < MIN_DETECT_LENGTH || !detector) return "und";
  return detector.detect(letters).language || "und";
}

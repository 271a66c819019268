import type { TopicRow } from "../../../db/social/queries.ts";
import { escapeRegExp } from "../../platform/base/text.ts";

/** The topic every mention belongs to. */
export const BRAND = "brand";

/** Whether a text contains any of the terms, as whole words (case and accents as written). */
export function termsMatcher(terms: string[]): (text: string) => boolean {
  if (terms.length === 0) return () => false;
  const pattern = new RegExp(
    `(?:^|[^\\p{L}\\p{N}])(?:${terms.map(escapeRegExp).join("|")})(?:$|[^\\p{L}\\p{N}])`,
    "iu",
  );
  return (text) => pattern.test(text);
}

/** The topics a text belongs to: "brand", then every topic one of whose terms it contains. */
export function topicMatcher(topics: TopicRow[]): (text: string) => string[] {
  const matchers = topics
    .filter((t) => t.name !== BRAND)
    .map((t) => [t.name, termsMatcher(t.terms)] as const);
  return (text) => [BRAND, ...matchers.filter(([, matches]) => matches(text)).map(([name]) => name)];
}

import type { Random } from "./random.ts";

/** Social posts for the demo brand, Lift Outfitters (@liftoutfitters), assembled from parts for variety. */

const PRODUCTS = [
  "trail runners",
  "rain jacket",
  "merino hoodie",
  "daypack",
  "water bottle",
  "hiking socks",
  "fleece",
  "beanie",
];
const HANDLES = ["@liftoutfitters", "Lift Outfitters", "@liftoutfitters", "liftoutfitters"];

const POSITIVE = [
  "Absolutely love my new {p} from {h}! Best purchase this year",
  "{h} {p} arrived and it is fantastic. Great quality, great fit",
  "Wore the {p} from {h} on a 20k hike today. Comfortable and awesome",
  "Shoutout to {h} support, super helpful and friendly. Happy customer",
  "The {p} is brilliant, thank you {h}",
  "Got the {p} on sale at {h}, excellent value and looks great",
  "Impressed with {h}, the {p} is perfect for winter",
];
const NEUTRAL = [
  "Anyone tried the {p} from {h}? Thinking about ordering one",
  "{h} just posted their winter catalogue",
  "Is the {p} from {h} true to size?",
  "Comparing the {p} from {h} with a couple of other brands",
  "Saw an ad for the {h} {p} this morning",
  "Does {h} ship to Canada?",
];
const NEGATIVE = [
  "My {p} from {h} broke after two weeks. Disappointed",
  "{h} the zip on my {p} failed already, not happy",
  "Returned the {p}, sizing was wrong and the return took ages. {h}",
  "Customer service at {h} never answered my email. Frustrating",
];
/** The demo's incident: shipping delays, ten days before the end date. */
const SHIPPING = [
  "Still waiting for my {p} from {h}, order is a week late. Terrible shipping",
  "{h} where is my order?? Tracking has not moved in 6 days. Awful",
  "Shipping delays at {h} are ridiculous, nobody answers support",
  "Ordered from {h} two weeks ago and still nothing. Worst delivery ever",
  "{h} my package is lost and support is useless. Angry customer",
  "Delayed again. {h} shipping is a joke, cancelling my order",
  "So frustrated with {h}, late delivery and no updates at all",
];

function fill(template: string, random: Random): string {
  return template.replace("{p}", random.pick(PRODUCTS)).replace("{h}", random.pick(HANDLES));
}

export type MentionMood = "positive" | "neutral" | "negative" | "shipping";

export function mentionText(mood: MentionMood, random: Random): string {
  const templates =
    mood === "positive" ? POSITIVE : mood === "neutral" ? NEUTRAL : mood === "negative" ? NEGATIVE : SHIPPING;
  return fill(random.pick(templates), random);
}

export const FIRST_NAMES = [
  "Ana",
  "Ben",
  "Chloé",
  "Dev",
  "Emma",
  "Finn",
  "Grace",
  "Hiro",
  "Ines",
  "Jonas",
  "Kemi",
  "Lena",
  "Mateo",
  "Nora",
  "Omar",
  "Priya",
  "Quinn",
  "Rosa",
  "Sam",
  "Tariq",
  "Uma",
  "Viktor",
  "Wen",
  "Yara",
  "Zoe",
];
export const COUNTRIES: readonly (readonly [string, number])[] = [
  ["US", 45],
  ["GB", 15],
  ["DE", 12],
  ["CA", 10],
  ["FR", 8],
  ["AU", 6],
  ["NL", 4],
];

/**
 * Small numbers are not news: a change computed on fewer than this many units
 * (orders, visitors, signups, clicks, events) in either period is shown
 * without an arrow or a colour, and marked "few data". 2 → 3 orders is +50 %
 * and means nothing.
 */
export const MIN_UNITS_FOR_CHANGE = 30;

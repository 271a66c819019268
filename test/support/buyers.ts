import { expect } from "vitest";
import type { PlatformApi } from "../../analytics/platform/contract/api.ts";

/**
 * Customers c<from>…c<from+n-1>, each with an email (Buyer<i>@Example.com, mixed case as people
 * type them), a first name, plan "pro", and one $20 order (segments are of customers who ordered).
 */
export async function buyers(
  platform: PlatformApi,
  n: number,
  from = 0,
  traits: Record<string, string> = {},
) {
  const rows = Array.from({ length: n }, (_, i) => ({
    id: `c${from + i}`,
    email: `Buyer${from + i}@Example.com`,
    first_name: `Buyer${from + i}`,
    plan: "pro",
    updated_at: "2026-11-01T00:00:00Z",
    ...traits,
  }));
  expect((await platform.ingest.write("customers", rows)).rejected).toEqual([]);
  const orders = rows.map((r) => ({
    id: `o-${r.id}`,
    customer_id: r.id,
    amount: "20.00",
    timestamp: "2026-11-05T12:00:00Z",
  }));
  expect((await platform.ingest.write("orders", orders)).rejected).toEqual([]);
}

import { customerTypeOfOrder } from "../../../db/platform/queries/metrics.ts";
import { AppError } from "../base/errors.ts";
import type { KpiScope } from "../metrics/scopes.ts";

const NOTE =
  "New: a customer's first order ever (in any period); returning: every order after it. Orders without a customer id are apart.";

/**
 * New and returning customers as a filter and a breakdown of order figures
 * ("revenue last month by customer type", "orders for customer type returning"):
 * an order is new when it is its customer's first, from the orders themselves.
 */
export const customerTypeScope: KpiScope = {
  word: "customer type",
  plural: "customer types",
  names: async () => ["new", "returning"],
  async filter(name) {
    const type = name.trim().toLowerCase();
    if (type !== "new" && type !== "returning")
      throw new AppError("not_found", `“${name}” is not a customer type`, { hint: "new or returning" });
    const key = customerTypeOfOrder();
    return { where: { sql: `(${key.sql}) = ?`, args: [...key.args, type] }, note: NOTE };
  },
  async breakdown() {
    return {
      key: customerTypeOfOrder(),
      labels: new Map([
        ["new", "New customers (first order)"],
        ["returning", "Returning customers"],
        ["(no customer)", "(no customer id)"],
      ]),
      note: NOTE,
    };
  },
};

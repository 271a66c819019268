import { dbOf } from "../../../../db/client.ts";
import { type CustomerWrite, writeCustomers } from "../../../../db/platform/queries/customers.ts";
import type { DataKind } from "../kinds.ts";
import { customerRowSchema, readRow } from "../schemas.ts";

/** Customers (a CRM or shop export): an id, an email, when they signed up, and any traits. */
export const customersKind: DataKind<CustomerWrite> = {
  name: "customers",
  source: "customers",
  aliases: {
    id: ["id", "user_id", "userid", "customer_id", "customerid", "customer"],
    email: ["email", "e_mail", "email_address", "mail"],
    first_seen: [
      "first_seen",
      "created_at",
      "createdat",
      "created_(utc)",
      "created_date_(utc)",
      "date_created",
      "date_registered",
      "user_registered",
      "signup_date",
      "signed_up_at",
      "joined",
      "created",
    ],
    updated_at: ["updated_at", "updatedat", "modified", "last_modified", "modified_at"],
  },
  otherColumns: "traits",
  fields:
    "`id` (the email when an export has no id), `email`, `first_seen`, `updated_at`; other columns are kept as traits",
  normalize(input, context) {
    // Exports without a customer id (older Shopify customer exports, newsletter lists) are keyed by email.
    const row = input as Record<string, unknown>;
    const address = typeof row["email"] === "string" ? row["email"].trim().toLowerCase() : "";
    const keyed =
      (row["id"] === undefined || row["id"] === "") && address !== "" ? { ...row, id: address } : row;
    const parsed = readRow(customerRowSchema, keyed);
    if ("error" in parsed) return parsed;
    const { id, email, first_seen, updated_at, traits: nested, ...rest } = parsed.value;
    const firstSeen = context.optionalTime(first_seen, "first_seen");
    if ("error" in firstSeen) return firstSeen;
    const updatedAt = context.optionalTime(updated_at, "updated_at");
    if ("error" in updatedAt) return updatedAt;
    const traits: Record<string, unknown> = { ...(nested ?? {}) };
    for (const [key, value] of Object.entries(rest))
      if (value !== undefined && value !== "") traits[key] = value;
    return {
      value: {
        id,
        email: email ?? null,
        traits,
        firstSeen: firstSeen.value,
        updatedAt: updatedAt.value ?? firstSeen.value ?? 0,
      },
    };
  },
  identifiers: (row) => [
    { key: "customer", value: row.id },
    ...(row.email ? [{ key: "email" as const, value: row.email }] : []),
  ],
  write: (tables, rows, options) => writeCustomers(dbOf(tables), rows, options),
};

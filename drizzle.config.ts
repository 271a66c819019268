import { defineConfig } from "drizzle-kit";

// Each owner keeps its tables: the platform's under db/platform/schema/, a
// capability's in db/<capability>/schema.ts. drizzle-kit reads them all.
export default defineConfig({
  dialect: "sqlite",
  schema: ["./db/platform/schema/*.ts", "./db/*/schema.ts"],
  out: "./db/migrations",
});

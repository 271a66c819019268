import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          setupFiles: ["test/support/fast-check.ts"],
          exclude: ["test/**/*.int.test.ts"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/**/*.int.test.ts"],
          setupFiles: ["test/support/fast-check.ts"],
          globalSetup: ["test/support/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    exclude: ["tests/e2e/**", "node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Sandboxed graders are CPU-heavy on a 2-core machine; keep parallelism modest.
    maxWorkers: 2,
  },
  resolve: {
    alias: {
      "@": new URL("./", import.meta.url).pathname,
      // lib/ modules used by pages import "server-only"; outside Next it is a no-op.
      "server-only": new URL("./tests/helpers/server-only.ts", import.meta.url).pathname,
    },
  },
});

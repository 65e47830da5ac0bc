import { defineConfig } from "vitest/config";

// End-to-end tests: a real production build served by `next start`, driven by Debian's Chromium.
export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.e2e.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // One browser and one app server at a time on a 2-core machine.
    fileParallelism: false,
  },
});

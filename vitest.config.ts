import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Real processes, real fsyncs and a real PostgreSQL: two cores are shared, so keep the fan-out modest.
    maxWorkers: 2,
  },
});

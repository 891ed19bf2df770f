import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Real processes, real fsyncs and a real PostgreSQL: two cores are shared, so keep the fan-out modest.
    maxWorkers: 2,
    // The end-to-end tests start the built `node bin/jobd.js`: build dist/ once when it is stale.
    globalSetup: ["test/e2e/global-setup.ts"],
  },
});

/** Runs `main()` in-process with captured output and, for `serve`, the resolved config instead of a server. */

import type { CliIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import type { ServeConfig } from "../../src/cli/serve-config.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** What `jobd serve` resolved, when it got that far. */
  config: Readonly<ServeConfig> | undefined;
}

export async function runCli(argv: string[], io: Partial<CliIo> = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  let config: Readonly<ServeConfig> | undefined;
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    serve: async (resolved) => {
      config = resolved;
    },
    ...io,
  });
  return { code, stdout, stderr, config };
}

/** Reads installed packages' versions, for the report's "versions" lines. */
import { createRequire } from "node:module";

const benchRequire = createRequire(import.meta.url);
const rootRequire = createRequire(new URL("../../package.json", import.meta.url));

function versionOf(require: NodeJS.Require, specifier: string): string | undefined {
  try {
    return (require(specifier) as { version: string }).version;
  } catch {
    return undefined;
  }
}

/** `name version` of a package resolvable from bench/compare. */
export function packageVersion(name: string): string {
  return `${name} ${versionOf(benchRequire, `${name}/package.json`) ?? "(version unknown)"}`;
}

/** `jobd <version> (this checkout)`, with the better-sqlite3 the root installs. */
export function jobdVersion(): string {
  const jobd = versionOf(benchRequire, "../../package.json") ?? "?";
  const sqlite = versionOf(rootRequire, "better-sqlite3/package.json") ?? "?";
  return `jobd ${jobd} (this checkout), better-sqlite3 ${sqlite}`;
}

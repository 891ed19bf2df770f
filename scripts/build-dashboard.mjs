#!/usr/bin/env node
// Builds the dashboard (src/dashboard) into dist/dashboard: one minified, content-hashed JS bundle and
// stylesheet under assets/, and index.html pointing at them. Runs as part of `npm run build`.
// Every file is replaced atomically (temp file + rename) and stale assets are removed only after the
// new index.html is in place, so a server starting during a rebuild never reads a half-written file.
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const source = path.join(root, "src/dashboard");
const out = path.join(root, "dist/dashboard");
const assets = path.join(out, "assets");

const result = await build({
  entryPoints: [path.join(source, "main.ts")],
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2022", "chrome111", "firefox111", "safari16"],
  outdir: assets,
  entryNames: "[name]-[hash]",
  write: false,
  legalComments: "none",
  logLevel: "warning",
});

async function writeAtomically(file, contents) {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, contents);
  await rename(temp, file);
}

await mkdir(assets, { recursive: true });
const names = [];
for (const file of result.outputFiles) {
  await writeAtomically(file.path, file.contents);
  names.push(path.basename(file.path));
}
const find = (ext) => {
  const name = names.find((n) => n.endsWith(ext));
  if (!name) throw new Error(`build-dashboard: esbuild produced no ${ext} file`);
  return `/assets/${name}`;
};
const template = await readFile(path.join(source, "index.html"), "utf8");
await writeAtomically(
  path.join(out, "index.html"),
  template.replace("{{script}}", find(".js")).replace("{{style}}", find(".css")),
);
for (const stale of (await readdir(assets)).filter((n) => !names.includes(n) && !n.endsWith(".tmp"))) {
  await rm(path.join(assets, stale), { force: true });
}
console.log(
  `dashboard: ${result.outputFiles.map((f) => `${path.basename(f.path)} ${f.contents.length} B`).join(", ")}`,
);

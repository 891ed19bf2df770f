#!/usr/bin/env node
// Builds the dashboard (src/dashboard) into dist/dashboard: one minified, content-hashed JS bundle and
// stylesheet under assets/, and index.html pointing at them. Runs as part of `npm run build`.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const source = path.join(root, "src/dashboard");
const out = path.join(root, "dist/dashboard");

await rm(out, { recursive: true, force: true });
await mkdir(path.join(out, "assets"), { recursive: true });

const result = await build({
  entryPoints: [path.join(source, "main.ts")],
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2022", "chrome111", "firefox111", "safari16"],
  outdir: path.join(out, "assets"),
  entryNames: "[name]-[hash]",
  metafile: true,
  legalComments: "none",
  logLevel: "warning",
});

const outputs = Object.keys(result.metafile.outputs).map((file) =>
  path.relative(out, path.resolve(root, file)),
);
const find = (ext) => {
  const file = outputs.find((name) => name.endsWith(ext));
  if (!file) throw new Error(`build-dashboard: esbuild produced no ${ext} file`);
  return `/${file.split(path.sep).join("/")}`;
};
const template = await readFile(path.join(source, "index.html"), "utf8");
const html = template.replace("{{script}}", find(".js")).replace("{{style}}", find(".css"));
await writeFile(path.join(out, "index.html"), html);

const sizes = Object.entries(result.metafile.outputs).map(
  ([file, info]) => `${path.basename(file)} ${info.bytes} B`,
);
console.log(`dashboard: ${sizes.join(", ")}`);

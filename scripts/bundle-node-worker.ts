/**
 * Run by `npm run build:lib` after tsc: writes dist/host/worker/worker-entry-node.cjs, the module
 * tsc emitted as worker-entry-node.js and all it imports bundled into one script (see
 * host/worker/node-entry-bundle.ts for why), in place of that module, which nothing else imports.
 * The other modules stay in dist for the page's side.
 */
import { rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { bundleNodeWorkerEntry } from "../host/worker/node-entry-bundle.ts";

const emitted = (name: string) => fileURLToPath(new URL(`../dist/host/worker/${name}`, import.meta.url));
const outfile = emitted("worker-entry-node.cjs");
const { code } = await bundleNodeWorkerEntry(outfile, false);
const header = "// as-interop's Node worker: host/worker/worker-entry-node.ts and what it imports, bundled into one script.\n";
writeFileSync(outfile, header + code);
for (const name of ["worker-entry-node.js", "worker-entry-node.d.ts"]) rmSync(emitted(name), { force: true });

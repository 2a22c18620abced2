/**
 * Run by `npm run build:lib` after tsc: replaces dist/host/worker/worker-entry-node.js, which tsc
 * emitted as one module of many, with that module and all it imports bundled into one (see
 * host/worker/node-entry-bundle.ts for why). The other modules stay in dist for the page's side.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { bundleNodeWorkerEntry } from "../host/worker/node-entry-bundle.ts";

const outfile = fileURLToPath(new URL("../dist/host/worker/worker-entry-node.js", import.meta.url));
const { code } = await bundleNodeWorkerEntry(outfile, false);
const header = "// as-interop's Node worker: host/worker/worker-entry-node.ts and what it imports, bundled into one module.\n";
writeFileSync(outfile, header + code);

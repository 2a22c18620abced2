/**
 * The page side of e2e/js-references.spec.ts (issue 19 in Chromium): bundled on the fly with the
 * runtime and served from memory with the test/fixtures/js-references.ts assembly. JS makes
 * references with the runtime's DotNet object and managed code uses them; what needs checking in
 * the page (identity, checksums) is checked here, so that only plain results cross the DevTools
 * protocol.
 */
import { InteropRuntime } from "../../host/runtime/index.ts";
import { checksumOf, xorshiftBytes } from "../../test/stream-data.ts";

const NAME = "js-references";
const runtime = new InteropRuntime();
const { DotNet } = runtime;

async function load(url: string): Promise<void> {
  await runtime.loadAssembly(url);
}

const call = <T = unknown>(method: string, ...args: unknown[]): T => runtime.invokeMethod<T>(NAME, method, ...args);
const callAsync = <T = unknown>(method: string, ...args: unknown[]): Promise<T> => runtime.invokeMethodAsync<T>(NAME, method, ...args);

/** What a call threw, or "no error". */
function errorOf(run: () => unknown): string {
  try {
    run();
    return "no error";
  } catch (error) {
    return (error as Error).message;
  }
}

/** An element JS hands over with createJSObjectReference, used by managed code, then disposed from JS. */
function elementReference() {
  const element = document.getElementById("out")!;
  const ref = DotNet.createJSObjectReference(element);
  const held = call<number>("Hold", ref);
  const seen = {
    id: ref.__jsObjectId,
    held,
    property: call<string>("HeldProperty", "id"),
    invoked: call<string>("HeldInvoke", "toString"),
    returnedIsElement: call("HeldReturned") === element,
    jsObjects: runtime.getAssembly(NAME)!.diagnostics().jsObjects,
  };
  DotNet.disposeJSObjectReference(ref);
  return {
    ...seen,
    afterDispose: {
      property: errorOf(() => call("HeldProperty", "id")),
      // Given again, it arrives (as in Blazor) and fails at its first use.
      again: errorOf(() => call("Hold", ref) && call("HeldProperty", "id")),
      disposeTwice: errorOf(() => DotNet.disposeJSObjectReference(ref)),
      jsObjects: runtime.getAssembly(NAME)!.diagnostics().jsObjects,
    },
  };
}

/** A reference managed code disposes: JS's reference ends with it. */
function managedDispose() {
  const ref = DotNet.createJSObjectReference({ greet: () => "hi" });
  call("Hold", ref);
  const invoked = call<string>("HeldInvoke", "greet");
  call("DisposeHeld");
  return { invoked, again: errorOf(() => call("Hold", ref) && call("HeldInvoke", "greet")), jsObjects: runtime.getAssembly(NAME)!.diagnostics().jsObjects };
}

/** A Blob of `size` pseudo-random bytes made in the page, read by managed code; both checksums. */
async function readBlob(size: number, seed: number) {
  const bytes = xorshiftBytes(size, seed);
  const blob = new Blob([bytes.subarray(0, size >> 1), bytes.subarray(size >> 1)], { type: "application/octet-stream" });
  const ref = DotNet.createJSStreamReference(blob);
  const length = ref.__jsStreamReferenceLength;
  const report = await callAsync<string>("ReadStream", ref);
  return { length, report, expected: checksumOf(bytes), diagnostics: runtime.getAssembly(NAME)!.diagnostics() };
}

/** A File in a @dataMember field. */
async function readFile(size: number, seed: number) {
  const bytes = xorshiftBytes(size, seed);
  const file = new File([bytes], "upload.bin");
  const report = await callAsync<string>("ReadUpload", { name: file.name, data: DotNet.createJSStreamReference(file) });
  return { report, expected: checksumOf(bytes) };
}

/** A Blob fetched from the network, as the result of a JS call managed code makes. */
async function readFetched(url: string) {
  (globalThis as Record<string, unknown>)["files"] = { fetched: () => fetch(url).then((response) => response.blob()) };
  return callAsync<string>("ReadFromPromise", "files.fetched");
}

/** The cap exceeded: Blazor's message. */
async function overCap() {
  try {
    return await callAsync<string>("ReadStreamWith", new Blob([new Uint8Array(1000)]), 999, 4096, 0);
  } catch (error) {
    return (error as Error).message;
  }
}

declare global {
  // eslint-disable-next-line no-var
  var jsReferences: {
    load: typeof load;
    elementReference: typeof elementReference;
    managedDispose: typeof managedDispose;
    readBlob: typeof readBlob;
    readFile: typeof readFile;
    readFetched: typeof readFetched;
    overCap: typeof overCap;
  };
}
globalThis.jsReferences = { load, elementReference, managedDispose, readBlob, readFile, readFetched, overCap };
document.body.dataset.ready = "true";

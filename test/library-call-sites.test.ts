/**
 * Errors the compiler meets inside as-interop's managed library, while compiling it for a user's
 * call, are reported at the user's call (host/compiler/call-sites.ts); and `void` results of calls
 * into JavaScript (`invokeSelf<void>`, `invoke<void>`) compile and convert nothing.
 */
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../host/compiler/diagnostics.ts";
import { InteropRuntime } from "../host/runtime/index.ts";
import { compileErrors, compileVirtual, locate } from "./helpers.ts";

describe("a call whose type the library's generic code cannot handle", () => {
  const source = `import { JSArgs, JSRuntime } from "as-interop/assembly/interop";

@jsInvokable
export function SendVector(): void {
  JSRuntime.invokeVoid("receive", JSArgs.of<v128>(i32x4(1, 2, 3, 4)));
}
`;

  it("is an error at the user's call, naming the place in the library", async () => {
    const errors = await compileErrors({ "assembly/Vectors.ts": source }, { ascFlags: ["--enable", "simd"] });
    expect(errors.length).toBeGreaterThan(0);
    const call = locate(source, `JSArgs.of<v128>(`);
    for (const error of errors) {
      expect(formatDiagnostic(error)).toContain(`assembly/Vectors.ts:${call.line}:${call.column}: error`);
      expect(error.message).toMatch(/\(at ~lib\/as-interop\/assembly\/interop\/js\/\w+\.ts:\d+:\d+, in as-interop's library code compiled for this call\)$/);
      expect(error.frame).toContain("JSArgs.of<v128>(i32x4(1, 2, 3, 4))");
    }
    expect(errors.map((error) => error.message)).toContainEqual(expect.stringContaining("Type 'v128' cannot be changed to type 'usize'."));
  });
});

describe("calls into JavaScript whose result is void", () => {
  it("compile, call the function and convert nothing (invokeSelf<void>, invoke<void>)", async () => {
    const { binary } = await compileVirtual({
      "assembly/Callbacks.ts": `import { JSArgs, JSObject, JSRuntime } from "as-interop/assembly/interop";

@jsInvokable
export function Notify(callback: JSObject, value: i32): void {
  callback.invokeSelf<void>(JSArgs.of(value));
  JSRuntime.invoke<void>("notified", JSArgs.of(value + 1));
}
`,
    });
    const received: unknown[] = [];
    // A result the conversion would refuse: none is asked for, so it does not matter.
    const unconvertible = () => Symbol("not a value");
    const runtime = new InteropRuntime();
    await runtime.loadAssembly(binary, {
      scope: { notified: (value: number) => (received.push(["notified", value]), unconvertible()) },
    });
    runtime.invokeMethod("Callbacks", "Notify", (value: number) => (received.push(["callback", value]), unconvertible()), 41);
    expect(received).toEqual([
      ["callback", 41],
      ["notified", 42],
    ]);
  });
});

describe("a diagnostic whose line is unknown", () => {
  it("prints its file without a made-up position", () => {
    const message = formatDiagnostic({ category: "error", code: 203, message: "Operation failed.", file: "~lib/x.ts" });
    expect(message).toBe("~lib/x.ts: error AS203: Operation failed.");
  });
});

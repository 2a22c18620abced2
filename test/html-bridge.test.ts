/**
 * The HTML Bridge's rules ("Returning or Passing Managed Types to JavaScript") that the other test
 * files do not show on their own, against real compiled wasm (test/fixtures/html-bridge.ts). The
 * audit of every rule, and the test that shows each, is the table in docs/marshaling.md ("The HTML
 * Bridge's rules, one by one").
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DotNetObject, InteropRuntime } from "../host/runtime/index.ts";
import { compileFixture, expectArgumentError, thrownError, type CompiledFixture } from "./helpers.ts";

const NAME = "HtmlBridge";
/** The same module loaded again: the HTML Bridge's "different Silverlight control instance". */
const OTHER = "HtmlBridgeOther";

type Add = (a: number, b: number) => number;

interface Control extends DotNetObject {
  Handler: Add;
  invokeMethod<T = unknown>(identifier: string, ...args: unknown[]): T;
  dispose(): void;
}

let fixture: CompiledFixture;
const runtime = new InteropRuntime();
const bigRuntime = new InteropRuntime();

beforeAll(async () => {
  fixture = await compileFixture("html-bridge", { assemblyName: NAME });
  await runtime.loadAssembly(fixture.module);
  await runtime.loadAssembly(fixture.module, { name: OTHER });
  await bigRuntime.loadAssembly(fixture.module, { int64: "bigint" });
});

afterAll(() => {
  runtime.unloadAssembly(NAME);
  runtime.unloadAssembly(OTHER);
  bigRuntime.unloadAssembly(NAME);
});

const call = <T = unknown>(method: string, ...args: unknown[]): T => runtime.invokeMethod<T>(NAME, method, ...args);

describe("a managed number becomes a JavaScript number, never silently another one", () => {
  it("0xFFFFFFFFFFFFFFFF is not rounded to 18446744073709552000: an overflow error by default, exact as a BigInt with { int64: 'bigint' }", () => {
    const error = thrownError(() => call("MaxU64"));
    expect(error.message).toContain("The call to 'MaxU64' failed: its result could not be converted:");
    expect(error.message).toContain("the u64 value 18446744073709551615 is beyond ±2^53");
    expect(bigRuntime.invokeMethod(NAME, "MaxU64")).toBe(0xffffffffffffffffn);
    expect(bigRuntime.invokeMethod(NAME, "EchoU64", 0xffffffffffffffffn)).toBe(0xffffffffffffffffn);
  });

  it("the rounded double 18446744073709552000 given back for a u64 is the round trip's overflow: refused, never wrapped", () => {
    const rounded = 18446744073709552000;
    expect(rounded).toBe(2 ** 64);
    const error = thrownError(() => call("EchoU64", rounded));
    expectArgumentError(error, "EchoU64", 1, "value", "expected u64 (an integer from 0 to 18446744073709551615)");
    expect(error.message).toContain("got number 18446744073709552000");
    // The instance keeps working, and the largest exact number crosses both ways.
    expect(call("EchoU64", Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe("managed event delegates round-tripped through JavaScript", () => {
  it("a delegate given back to managed code is a JSObject (the HTML Bridge's ScriptObject): invokeSelf calls the managed function", () => {
    const adder = call<Add>("Adder");
    expect(adder(2, 3)).toBe(5);
    expect(call("InvokeSelf", adder, 40, 2)).toBe(42);
    // InvokeSelf disposed its handle: nothing is left held.
    expect(runtime.getAssembly(NAME)!.diagnostics().jsObjects).toBe(0);
    // Handed back to JS, the handle is the very same function.
    expect(call("Keep", adder)).toBe(adder);
  });

  it("another instance of the assembly calls it late-bound too (the HTML Bridge's other control instance)", () => {
    const adder = call<Add>("Adder");
    expect(runtime.invokeMethod(OTHER, "InvokeSelf", adder, 7, 8)).toBe(15);
    // Each instance's delegate is its own function.
    expect(runtime.invokeMethod<Add>(OTHER, "Adder")).not.toBe(adder);
  });

  it("JavaScript calls it with apply (the one Function member the HTML Bridge supports), and call", () => {
    const adder = call<Add>("Adder");
    expect(adder.apply(null, [20, 22])).toBe(42);
    expect(adder.call(undefined, 1, 1)).toBe(2);
  });

  it("a property typed as a delegate (EventHandler) returns it; managed code invokes it by its name or by GetProperty then InvokeSelf", () => {
    const control = call<Control>("NewControl");
    expect(control.Handler(5, 3)).toBe(8);
    expect(control.Handler).toBe(call("Adder"));
    expect(call("InvokeByName", control, 5, 3)).toBe(8);
    expect(call("GetPropertyThenInvokeSelf", control, 5, 3)).toBe(8);
    control.invokeMethod("UseSubtract");
    expect(control.Handler(5, 3)).toBe(2);
    expect(call("InvokeByName", control, 5, 3)).toBe(2);
    expect(call("GetPropertyThenInvokeSelf", control, 5, 3)).toBe(2);
    control.dispose();
  });

  it("a JS function set into a delegate-typed property is refused, even a delegate's own (docs/marshaling.md: where it differs), and the property is unchanged", () => {
    const control = call<Control>("NewControl");
    const handler = control.Handler;
    for (const value of [handler, (a: number, b: number) => a * b]) {
      const error = thrownError(() => {
        control.Handler = value;
      });
      expectArgumentError(error, "Control.Handler", 1, "value", "a JavaScript function cannot become a managed one");
    }
    expect(control.Handler).toBe(handler);
    control.dispose();
  });
});

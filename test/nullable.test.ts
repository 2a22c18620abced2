/**
 * Nullable<T> (.NET's int?) beyond the by-value table (test/by-value.test.ts has arguments,
 * results, arrays, maps and @dataMember fields): @scriptableMember fields, by-reference lists and
 * dictionaries, task results, delegates, and calls into JavaScript both ways.
 * The fixture is test/fixtures/nullable.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { InteropError, InteropRuntime, ManagedError, type DotNetObject, type LoadedAssembly } from "../host/runtime/index.ts";
import { compileFixture, globalInstaller, thrown } from "./helpers.ts";

const NAME = "nullable";
let runtime: InteropRuntime;
let assembly: LoadedAssembly;
const install = globalInstaller();

beforeAll(async () => {
  const { module } = await compileFixture(NAME);
  runtime = new InteropRuntime();
  // The typed imports are installed per test, so they are looked up when first called.
  assembly = await runtime.loadAssembly(module, { importBinding: "first-call" });
});

const call = <T = unknown>(method: string, ...args: unknown[]): T => runtime.invokeMethod<T>(NAME, method, ...args);

interface Thermostat extends DotNetObject {
  invokeMethod<T = unknown>(identifier: string, ...args: unknown[]): T;
  invokeMethodAsync<T = unknown>(identifier: string, ...args: unknown[]): Promise<T>;
  dispose(): void;
  Target: number | null;
  readonly Floor: number | null;
  Enabled: boolean | null;
  Mode: string | null;
  History: (number | null)[];
  Limits: Record<string, number | null>;
}

describe("@scriptableMember fields", () => {
  it("read as the value or null, and are set from a value or null (undefined too)", () => {
    const thermostat = call<Thermostat>("CreateThermostat");
    expect([thermostat.Target, thermostat.Floor, thermostat.Enabled, thermostat.Mode]).toEqual([null, -5, true, null]);
    thermostat.Target = 21.5;
    thermostat.Mode = "H";
    thermostat.Enabled = null;
    expect(thermostat.invokeMethod("Describe")).toBe("target 21.5, enabled , mode H");
    thermostat.Target = undefined as unknown as null;
    expect(thermostat.Target).toBeNull();
    expect(thermostat.invokeMethod("Describe")).toBe("target none, enabled , mode H");
    thermostat.dispose();
  });

  it("refuse a wrong value with T's error, leaving the field as it was; a readonly one is read-only", () => {
    const thermostat = call<Thermostat>("CreateThermostat");
    thermostat.Target = 1;
    const error = thrown(() => (thermostat.Target = "warm" as unknown as number));
    expect((error as Error).message).toMatch(/expected a number \(f64\), got the string "warm"/);
    expect(() => (thermostat.Enabled = 1 as unknown as boolean)).toThrow(/expected a boolean, got number 1/);
    expect(thermostat.Target).toBe(1);
    expect(() => ((thermostat as { Floor: number | null }).Floor = 3)).toThrow(TypeError);
    thermostat.dispose();
  });

  it("a list or map member of Nullable<T> is a live view whose elements are values or null", () => {
    const thermostat = call<Thermostat>("CreateThermostat");
    expect([...thermostat.History]).toEqual([1, null]);
    thermostat.History.push(null, 7);
    expect([...thermostat.History]).toEqual([1, null, null, 7]);
    thermostat.Limits.high = 30.5;
    thermostat.Limits.low = null;
    expect({ ...thermostat.Limits }).toEqual({ high: 30.5, low: null });
    expect(() => thermostat.History.push("x" as unknown as number)).toThrow(/expected i32/);
    expect([...thermostat.History]).toEqual([1, null, null, 7]);
    thermostat.dispose();
  });

  it("task results and delegates carry Nullable<T> too", async () => {
    const thermostat = call<Thermostat>("CreateThermostat");
    await expect(thermostat.invokeMethodAsync("Later")).resolves.toBeNull();
    thermostat.Target = 18;
    await expect(thermostat.invokeMethodAsync("Later")).resolves.toBe(18);
    const adjust = thermostat.invokeMethod<(by: number | null) => number | null>("Adjuster");
    expect(adjust(1)).toBe(1.5);
    expect(adjust(null)).toBeNull();
    thermostat.dispose();
    expect(assembly.diagnostics().pendingTasks).toBe(0);
  });
});

describe("by-reference collections of Nullable<T>", () => {
  it("ListReference<Nullable<i32>> and DictionaryReference<Nullable<u8>>: get, set and search by value or null", () => {
    const list = call<(number | null)[]>("Readings");
    expect([...list]).toEqual([3, null]);
    list[1] = 4;
    list.push(null);
    expect(call("DescribeReadings")).toBe("3,4,none");
    // A Nullable<T> is a value, found by its value as .NET's List<int?>.IndexOf finds it.
    expect(list.indexOf(null)).toBe(2);
    expect(list.indexOf(4)).toBe(1);
    expect(list.indexOf(4, 2)).toBe(-1);
    expect(list.lastIndexOf(3)).toBe(0);
    expect(list.lastIndexOf(null, 1)).toBe(-1);
    expect(list.indexOf("4" as unknown as number)).toBe(-1);
    // A list of `Nullable<i32> | null` may hold null references: no value either.
    const maybes = call<(number | null)[]>("Maybes");
    expect([...maybes]).toEqual([null, 5, null]);
    expect(maybes.indexOf(5)).toBe(1);
    expect(maybes.indexOf(null)).toBe(0);
    expect(maybes.lastIndexOf(null)).toBe(2);
    expect(maybes.indexOf(6)).toBe(-1);
    const levels = call<Record<string, number | null>>("Levels");
    levels.a = 255;
    levels.b = null;
    expect(call("DescribeLevels")).toBe("a=255,b=none");
    expect(() => (levels.c = 256)).toThrow(/expected u8/);
    expect(call("DescribeLevels")).toBe("a=255,b=none");
  });
});

describe("calls into JavaScript", () => {
  it("JSArgs.of(nullable) arrives as the number (or boolean, one-character string, list) or null", () => {
    const received: unknown[][] = [];
    install({ nullables: { receive: (...args: unknown[]) => void received.push(args) } });
    call("PassToJS", true, 65);
    call("PassToJS", false, 0);
    call("PassNullReference");
    expect(received).toEqual([
      [65, true, 65, 65 * 2 ** 40, [0.5, null]],
      [null, null, null, null, [0.5, null]],
      [null],
    ]);
  });

  it("JSRuntime.invoke<Nullable<T>> reads a value, or null and undefined as none", () => {
    install({
      js: {
        seven: () => 7,
        nothing: () => null,
        missing: () => undefined,
        yes: () => false,
        letter: () => 122, // a char is its code unit in calls into JS, as a plain char is
        huge: () => 2n ** 64n - 1n,
        mixed: () => [1.25, null, undefined, -3],
      },
    });
    expect(call("ReadI32", "js.seven")).toBe("value 7");
    expect(call("ReadI32", "js.nothing")).toBe("none");
    expect(call("ReadI32", "js.missing")).toBe("none");
    expect(call("ReadBool", "js.yes")).toBe("value false");
    expect(call("ReadBool", "js.nothing")).toBe("none");
    expect(call("ReadChar", "js.letter")).toBe("value z");
    expect(call("ReadU64", "js.huge")).toBe("value 18446744073709551615");
    expect(call("ReadF64s", "js.mixed")).toBe("1.25,none,none,-3.0"); // AssemblyScript writes -3.0
    expect(call("TryReadI32", "js.nothing")).toBe("none");
  });

  it("a JS value that does not fit T fails as it does for T, and the instance keeps working", () => {
    install({ js: { text: () => "7", half: () => 0.5, seven: () => 7, fails: () => { throw new RangeError("no reading"); } } });
    const text = thrown(() => call("ReadI32", "js.text"));
    expect(text).toBeInstanceOf(InteropError);
    expect(((text as InteropError).cause as ManagedError).managedMessage).toBe("JavaScript returned a string where managed code expects a number.");
    const half = thrown(() => call("ReadI32", "js.half"));
    expect(((half as InteropError).cause as ManagedError).managedMessage).toBe("JavaScript returned 0.5, which is not a i32.");
    // Blazor's JSException.Message after a synchronous call: the error's toString().
    expect(call("TryReadI32", "js.fails")).toBe("error RangeError: no reading");
    expect(call("ReadI32", "js.seven")).toBe("value 7");
    expect(assembly.diagnostics().jsObjects).toBe(0);
  });

  it("a JSObject property read and written as Nullable<f64>, and an async call's Task<Nullable<i32>>", async () => {
    const target = { level: 2.5, unset: null as number | null };
    expect(call("BumpProperty", target, "level")).toBe("2.5");
    expect(target.level).toBe(3.5);
    expect(call("BumpProperty", target, "unset")).toBe("");
    expect(target.unset).toBeNull();
    install({ later: { some: async () => 42, none: async () => undefined } });
    await expect(runtime.invokeMethodAsync(NAME, "FetchI32", "later.some")).resolves.toBe(42);
    await expect(runtime.invokeMethodAsync(NAME, "FetchI32", "later.none")).resolves.toBeNull();
    expect(assembly.diagnostics()).toMatchObject({ jsObjects: 0, pendingTasks: 0 });
  });

  it("a typed import (@jsImport) takes and returns Nullable<T> as the value or null", () => {
    const seen: unknown[] = [];
    install({
      nullables: {
        echoI32: (v: unknown) => (seen.push(v), v),
        echoBools: (v: unknown[]) => (seen.push(v), v),
      },
    });
    expect(call("ThroughImport", true, -7)).toBe("-7 [true,none,false]");
    expect(call("ThroughImport", false, 0)).toBe("none [true,none,false]");
    expect(seen).toEqual([-7, [true, null, false], null, [true, null, false]]);
  });
});

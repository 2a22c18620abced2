/**
 * Blazor's rules, one by one, as Microsoft.JSInterop's sources state them (DotNetDispatcher's
 * method lookup, System.Text.Json's view of a class), against managed code written as a C#
 * developer would port it. The fixture is test/fixtures/blazor-rules.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { InteropRuntime } from "../host/runtime/index.ts";
import { compileErrors, compileFixture, globalInstaller, thrownError } from "./helpers.ts";

const NAME = "BlazorRules";
let runtime: InteropRuntime;
const install = globalInstaller();

beforeAll(async () => {
  const { module } = await compileFixture("blazor-rules", { assemblyName: NAME });
  runtime = new InteropRuntime();
  await runtime.loadAssembly(module);
});

type Reference = { invokeMethod(identifier: string, ...args: unknown[]): unknown; invokeMethodAsync(identifier: string, ...args: unknown[]): Promise<unknown>; dispose(): void } & Record<string, unknown>;

const LIBRARY = 'import { DotNetObjectReference } from "as-interop/assembly/interop";\n';

describe("inherited members: Blazor calls a base class's [JSInvokable] methods on a derived object", () => {
  it("a derived object's JS object calls the methods its base declares, on itself (overrides it calls run)", async () => {
    const chart = runtime.DotNet.invokeMethod<Reference>(NAME, "NewChart", "Sales");
    expect(chart.invokeMethod("Plot", 3)).toBe("Sales: 3 points");
    expect(chart.invokeMethod("OnResize", 640)).toBe("chart 'Sales' resized to 640");
    expect(await chart.invokeMethodAsync("OnResize", 320)).toBe("chart 'Sales' resized to 320");
    chart.dispose();
  });

  it("an override marked [JSInvokable] is the one called; one not marked is not callable, as .NET's reflection sees only the override", () => {
    const chart = runtime.DotNet.invokeMethod<Reference>(NAME, "NewChart", "Sales");
    expect(chart.invokeMethod("Refresh")).toBe("Chart.Refresh");
    expect(thrownError(() => chart.invokeMethod("Hide")).message).toBe(
      `The type 'Chart' does not contain a public invokable method with [JSInvokableAttribute("Hide")].`,
    );
    chart.dispose();
  });

  it("inherited scriptable members are properties of the derived object, read and written", () => {
    const chart = runtime.DotNet.invokeMethod<Reference>(NAME, "NewChart", "Sales");
    expect(Object.keys(chart)).toEqual(["Title"]);
    expect(chart.Title).toBe("Sales");
    chart.Title = "Costs";
    expect(chart.invokeMethod("Plot", 2)).toBe("Costs: 2 points");
    chart.dispose();
  });

  it("a class that declares nothing JS can reach has all it inherits, through every level", () => {
    const pie = runtime.DotNet.invokeMethod<Reference>(NAME, "NewPieChart", "Share");
    expect(pie.invokeMethod("OnResize", 100)).toBe("pie chart 'Share' resized to 100");
    expect(pie.invokeMethod("Plot", 4)).toBe("Share: 4 points");
    expect(pie.invokeMethod("Refresh")).toBe("Chart.Refresh");
    expect(pie.Title).toBe("Share");
    pie.dispose();
  });

  it("so does one that JS meets only in a call into JS, named by no signature", () => {
    install({ rules: { show: (gauge: Reference) => gauge.invokeMethod("OnResize", 50) } });
    expect(runtime.invokeMethod(NAME, "ShowGauge", "Speed")).toBe("gauge 'Speed' resized to 50");
  });

  it("a generic base class's methods, closed by the class that extends it", () => {
    const store = runtime.DotNet.invokeMethod<Reference>(NAME, "NewNameStore");
    expect(store.invokeMethod("Get")).toBe("Amy");
    store.dispose();
  });

  it("a base's method and a derived one under one identifier: Blazor's error for the derived type", async () => {
    const source =
      LIBRARY +
      'export class Base {\n  @jsInvokable("Go") a(): i32 { return 1; }\n}\n' +
      'export class Derived extends Base {\n  @jsInvokable("Go") b(): i32 { return 2; }\n}\n' +
      "@jsInvokable export function Make(): DotNetObjectReference<Derived> { return DotNetObjectReference.create(new Derived()); }\n";
    const errors = await compileErrors({ "main.ts": source });
    expect(errors.map((e) => e.message)).toContainEqual(
      expect.stringContaining("The type Derived contains more than one [JSInvokable] method with identifier 'Go'."),
    );
  });
});

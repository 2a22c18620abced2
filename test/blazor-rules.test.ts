/**
 * Blazor's rules, one by one, as Microsoft.JSInterop's sources state them (DotNetDispatcher's
 * method lookup, System.Text.Json's view of a class), against managed code written as a C#
 * developer would port it. The fixture is test/fixtures/blazor-rules.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { DotNetObject, InteropRuntime } from "../host/runtime/index.ts";
import { compileErrors, compileFixture, compileVirtual, expectArgumentError, globalInstaller, thrownError } from "./helpers.ts";

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

  it("looking for classes that inherit members leaves the others unresolved: code JS never reaches is not looked at, as the compiler leaves it", async () => {
    const source =
      "class Unused {\n  x: Missing | null = null;\n}\n" +
      "export class Base {\n  @jsInvokable Go(): i32 { return 1; }\n}\nexport class Derived extends Base {}\n";
    const { manifest } = await compileVirtual({ "main.ts": source });
    expect(Object.keys(manifest.classes).sort()).toEqual(["main/Base", "main/Derived"]);
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

describe("a DotNetObjectReference<T> parameter is T's exactly, as Blazor's type check of the generic argument is, even where a member of a base class holds a derived object", () => {
  it("a Chart JS reads from a Component-typed scriptable member is a DotNetObjectReference<Chart>: a Chart parameter takes it, a Component parameter refuses it", () => {
    const layout = runtime.DotNet.invokeMethod<Reference>(NAME, "NewLayout");
    const main = layout.Main as Reference;
    // The Chart's own members, not only Component's (the HTML Bridge's wrapper is the object's).
    expect(main.invokeMethod("Plot", 2)).toBe("untitled: 2 points");
    expect(runtime.invokeMethod(NAME, "ChartTitle", main)).toBe("untitled");
    expectArgumentError(
      thrownError(() => runtime.invokeMethod(NAME, "ComponentTitle", main)),
      "ComponentTitle",
      1,
      "component",
      "expected a DotNetObjectReference<Component>, got a DotNetObjectReference<Chart>",
    );
    // The member itself, typed as the base class, takes any Component (the HTML Bridge's rule), and a Chart parameter only a Chart.
    const pie = runtime.DotNet.invokeMethod<Reference>(NAME, "NewPieChart", "Share");
    layout.Main = pie;
    expect(layout.Main).toBe(pie);
    expectArgumentError(
      thrownError(() => runtime.invokeMethod(NAME, "ChartTitle", pie)),
      "ChartTitle",
      1,
      "chart",
      "expected a DotNetObjectReference<Chart>, got a DotNetObjectReference<PieChart>",
    );
    for (const reference of [layout, main, pie]) reference.dispose();
  });
});

describe("data classes that extend others: a base class's fields cross too, and a value crosses as its declared type (System.Text.Json)", () => {
  const call = <T = unknown>(method: string, ...args: unknown[]) => runtime.invokeMethod<T>(NAME, method, ...args);
  const amy = { id: 1, created: "2024-01-01", name: "Amy" };

  it("a derived class crosses with its base's fields first, both ways", () => {
    const person = call<Record<string, unknown>>("EchoPerson", { name: "Amy", created: "2024-01-01", id: 1, extra: true });
    expect(person).toEqual(amy);
    expect(Object.keys(person)).toEqual(["id", "created", "name"]);
    const m = { id: 2, created: "2024-01-02", name: "Rory", reports: 4 };
    expect(call("EchoManager", m)).toEqual(m);
  });

  it("a class that marks nothing itself crosses with what it inherits", () => {
    expect(call("EchoEmployee", amy)).toEqual(amy);
  });

  it("a base's field missing from the JS object is the usual error, naming it", () => {
    expect(thrownError(() => call("EchoPerson", { id: 1, name: "Amy" })).message).toMatch(/argument 1 \('person'\).*created/);
  });

  it("a generic base, closed by the class that extends it", () => {
    const page = { items: [amy], page: 2, total: 11 };
    expect(call("EchoPage", page)).toEqual(page);
  });

  it("a derived object crosses as the type declared: a Person or a Manager in an Entity[] is an Entity", () => {
    expect(call("Staff")).toEqual([
      { id: 1, created: "2024-01-01" },
      { id: 2, created: "2024-01-02" },
      { id: 3, created: "2024-01-03" },
    ]);
    expect(call("Employees")).toEqual([
      { id: 5, created: "2024-01-05", name: "River" },
      { id: 6, created: "2024-01-06", name: "Clara" },
    ]);
    expect(call("ManagerAsPerson")).toEqual({ id: 7, created: "2024-01-07", name: "Donna" });
  });

  it("the same in calls into JavaScript, and an object JS returns fills the base's fields too", () => {
    let seen: unknown[] = [];
    install({
      rules: {
        describe: (...args: unknown[]) => {
          seen = args;
          return { reports: 9, name: "Martha", created: "2024-01-08", id: 8 };
        },
      },
    });
    expect(call("SendStaff")).toBe("8|2024-01-08|Martha|9");
    expect(seen).toEqual([
      [
        { id: 1, created: "2024-01-01" },
        { id: 2, created: "2024-01-02" },
        { id: 3, created: "2024-01-03" },
      ],
      { id: 8, created: "2024-01-08", name: "Martha" },
      { id: 8, created: "2024-01-08", name: "Martha", reports: 3 },
    ]);
  });

  it("with preserveReferences, one object met as its base class and as its own class crosses as each (never a back-reference to the other)", async () => {
    const { binary } = await compileVirtual({
      "main.ts":
        "export class Base {\n  @dataMember id: i32 = 0;\n}\nexport class Derived extends Base {\n  @dataMember name: string = \"\";\n}\n" +
        "export class Pair {\n  @dataMember first: Base = new Base();\n  @dataMember second: Derived = new Derived();\n}\n" +
        "@jsInvokable export function Shared(): Pair {\n  const d = new Derived();\n  d.id = 1;\n  d.name = \"Amy\";\n  const p = new Pair();\n  p.first = d;\n  p.second = d;\n  return p;\n}\n",
    });
    const preserving = new InteropRuntime();
    await preserving.loadAssembly(await WebAssembly.compile(binary as BufferSource), { name: "Shared", preserveReferences: true });
    expect(preserving.invokeMethod("Shared", "Shared")).toEqual({ first: { id: 1 }, second: { id: 1, name: "Amy" } });
  });

  it("a derived class needs a constructor without required parameters too", async () => {
    const source = "export class Base {\n  @dataMember x: i32 = 0;\n}\nexport class Derived extends Base {\n  constructor(public y: i32) { super(); }\n}\n";
    const errors = await compileErrors({ "main.ts": source });
    expect(errors.map((e) => e.message)).toContainEqual(expect.stringContaining("Class 'Derived' has @dataMember members (inherited), so JavaScript objects"));
  });

  it("a base the compiler cannot tell by its name (an alias) is a compile error, never a value crossing without its fields", async () => {
    const errors = await compileErrors({
      "main.ts": 'import { Base as Renamed } from "./base";\nexport class Derived extends Renamed {\n  @dataMember y: i32 = 0;\n}\n',
      "base.ts": "export class Base {\n  @dataMember x: i32 = 0;\n}\n",
    });
    expect(errors.map((e) => e.message)).toContainEqual(
      expect.stringContaining("Class 'Derived' extends 'Base', whose @dataMember members cross with its own, but the compiler took its 'extends' clause"),
    );
  });
});

describe("the JS name of a field: @dataMember(\"name\"), as System.Text.Json's [JsonPropertyName] names a property", () => {
  const call = <T = unknown>(method: string, ...args: unknown[]) => runtime.invokeMethod<T>(NAME, method, ...args);

  it("a field crosses as the property its decorator names, both ways; one without an argument as its own name", () => {
    const value = { strVal: "Some string", "first-name": "Amy", $type: "person", count: 2 };
    expect(call("RenamedFields", { ...value, StrVal: "not this one", firstName: "nor this" })).toBe("Some string|Amy|person|2");
    const echoed = call<Record<string, unknown>>("EchoRenamed", value);
    expect(echoed).toEqual(value);
    expect(Object.keys(echoed)).toEqual(["strVal", "first-name", "$type", "count"]);
  });

  it("a property missing under that name is the usual error, naming it", () => {
    expect(thrownError(() => call("RenamedFields", { strVal: "s", firstName: "Amy", $type: "t", count: 1 })).message).toContain("at .first-name: expected string (it is not nullable), got undefined.");
  });

  it("the same in calls into JavaScript", () => {
    let seen: unknown;
    install({
      rules: {
        rename: (value: unknown) => {
          seen = value;
          return { count: 5, $type: "back", "first-name": "Rory", strVal: "returned" };
        },
      },
    });
    expect(call("SendRenamed")).toBe("returned|Rory|back|5");
    expect(seen).toEqual({ strVal: "Some string", "first-name": "Amy", $type: "person", count: 2 });
  });

  it.each([
    ["a number", "@dataMember(1) x: i32 = 0;"],
    ["an empty name", '@dataMember("") x: i32 = 0;'],
    ["two arguments", '@dataMember("a", "b") x: i32 = 0;'],
  ])("an argument that is not one non-empty string (%s) is a compile error", async (_, field) => {
    const errors = await compileErrors({ "main.ts": `export class Value {\n  ${field}\n}\n@jsInvokable export function Echo(v: Value): Value { return v; }\n` });
    expect(errors.map((e) => e.message)).toContainEqual(
      expect.stringContaining("@dataMember takes at most one argument: the name of the JS property, a non-empty string literal."),
    );
  });

  it("two fields crossing under one name: System.Text.Json's error", async () => {
    const errors = await compileErrors({
      "main.ts": 'export class Value {\n  @dataMember id: i32 = 0;\n  @dataMember("id") key: i32 = 0;\n}\n@jsInvokable export function Echo(v: Value): Value { return v; }\n',
    });
    expect(errors.map((e) => e.message)).toContainEqual(expect.stringContaining("The JSON property name for 'Value.key' collides with another property."));
  });
});

describe("both at once: get/set properties in data classes that extend others, renamed, and inherited as scriptable members", () => {
  const call = <T = unknown>(method: string, ...args: unknown[]) => runtime.invokeMethod<T>(NAME, method, ...args);

  it("a derived data class crosses with its base's property first, under its @dataMember(\"name\"), through the accessors, both ways", () => {
    const back = call<Record<string, unknown>>("EchoNote", { tags: ["a"], body: "  hello  ", id: 4, "created-at": "2024-02-01T08:00:00Z", created: "not this", text: "nor this" });
    // The setters ran (the date part kept, the text trimmed), and the getters gave what JS reads.
    expect(back).toEqual({ "created-at": "2024-02-01", id: 4, body: "hello", tags: ["a"] });
    expect(Object.keys(back)).toEqual(["created-at", "id", "body", "tags"]);
    // A class that marks nothing itself has the properties it inherits, through two levels.
    expect(call("EchoPinned", { "created-at": "2024-02-02T09:00:00Z", id: 5, body: " pinned ", tags: [] })).toEqual({ "created-at": "2024-02-02", id: 5, body: "pinned", tags: [] });
  });

  it("a base's renamed property missing from the JS object is the usual error, naming it", () => {
    expectArgumentError(thrownError(() => call("EchoPinned", { id: 5, body: "x", tags: [] })), "EchoPinned", 1, "n", "at .created-at: expected string (it is not nullable), got undefined.");
  });

  it("a derived object crosses as its declared type, the base's property included, by value and in calls into JavaScript", () => {
    expect(call("StampedNotes")).toEqual([
      { "created-at": "2024-03-01", id: 1 },
      { "created-at": "2024-03-02", id: 2 },
    ]);
    let seen: unknown[] = [];
    install({
      rules: {
        notes: (...args: unknown[]) => {
          seen = args;
          return { tags: ["x", "y"], body: "  back  ", id: 9, "created-at": "2024-04-04T00:00:00Z" };
        },
      },
    });
    expect(call("SendNotes")).toBe("2024-04-04|9|back|x,y");
    expect(seen).toEqual([
      { "created-at": "2024-03-03", id: 3 },
      { "created-at": "2024-03-03", id: 3, body: "third", tags: ["t3"] },
    ]);
    expect(Object.keys(seen[1] as object)).toEqual(["created-at", "id", "body", "tags"]);
  });

  it("a property's accessors naming it twice, or a base's property and a derived field under one name, are compile errors", async () => {
    const twoNames = await compileErrors({
      "main.ts":
        'export class Value {\n  private v: i32 = 0;\n  @dataMember("a") get x(): i32 { return this.v; }\n  @dataMember("b") set x(value: i32) { this.v = value; }\n}\n' +
        "@jsInvokable export function Echo(v: Value): Value { return v; }\n",
    });
    expect(twoNames.map((e) => e.message)).toContainEqual(
      expect.stringContaining("@dataMember property 'x' of class 'Value' is named 'a' on its get accessor and 'b' on its set accessor"),
    );
    const collision = await compileErrors({
      "main.ts":
        'export class Base {\n  private v: i32 = 0;\n  @dataMember("key") get k(): i32 { return this.v; }\n  set k(value: i32) { this.v = value; }\n}\n' +
        "export class Derived extends Base {\n  @dataMember key: i32 = 0;\n}\n@jsInvokable export function Echo(v: Derived): Derived { return v; }\n",
    });
    expect(collision.map((e) => e.message)).toContainEqual(expect.stringContaining("The JSON property name for 'Derived.key' collides with another property."));
  });

  interface Motor extends DotNetObject {
    power: number;
    invokeMethod<T = unknown>(identifier: string, ...args: unknown[]): T;
  }
  type Widget = Reference & { Label: string; readonly Sets: number; readonly Level: number; motor: Motor; spare: Motor | null };

  it("a base's scriptable properties are the derived object's: JS reads the getter and sets through the setter; without a public set accessor, read-only", () => {
    for (const factory of ["NewSlider", "NewRangeSlider"]) {
      const widget = runtime.DotNet.invokeMethod<Widget>(NAME, factory);
      expect(Object.keys(widget)).toEqual(["Label", "Sets", "Level", "motor", "spare"]);
      expect(widget.Label).toBe("widget");
      widget.Label = "volume";
      expect(widget.Sets).toBe(1);
      expect(widget.invokeMethod("State")).toBe("volume|1|100|no spare");
      const className = factory === "NewSlider" ? "Slider" : "RangeSlider";
      for (const name of ["Sets", "Level"]) {
        const error = thrownError(() => {
          (widget as Record<string, unknown>)[name] = 5;
        });
        expect(error).toBeInstanceOf(TypeError);
        expect(error.message).toBe(`'${name}' of ${className} is read-only.`);
      }
      expect(widget.invokeMethod("Raise")).toBe(2);
      expect(widget.Level).toBe(2);
      widget.dispose();
    }
  });

  it("a base's scriptable member typed as a plain class is that object by reference on the derived object, as a field and as a property", () => {
    const slider = runtime.DotNet.invokeMethod<Widget>(NAME, "NewRangeSlider");
    const motor = slider.motor;
    expect(motor).toBeInstanceOf(DotNetObject);
    expect(slider.motor).toBe(motor);
    expect(motor.invokeMethod("Describe")).toBe("motor of 100 kW");
    motor.power = 150;
    expect(slider.spare).toBeNull();
    slider.spare = motor;
    expect(slider.spare).toBe(motor);
    expect(slider.invokeMethod("State")).toBe("widget|1|150|spare is motor");
    slider.spare = runtime.DotNet.invokeMethod<Motor>(NAME, "NewMotor");
    expect(slider.invokeMethod("State")).toBe("widget|2|150|other spare");
    // Anything but a reference to a Motor is refused, and the setter does not run.
    const error = thrownError(() => {
      slider.spare = { power: 1 } as unknown as Motor;
    });
    expectArgumentError(error, "RangeSlider.spare", 1, "value", /got an object/);
    expect(slider.Sets).toBe(2);
    slider.dispose();
  });

  it("a property the derived class declares again without the decorator is not the JS object's, as .NET's reflection sees only the override", () => {
    const knob = runtime.DotNet.invokeMethod<Widget>(NAME, "NewKnob");
    expect(Object.keys(knob)).toEqual(["Sets", "Level", "motor", "spare"]);
    expect(knob.Label).toBeUndefined();
    knob.dispose();
  });
});

describe("a JS result that is undefined or null (docs/marshaling.md, where as-interop differs from Blazor)", () => {
  it("is an error for a type that cannot be null, where Blazor's synchronous Invoke<T> gives default(T); a nullable type reads it as none", () => {
    for (const [name, empty] of [["undefined", undefined], ["null", null]] as const) {
      install({ rules: { empty: () => empty } });
      expect(runtime.invokeMethod<string>(NAME, "EmptyResults", "rules.empty").split("|")).toEqual([
        `JavaScript returned ${name} where managed code expects a number.`,
        `JavaScript returned ${name} where managed code expects a boolean.`,
        `JavaScript returned ${name} where managed code expects a String (it is not nullable).`,
        "none",
        "null",
      ]);
    }
  });
});

describe("Blazor's messages name a type as .NET's Type.Name does", () => {
  it("an unknown identifier on a generic class's object names the class by its name and arity", () => {
    const store = runtime.DotNet.invokeMethod<Reference>(NAME, "NewStringStore");
    expect(store.invokeMethod("Get")).toBe("Rory");
    expect(thrownError(() => store.invokeMethod("Put")).message).toBe(
      "The type 'Store`1' does not contain a public invokable method with [JSInvokableAttribute(\"Put\")].",
    );
    const pair = runtime.DotNet.invokeMethod<Reference>(NAME, "NewPair");
    expect(pair.invokeMethod("First")).toEqual({ a: 1 });
    expect(thrownError(() => pair.invokeMethod("Second")).message).toBe(
      "The type 'Pair`2' does not contain a public invokable method with [JSInvokableAttribute(\"Second\")].",
    );
  });
});

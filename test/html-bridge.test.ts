/**
 * The HTML Bridge's rules ("Returning or Passing Managed Types to JavaScript") that the other test
 * files do not show on their own, against real compiled wasm (test/fixtures/html-bridge.ts).
 *
 * Every rule, numbered as in docs/marshaling.md ("The HTML Bridge's rules, one by one"), and where
 * it is shown (file: the describe block or test):
 *   1 strings                 runtime: "strings"
 *   2 null references         here: "null references and Nullable<T> are returned as JavaScript's null" (every kind of reference, both ways);
 *                             runtime: "moves null for string | null, both ways"; references: "passes null both ways for a nullable reference"
 *   3 Nullable<T>             by-value: "Nullable<T> (.NET's int?) ↔ the value or null"; nullable.test.ts
 *   4 booleans                runtime: "bool"
 *   5 DateTime                by-value: "Date ↔ JS Date …", "Date and time zones …"
 *   6 Char                    by-value: "char ↔ a one-character string"; here: "a Char is a single-character JavaScript string" (in calls into JS)
 *   7 numbers as doubles      runtime: "integers", "floats"
 *   8 64-bit precision        runtime: "64-bit as numbers (default)", "64-bit as BigInt …"; here: the UInt64 example
 *   9 bytes                   runtime: "integers" (I8, U8), "round-trips Array<f64>, Array<f32>, Array<u8> and Array<bool>"
 *  10 enums                   by-value: "enums ↔ numbers"
 *  11 GUIDs                   by-value: "Guid ↔ '382c74c3-…'"
 *  12 ScriptObject, DOM types js-calls: "a JS object passed to managed code and back is the same object"; e2e/js-interop.spec.ts: "an HTML element crosses as a handle …",
 *                             "the HTML Bridge's built-in types (HtmlElement, HtmlDocument, ScriptObjectCollection, HtmlObject, ScriptObject) …"
 *  13 delegates by reference  references: "a managed function returned to JS is a JS function …", "the same managed function gives the same JS function"
 *  14 complex types by ref.   references: "identity"; compiler: "rejects a plain class parameter …" (the message says how);
 *                             here: "complex types are passed by reference: a scriptable member typed as a plain class" (2);
 *                             blazor-rules: "a base's scriptable member typed as a plain class …" (inherited);
 *                             here: "a member or element typed as a base class holds an object of a derived class …" (a member typed
 *                             as the base class takes a derived class's object and reads back as its own class's reference; a
 *                             method's DotNetObjectReference<T> parameter stays exact: also blazor-rules "a DotNetObjectReference<T>
 *                             parameter is T's exactly …"; worker: "a member or a list element typed as a base class …")
 *  15 structs by DataMember   by-value: "@dataMember classes ↔ plain objects"; here (a get/set property): "a structure's @dataMember property …";
 *                             blazor-rules: "both at once: …" (a base class's renamed property, a value as its declared type)
 *  16 delegates to JS params  js-parity: "managed functions passed to JavaScript …"; typed-imports: "a managed function arrives as a callable JS function …"
 *  17 EventHandler property   references: "read each field by its row of the marshaling table"; here: "a property typed as a delegate …", "a delegate-typed property takes back …",
 *                             "a @scriptableMember property typed as a delegate (… { get; set; }) …", "a property without a set accessor …"
 *  18 no attribute needed     references: "delegates" (plain functions)
 *  19 parameters by position  references: "arguments and results convert by their rows …", "a wrong argument, or a wrong count …"
 *  20 ScriptEventHandler      not provided (docs: where it differs)
 *  21 round trip, InvokeSelf  here: "a delegate given back to managed code is a JSObject …", "another instance …", "another instance's delegate is null there …",
 *                             "the document's round trip through a JS property …"
 *  22 cast back to delegate   here: "a delegate cast back to its delegate type …" (JSObject.managedFunction<F>(): the same instance,
 *                             another instance, a JS function, another signature, forgeries, leaks, a reload), "a function-typed
 *                             parameter takes back …", "a delegate-typed property takes back …"
 *  23 Invoke / GetProperty    here: "a property typed as a delegate (EventHandler) …"
 *  24 apply                   references: "… call, apply and bind work"; here: "JavaScript calls it with apply …"
 *  25 lists by reference      by-reference: "Array, StaticArray and Map members are live views by default …", "Blazor's default stays by value: … i32[] …"
 *  26 complex elements        direct-views: "lists and dictionaries of plain classes: elements by reference"; here: "an object of a derived
 *                             class that managed code holds as the base class reads as a reference to its own class …", "a by-reference
 *                             list and map of the base class take references to objects of derived classes …", "a derived class JS
 *                             would otherwise never meet …"
 *  27 jagged, not multi-dim.  by-value: "jagged arrays; multidimensional is an error"; by-reference: "jagged: ListReference<ListReference<i32>> …";
 *                             here: "a jagged member is a live view whose rows cross by their row …"
 *  28 wrong element type      by-reference: "[i] = v of the wrong element type is an error …", "push with one element of the wrong type …",
 *                             "unshift with one element of the wrong type …", "splice with a new value of the wrong type …"
 *  29 by-value in by-ref list by-reference: "a DotNetObjectReference list refuses by-value objects …"; direct-views: "setting and pushing elements …";
 *                             here: "refused, leaving everything as it was: a sibling class's reference, the base class's where the derived
 *                             class is declared …", "a manifest that lies about what derives from what …"
 *  30–35 length, [], toArray, pop/push/shift/unshift, splice, reverse
 *                             by-reference: "ListReference<i32>: …" and "FixedListReference<T>: …" (one test per operation)
 *  36 indexOf, lastIndexOf    by-reference: "indexOf(x, [start]) and lastIndexOf(x, [start]) find as Array.prototype does …", "… by value, as .NET's List<T>.IndexOf finds a struct", "JS objects (JSObject elements …) … by identity"
 *  37 JSON of wrappers        by-reference: "JSON.stringify gives the by-value copy …" (lists, dictionaries); references: "Object.keys and spreading list the scriptable members only"
 *  38 SerializeToScriptByValue by-reference: "@serializeToScriptByValue members are copies …"; here: "@serializeToScriptByValue marshals every item by value, at every depth …";
 *                             compiler: "compile errors: … @serializeToScriptByValue" (anywhere but on a scriptable list or map)
 *  39 dictionaries by ref.    by-reference: "Array, StaticArray and Map members are live views …", "Blazor's default stays by value: … Map<string, f64> …"
 *  40 custom types            references: "scriptable members", "instance methods", "`in` sees the scriptable members and the reference's own members, nothing else" (methods through invokeMethod only)
 *  41 string keys only        compiler: "rejects a Map with non-string keys …"; by-reference: "maps whose keys are not strings"
 *  42 wrong dictionary value  by-reference: "setting a value of the wrong type is an error …"; direct-views: "a dictionary of plain classes refuses by-value objects …";
 *                             here: "refused, leaving everything as it was: …" (a map of the base class)
 *  43 [keyName], .property    by-reference: "wrapper[key] and wrapper.key get values …"; references: "scriptable members";
 *                             here: "ScriptableMemberAttribute's ScriptAlias …" (the names, inherited ones, the types); worker: "a DotNetObjectReference …";
 *                             compiler: "compile errors: @scriptableMember's name …"
 *  44 adding keys             by-reference: "wrapper[key] = v and wrapper.key = v set existing keys and add new ones …", "a custom type refuses a new key …"
 *  45 a subset of Array's     by-reference: "beyond the HTML Bridge's subset, Array.prototype's generic methods work …"
 *  46 by value: JSON          by-reference: "JSON.stringify gives the by-value copy" (dictionaries), "@serializeToScriptByValue members are copies …"
 *                             (pricesCopy); references: "Object.keys and spreading list the scriptable members only" (JSON.stringify)
 *  47 no event properties     not applicable: AssemblyScript has no events (docs: where it differs)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DotNetObject, InteropRuntime, type ListView } from "../host/runtime/index.ts";
import { renderDeclarations } from "../host/compiler/typings.ts";
import { compileFixture, compileVirtual, expectArgumentError, thrownError, withManifest, type CompiledFixture } from "./helpers.ts";

const NAME = "HtmlBridge";
/** The same module loaded again: the HTML Bridge's "different Silverlight control instance". */
const OTHER = "HtmlBridgeOther";

type Add = (a: number, b: number) => number;

interface Control extends DotNetObject {
  Handler: Add;
  invokeMethod<T = unknown>(identifier: string, ...args: unknown[]): T;
  dispose(): void;
}

/** What the fixture's typed import `htmlBridgeHandler` returns (see "a typed import's function result"). */
let handlerFromJS: unknown = null;
(globalThis as { htmlBridgeHandler?: () => unknown }).htmlBridgeHandler = () => handlerFromJS;
/** What the fixture's `htmlBridgeShow` (a typed import, and a JSRuntime call) received. */
(globalThis as { htmlBridgeShow?: (value: unknown) => string }).htmlBridgeShow = (value) => `${typeof value}:${String(value)}`;

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

/**
 * A runtime of its own holding the fixture, and a delegate its first instance made, which `method`
 * took while that instance lived; the assembly has been reloaded since.
 */
async function reloadedAfterDelegate(method: string): Promise<{ own: InteropRuntime; old: Add }> {
  const own = new InteropRuntime();
  await own.loadAssembly(fixture.module);
  const old = own.invokeMethod<Add>(NAME, "Adder");
  expect(own.invokeMethod(NAME, method, old, 1, 2)).toBe("add: 3");
  await own.reloadAssembly(NAME);
  return { own, old };
}

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

describe("complex types are passed by reference: a scriptable member typed as a plain class", () => {
  interface Engine extends DotNetObject {
    power: number;
  }
  interface Car extends DotNetObject {
    engine: Engine;
    spare: Engine | null;
    readonly motor: Engine;
  }

  it("reads as the object's DotNetObject, the same one on every read, whose members and methods work", () => {
    const car = call<Car>("NewCar");
    const engine = car.engine;
    expect(engine).toBeInstanceOf(DotNetObject);
    expect(car.engine).toBe(engine);
    expect(car.motor).toBe(engine);
    expect(engine.invokeMethod("Describe")).toBe("engine of 100 kW");
    engine.power = 150;
    expect(car.invokeMethod("EnginePower")).toBe(150);
    expect(car.spare).toBeNull();
    expect(JSON.parse(JSON.stringify(car))).toEqual({ engine: { power: 150 }, spare: null, motor: { power: 150 } });
    car.dispose();
  });

  it("is set from a reference to an object of its class, which managed code gets as that very object; anything else is refused and the member is unchanged", () => {
    const car = call<Car>("NewCar");
    car.spare = car.engine;
    expect(car.invokeMethod("SpareIsEngine")).toBe(true);
    car.spare = null;
    expect(car.spare).toBeNull();
    const refused: [unknown, string | RegExp][] = [
      [{ power: 1 }, /got an object/],
      [call("NewTrailer"), /Trailer/],
      [null, "got null"],
    ];
    for (const [value, got] of refused) {
      const error = thrownError(() => {
        (car as unknown as Record<string, unknown>).engine = value;
      });
      expectArgumentError(error, "Car.engine", 1, "value", got);
    }
    expect(car.invokeMethod("EnginePower")).toBe(100);
    car.dispose();
  });
});

describe("a member or element typed as a base class holds an object of a derived class, as a .NET field of a base type does", () => {
  interface Engine extends DotNetObject {
    power: number;
  }
  interface Turbo extends Engine {
    boost: number;
  }
  interface Car extends DotNetObject {
    engine: Engine;
    spare: Engine | null;
  }
  interface Garage extends DotNetObject {
    engines: ListView<Engine>;
    byName: Record<string, Engine>;
    turbo: Turbo | null;
  }
  const KEYS = { engine: ["power"], turbo: ["boost", "power"] };
  /** Sets `member` of `target` to `value`, for values its type does not admit. */
  const assign = (target: object, member: string, value: unknown) => {
    (target as Record<string, unknown>)[member] = value;
  };

  it("a member typed as the base class takes a reference to an object of a derived class: managed code gets that very object, and JS reads back the same reference, with the derived class's members", () => {
    const car = call<Car>("NewCar");
    const turbo = call<Turbo>("NewTurbo");
    car.engine = turbo;
    expect(call("EngineClassOf", car)).toBe("TurboEngine");
    expect(car.engine).toBe(turbo);
    // The same managed object in two members.
    car.spare = turbo;
    expect(car.invokeMethod("SpareIsEngine")).toBe(true);
    // Its members and methods are its class's, its base's included, and they reach the object the car holds.
    expect(Object.keys(car.engine)).toEqual(KEYS.turbo);
    expect(car.engine.invokeMethod("Boosted")).toBe(200);
    car.engine.power = 150;
    expect(car.invokeMethod("EnginePower")).toBe(150);
    expect((car.spare as Turbo).boost).toBe(2);
    expect(JSON.parse(JSON.stringify(car))).toEqual({ engine: { boost: 2, power: 150 }, spare: { boost: 2, power: 150 }, motor: { boost: 2, power: 150 } });
    car.dispose();
    turbo.dispose();
  });

  it("an object of a derived class that managed code holds as the base class reads as a reference to its own class: one JS object for one managed object", () => {
    const garage = call<Garage>("NewGarage");
    const first = garage.engines[0] as Turbo;
    expect(Object.keys(first)).toEqual(KEYS.turbo);
    expect(first.invokeMethod("Boosted")).toBe(200);
    expect(Object.keys(garage.engines[1])).toEqual(KEYS.engine);
    // The map holds the same object: the same reference.
    expect(garage.byName.t).toBe(first);
    expect([...garage.engines][0]).toBe(first);
    expect(garage.engines.indexOf(first)).toBe(0);
    first.boost = 3;
    expect(garage.invokeMethod("FirstBoost")).toBe(3);
    // Given back where the base class is declared, it is that object again.
    garage.engines[1] = first;
    expect(garage.invokeMethod("Same", 0, 1)).toBe(true);
    expect(JSON.stringify(garage.engines)).toBe('[{"boost":3,"power":100},{"boost":3,"power":100}]');
    expect(JSON.stringify(garage.byName)).toBe('{"t":{"boost":3,"power":100}}');
    garage.dispose();
  });

  it("a by-reference list and map of the base class take references to objects of derived classes, each the very object (the HTML Bridge's 'appropriate type')", () => {
    const garage = call<Garage>("NewGarage");
    const turbo = call<Turbo>("NewTurbo");
    const electric = call<Engine>("NewElectric");
    const engine = call<Engine>("NewEngine");
    garage.engines[1] = electric;
    expect(garage.engines.push(turbo, engine)).toBe(4);
    garage.engines.unshift(electric);
    garage.engines.splice(1, 1, turbo);
    garage.byName.e = electric;
    garage.byName.t = turbo;
    expect(garage.invokeMethod("Classes")).toBe(
      "ElectricEngine:100,TurboEngine:100,ElectricEngine:100,TurboEngine:100,Engine:100,t=TurboEngine,e=ElectricEngine",
    );
    expect(garage.engines[1]).toBe(turbo);
    expect(garage.engines.indexOf(turbo)).toBe(1);
    expect(garage.engines.lastIndexOf(turbo)).toBe(3);
    expect(garage.engines.indexOf(electric, 1)).toBe(2);
    expect(garage.byName.t).toBe(turbo);
    expect(Object.keys(garage.engines[0])).toEqual(["cells", "power"]);
    // A member typed as the derived class takes its objects (a reference read from the base-typed list, too).
    garage.turbo = garage.engines[1] as Turbo;
    expect(garage.turbo).toBe(turbo);
    garage.dispose();
  });

  it("the reference JS gets is a DotNetObjectReference of the object's own class: a method's DotNetObjectReference<T> parameter stays T's exactly, as Blazor's type check of the generic argument is", () => {
    const garage = call<Garage>("NewGarage");
    const first = garage.engines[0];
    expect(call("TurboBoostOf", first)).toBe(2);
    expectArgumentError(
      thrownError(() => call("EnginePowerOf", first)),
      "EnginePowerOf",
      1,
      "engine",
      "expected a DotNetObjectReference<Engine>, got a DotNetObjectReference<TurboEngine>",
    );
    expect(call("EnginePowerOf", garage.engines[1])).toBe(100);
    // A reference managed code made for the base class is the base class's: JS sees its members,
    // it may go where an Engine is declared, and not where a TurboEngine is.
    const asEngine = call<Engine>("TurboAsEngine");
    expect(Object.keys(asEngine)).toEqual(KEYS.engine);
    garage.engines[1] = asEngine;
    expect(garage.invokeMethod("Classes")).toBe("TurboEngine:100,TurboEngine:100,t=TurboEngine");
    expectArgumentError(
      thrownError(() => assign(garage, "turbo", asEngine)),
      "Garage.turbo",
      1,
      "value",
      "expected a DotNetObjectReference<TurboEngine> (or of a class derived from TurboEngine), got a DotNetObjectReference<Engine>",
    );
    garage.dispose();
  });

  it("refused, leaving everything as it was: a sibling class's reference, the base class's where the derived class is declared, another class's, a look-alike, another instance's, a disposed one; the instance keeps working", () => {
    const garage = call<Garage>("NewGarage");
    const car = call<Car>("NewCar");
    const electric = call<Engine>("NewElectric");
    const turbo = call<Turbo>("NewTurbo");
    const derived = "expected a DotNetObjectReference<TurboEngine> (or of a class derived from TurboEngine)";
    const refused: [unknown, string][] = [
      [electric, `${derived}, got a DotNetObjectReference<ElectricEngine>`],
      [call("NewEngine"), `${derived}, got a DotNetObjectReference<Engine>`],
      [car.engine, `${derived}, got a DotNetObjectReference<Engine>`],
      [call("NewTrailer"), `${derived}, got a DotNetObjectReference<Trailer>`],
      [{ id: turbo.id, boost: 2, power: 100 }, `${derived} obtained from assembly '${NAME}', got an object (Object)`],
      [Object.create(turbo), `${derived} obtained from assembly '${NAME}', got an object (Object)`],
      [runtime.invokeMethod(OTHER, "NewTurbo"), `${derived} obtained from assembly '${NAME}', got a DotNetObjectReference<TurboEngine> of assembly '${OTHER}'`],
    ];
    for (const [value, message] of refused) {
      expectArgumentError(thrownError(() => assign(garage, "turbo", value)), "Garage.turbo", 1, "value", message);
    }
    // The same at an element of a list and of a map of the derived class's base: another class, a sibling's base.
    const base = "expected a DotNetObjectReference<Engine> (or of a class derived from Engine)";
    expect(thrownError(() => (garage.engines[0] = call<Engine>("NewTrailer"))).message).toBe(`${base}, got a DotNetObjectReference<Trailer>`);
    expect(thrownError(() => garage.engines.push(turbo, call<Engine>("NewTrailer"))).message).toBe(`${base}, got a DotNetObjectReference<Trailer>`);
    expect(thrownError(() => (garage.byName.x = { power: 1 } as Engine)).message).toBe(`${base} obtained from assembly '${NAME}', got an object (Object)`);
    // A disposed reference of the right class: Blazor's message.
    const gone = call<Turbo>("NewTurbo");
    gone.dispose();
    expect(thrownError(() => (garage.turbo = gone)).message).toContain(
      `There is no tracked object with id '${gone.id}'. Perhaps the DotNetObjectReference instance was already disposed.`,
    );
    expect(thrownError(() => (garage.engines[0] = gone)).message).toBe(
      `There is no tracked object with id '${gone.id}'. Perhaps the DotNetObjectReference instance was already disposed.`,
    );
    expect(garage.turbo).toBeNull();
    expect(garage.engines.length).toBe(2);
    expect(Object.keys(garage.byName)).toEqual(["t"]);
    expect(garage.invokeMethod("Classes")).toBe("TurboEngine:100,Engine:100,t=TurboEngine");
    // And the instance keeps working: an object of the declared class, or of one derived from it, is taken.
    garage.turbo = turbo;
    garage.engines[1] = electric;
    expect(garage.turbo).toBe(turbo);
    expect(garage.invokeMethod("Classes")).toBe("TurboEngine:100,ElectricEngine:100,t=TurboEngine");
    for (const reference of [garage, car, electric, turbo]) reference.dispose();
  });

  it("a derived class JS would otherwise never meet — declaring and inheriting no member, or an instantiation of a generic class no signature names — is in the manifest with its bases, so its object crosses as one of its own class", async () => {
    const source =
      'import { DotNetObjectReference } from "as-interop/assembly/interop";\n' +
      "export class Part {}\n" +
      "export class Bolt extends Part {}\n" +
      "export class Nut extends Part {}\n" +
      "export class Tagged<T> extends Part {\n  @scriptableMember tag: i32 = 7;\n}\n" +
      "function tagged<T>(): Part { return new Tagged<T>(); }\n" +
      "export class Box {\n" +
      "  @scriptableMember parts: Array<Part> = [new Bolt(), new Tagged<string>(), tagged<i32>()];\n" +
      "  @scriptableMember nut: Nut | null = null;\n" +
      "  @jsInvokable Kinds(): string { return this.parts.map<string>((p) => p instanceof Bolt ? 'Bolt' : p instanceof Tagged<string> ? 'Tagged<string>' : 'another').join(','); }\n" +
      "}\n" +
      "@jsInvokable export function NewBox(): DotNetObjectReference<Box> { return DotNetObjectReference.create(new Box()); }\n";
    const { binary, manifest } = await compileVirtual({ "main.ts": source }, { assemblyName: "Parts" });
    expect(manifest.classes["main/Bolt"]).toMatchObject({ displayName: "Bolt", bases: ["main/Part"], methods: [], properties: [] });
    // An instantiation the source names has its own members; one written only with type parameters
    // has none described, so it has those of the nearest class it extends that has (here none).
    expect(manifest.classes["main/Tagged<~lib/string/String>"]).toMatchObject({ bases: ["main/Part"], properties: [{ name: "tag" }] });
    expect(manifest.classes["main/Tagged<i32>"]).toMatchObject({ displayName: "Tagged<i32>", bases: ["main/Part"], properties: [] });
    const own = new InteropRuntime();
    await own.loadAssembly(await WebAssembly.compile(binary as BufferSource));
    const box = own.invokeMethod<DotNetObject & { parts: ListView<DotNetObject>; nut: DotNetObject | null }>("Parts", "NewBox");
    const [bolt, tagged, unnamed] = [box.parts[0], box.parts[1], box.parts[2]];
    expect(Object.keys(tagged)).toEqual(["tag"]);
    expect(Object.keys(unnamed)).toEqual([]);
    box.parts[1] = bolt;
    box.parts.push(tagged, unnamed);
    expect(box.invokeMethod("Kinds")).toBe("Bolt,Bolt,another,Tagged<string>,another");
    expect(box.parts[3]).toBe(tagged);
    expect(box.parts[4]).toBe(unnamed);
    expect(thrownError(() => (box.nut = bolt)).message).toContain(
      "expected a DotNetObjectReference<Nut> (or of a class derived from Nut), got a DotNetObjectReference<Bolt>",
    );
    own.unloadAssembly("Parts");
  });

  it("a manifest that lies about what derives from what gets no wrong object in or out: the managed side checks the object's class again, and the host the class of each reference managed code hands out", async () => {
    const manifest = fixture.manifest;
    const key = (name: string) => Object.keys(manifest.classes).find((k) => manifest.classes[k].displayName === name)!;
    const [engine, turbo, electric] = [key("Engine"), key("TurboEngine"), key("ElectricEngine")];
    const forged = (edit: (classes: Record<string, { bases: string[]; classId: number }>) => void) => {
      const copy = structuredClone(manifest) as unknown as { classes: Record<string, { bases: string[]; classId: number }> };
      edit(copy.classes);
      return WebAssembly.compile(withManifest(fixture.binary, JSON.stringify(copy)) as BufferSource);
    };
    const own = new InteropRuntime();
    // An ElectricEngine said to be a TurboEngine: the host lets it through, the managed side refuses it.
    await own.loadAssembly(await forged((classes) => classes[electric].bases.unshift(turbo)), { name: "Lies" });
    const garage = own.invokeMethod<Garage>("Lies", "NewGarage");
    const error = thrownError(() => assign(garage, "turbo", own.invokeMethod("Lies", "NewElectric")));
    expect(error.message).toContain("is not a reference to a TurboEngine");
    expect(garage.turbo).toBeNull();
    garage.turbo = own.invokeMethod<Turbo>("Lies", "NewTurbo");
    expect(garage.turbo.invokeMethod("Boosted")).toBe(200);
    // A TurboEngine said not to be an Engine, and one under another class id: what managed code hands
    // out where an Engine is declared must be one, so neither is taken.
    for (const lie of [(c: Record<string, { bases: string[]; classId: number }>) => (c[turbo].bases = []), (c: Record<string, { bases: string[]; classId: number }>) => (c[turbo].classId = 4096)]) {
      await own.loadAssembly(await forged(lie), { name: "MoreLies" });
      const other = own.invokeMethod<Garage>("MoreLies", "NewGarage");
      expect(thrownError(() => other.engines[0]).message).toMatch(
        /^managed code passed a reference to an object of class (TurboEngine|#\d+) where a DotNetObjectReference<Engine> \(or of a class derived from Engine\) is declared$/,
      );
      expect(Object.keys(other.engines[1])).toEqual(KEYS.engine);
      own.unloadAssembly("MoreLies");
    }
    expect(engine).toBeDefined();
    own.unloadAssembly("Lies");
  });
});

describe("jagged arrays as scriptable members, and SerializeToScriptByValue's recursion", () => {
  interface Sheet extends DotNetObject {
    rows: ListView<number[]>;
    liveRows: ListView<ListView<number>>;
    rowsCopy: number[][];
    cells: { label: string; values: number[] }[];
    byName: Record<string, number[]>;
  }
  const START = "1,2|3 / 1,2|3 / 1,2|3 / a:1 / x=1,2";

  it("a jagged member is a live view whose rows cross by their row of the table, as copies; Array<ListReference<T>> makes each row a live view too", () => {
    const sheet = call<Sheet>("NewSheet");
    expect(Array.isArray(sheet.rows)).toBe(false);
    const row = sheet.rows[0];
    expect(Array.isArray(row)).toBe(true);
    row.push(9);
    sheet.rows[1] = [4, 5];
    sheet.liveRows[0].push(9);
    expect(sheet.invokeMethod("Text")).toBe("1,2|4,5 / 1,2,9|3 / 1,2|3 / a:1 / x=1,2");
    // The HTML Bridge's "script code must obtain a by-reference wrapper" to set an element of a by-reference list.
    expect(thrownError(() => (sheet.liveRows[0] = [7] as unknown as ListView<number>)).message).toContain("expected a view of a managed ListReference<i32> obtained from assembly 'HtmlBridge', got an array of length 1");
    sheet.dispose();
  });

  it("@serializeToScriptByValue marshals every item by value, at every depth: nested arrays, structs holding lists, maps of lists; nothing links them to the managed ones", () => {
    const sheet = call<Sheet>("NewSheet");
    const copy = sheet.rowsCopy;
    expect(copy).toEqual([[1, 2], [3]]);
    expect(Array.isArray(copy) && copy.every((row) => Array.isArray(row))).toBe(true);
    const cells = sheet.cells;
    expect(cells).toEqual([{ label: "a", values: [1] }]);
    expect(Object.getPrototypeOf(cells[0])).toBe(Object.prototype);
    const byName = sheet.byName;
    expect(byName).toEqual({ x: [1, 2] });
    copy[0].push(9);
    cells[0].values.push(9);
    byName.x.push(9);
    expect(sheet.invokeMethod("Text")).toBe(START);
    // Set as a whole, from plain JS values at every depth.
    sheet.rowsCopy = [[7], [8, 9]];
    sheet.cells = [{ label: "b", values: [2, 3] }];
    sheet.byName = { x: [4] };
    expect(sheet.invokeMethod("Text")).toBe("1,2|3 / 1,2|3 / 7|8,9 / b:2,3 / x=4");
    sheet.dispose();
  });
});

describe("each field or property: @dataMember and @scriptableMember on get/set accessors", () => {
  interface PropertyControl extends DotNetObject {
    Handler: Add;
    readonly Sets: number;
    readonly Level: number;
    readonly Names: string[];
  }

  it("a structure's @dataMember property crosses as a field does: the getter gives JS its value, the setter takes JS's, in declaration order", () => {
    // The setter keeps tenths of a degree: 21.46 arriving as 21.5 shows it ran; the unmarked getter never crosses.
    const back = call<Record<string, unknown>>("EchoReading", { celsius: 21.46, where: "attic", fahrenheit: 0 });
    expect(back).toEqual({ celsius: 21.5, where: "attic" });
    expect(Object.keys(back)).toEqual(["celsius", "where"]);
    expect(call("ReadingText", { celsius: -40, where: "pole" })).toBe("pole: -40.0 °C = -40.0 °F");
    // Missing, or of the wrong type, as a field would be.
    expectArgumentError(thrownError(() => call("EchoReading", { where: "x" })), "EchoReading", 1, "reading", "at .celsius: expected a number (f64), got undefined.");
    expectArgumentError(thrownError(() => call("EchoReading", { celsius: "20", where: "x" })), "EchoReading", 1, "reading", 'at .celsius: expected a number (f64), got the string "20".');
  });

  it("a @scriptableMember property typed as a delegate (public EventHandler Handler { get; set; }): JS reads the getter's delegate and sets through the setter", () => {
    const control = call<PropertyControl>("NewPropertyControl");
    expect(Object.keys(control)).toEqual(["Handler", "Sets", "Level", "Names"]);
    expect(control.Handler).toBe(call("Adder"));
    expect(control.Handler(5, 3)).toBe(8);
    control.Handler = call<Add>("CountingAdder");
    expect(control.Sets).toBe(1);
    expect(call("InvokePropertyByName", control, 5, 3)).toBe(8);
    expect(control.Handler).toBe(call("CountingAdder"));
    // Anything but this instance's own delegate is refused before the setter runs.
    const error = thrownError(() => {
      control.Handler = (a: number, b: number) => a * b;
    });
    expectArgumentError(error, "PropertyControl.Handler", 1, "value", `expected a managed function (a: i32, b: i32) => i32 obtained from assembly '${NAME}', got a function`);
    expect(control.Sets).toBe(1);
    control.dispose();
  });

  it("a property without a set accessor, or with a private one, is read-only to JS; a list property is a live view", () => {
    const control = call<PropertyControl>("NewPropertyControl") as PropertyControl & Record<string, unknown>;
    for (const name of ["Sets", "Level"]) {
      const error = thrownError(() => {
        control[name] = 5;
      });
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toBe(`'${name}' of PropertyControl is read-only.`);
    }
    expect(control.Level).toBe(1);
    control.invokeMethod("Raise");
    expect(control.Level).toBe(2);
    expect([...control.Names]).toEqual(["first", "level 2"]);
    // Without a set accessor, as a readonly field's: JS reads the live list but does not change it.
    expect(thrownError(() => control.Names.push("x"))).toBeInstanceOf(TypeError);
    control.dispose();
  });
});

describe("ScriptableMemberAttribute's ScriptAlias: @scriptableMember(\"name\") is the name JavaScript sees the member by", () => {
  type Gauge = DotNetObject & Record<string, unknown> & { invokeMethod<T = unknown>(identifier: string, ...args: unknown[]): T };

  it("reads and writes a field, a read-only field, a property (named on its set accessor), a list view and a copy under their aliases; the declared names are not members", () => {
    const gauge = call<Gauge>("NewGauge");
    expect(Object.keys(gauge)).toEqual(["value", "unit-name", "max", "history", "snapshot"]);
    for (const alias of ["value", "unit-name", "max", "history", "snapshot"]) expect(alias in gauge, alias).toBe(true);
    for (const declared of ["reading", "unit", "maximum", "samples", "copies"]) {
      expect(declared in gauge, declared).toBe(false);
      expect(gauge[declared], declared).toBeUndefined();
    }
    expect(gauge["value"]).toBe(1.5);
    expect(gauge["unit-name"]).toBe("kPa");
    expect(gauge["max"]).toBe(10);
    expect([...(gauge["history"] as ListView<number>)]).toEqual([1.5]);
    expect(gauge["snapshot"]).toEqual([2.5]);
    gauge["value"] = 2.25;
    gauge["max"] = 12;
    (gauge["history"] as ListView<number>).push(2.25);
    gauge["snapshot"] = [1, 2];
    expect(gauge.invokeMethod("Describe")).toBe("2.25 kPa, max 12, 2 samples, 2 copies");
    // Read-only under its alias as under its own name; the declared name is no member to set.
    expect(thrownError(() => (gauge["unit-name"] = "bar")).message).toBe("'unit-name' of Gauge is read-only.");
    expect(thrownError(() => (gauge["reading"] = 1)).message).toBe(
      "'reading' is not a scriptable member of Gauge; only its @scriptableMember fields and properties can be set.",
    );
    expect(JSON.parse(JSON.stringify(gauge))).toEqual({ value: 2.25, "unit-name": "kPa", max: 12, history: [1.5, 2.25], snapshot: [1, 2] });
    gauge.dispose();
  });

  it("a derived class's object has its base's members under their aliases, and its own", () => {
    const tank = call<Gauge>("NewTankGauge");
    expect(Object.keys(tank)).toEqual(["level", "value", "unit-name", "max", "history", "snapshot"]);
    expect("fill" in tank).toBe(false);
    tank["level"] = 7;
    tank["value"] = 3;
    expect(call("TankText", tank)).toBe("3.0 kPa, max 10, 1 samples, 1 copies, level 7");
    tank.dispose();
  });

  it("the generated types name the members as JavaScript sees them, a read-only one readonly", () => {
    const types = renderDeclarations(fixture.manifest, { entry: "test/fixtures/html-bridge.ts" });
    const body = (name: string) => new RegExp(`export interface ${name}\\b[^\\n]*\\{\\n[\\s\\S]*?\\{\\n([\\s\\S]*?)\\n  \\}`).exec(types)?.[1];
    const gauge = body("Gauge");
    expect(gauge).toMatch(/^ {4}value: number;$/m);
    expect(gauge).toMatch(/^ {4}readonly "unit-name": string;$/m);
    expect(gauge).toMatch(/^ {4}max: number;$/m);
    expect(gauge).toMatch(/^ {4}readonly history: /m);
    expect(gauge).toMatch(/^ {4}snapshot: number\[\];$/m);
    expect(gauge).not.toMatch(/reading|maximum|samples|copies/);
    expect(body("TankGauge")).toMatch(/^ {4}level: number;$/m);
    expect(body("TankGauge")).toMatch(/^ {4}readonly "unit-name": string;$/m);
  });
});

describe("a Char is a single-character JavaScript string", () => {
  it("as a result and a typed import's parameter; through JSArgs (calls into JS by identifier) it is its code unit, a number", () => {
    expect(call("CharToJS", "A")).toBe("string:A number:65");
  });
});

describe("null references and Nullable<T> are returned as JavaScript's null", () => {
  const kinds = [
    "String", "Array", "StaticArray", "TypedArray", "Map", "Struct", "Date", "Guid", "Nullable",
    "Reference", "Delegate", "JSObject", "List", "FixedList", "Dictionary", "MemoryView",
  ];

  it.each(kinds)("%s: null and undefined from JS are managed code's null, and its null is JS's null", (kind) => {
    expect(call(`Null${kind}`, null)).toBeNull();
    expect(call(`Null${kind}`, undefined)).toBeNull();
  });

  it("a JSStreamReference: null and undefined are managed code's null", () => {
    expect(call("NullStream", null)).toBe(true);
    expect(call("NullStream", undefined)).toBe(true);
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

  it("a delegate-typed property takes back this instance's own delegate (the cast back); a JS function set into it is refused, and the property is unchanged", () => {
    const control = call<Control>("NewControl");
    const handler = control.Handler;
    const refused: [Add, string][] = [
      [(a: number, b: number) => a * b, "a function"],
      [new Proxy(handler, {}), "a function"],
      [runtime.invokeMethod<Add>(OTHER, "Adder"), `a managed function (a: i32, b: i32) => i32 of assembly '${OTHER}'`],
    ];
    for (const [value, got] of refused) {
      const error = thrownError(() => {
        control.Handler = value;
      });
      expectArgumentError(error, "Control.Handler", 1, "value", `expected a managed function (a: i32, b: i32) => i32 obtained from assembly '${NAME}', got ${got}`);
    }
    expect(control.Handler).toBe(handler);
    expect(call("HandlerOf", control)).toBe("add");
    control.Handler = call<Add>("CountingAdder");
    expect(call("HandlerOf", control)).toBe("countingAdd");
    expect(control.Handler).toBe(call("CountingAdder"));
    control.dispose();
  });
});

describe("a delegate cast back to its delegate type (the HTML Bridge's ManagedObject): JSObject.managedFunction<F>()", () => {
  const diagnostics = (name = NAME) => runtime.getAssembly(name)!.diagnostics();

  it("in the same instance it is the original managed function, called directly: identical to it, and its own managed counter counts the call", () => {
    const adder = call<Add>("CountingAdder");
    const before = call<number>("Adds");
    expect(call("CastBack", adder, 40, 2)).toBe("countingAdd: 42");
    // One call, made by managed code on the function itself (JS calling `adder` would count too, but
    // `cast == countingAdd` holds only for the managed function).
    expect(call<number>("Adds")).toBe(before + 1);
    expect(call("CastBack", call("Adder"), 2, 3)).toBe("add: 5");
    // Parameter names are not part of the signature.
    expect(call("CastBackRenamed", adder, 1, 2)).toBe("countingAdd: 3");
    expect(diagnostics().jsObjects).toBe(0);
  });

  it("the document's example: GetProperty('Handler').ManagedObject cast back, and after managed code replaced the handler, the new one", () => {
    const control = call<Control>("NewControl");
    expect(call("GetPropertyThenCast", control, 5, 3)).toBe("add: 8");
    control.invokeMethod("UseSubtract");
    expect(call("GetPropertyThenCast", control, 5, 3)).toBe("subtract: 2");
    control.dispose();
    expect(diagnostics().jsObjects).toBe(0);
  });

  it("another instance's delegate is null there (ManagedObject is null in another control instance), and invokeSelf still calls it", () => {
    const adder = call<Add>("Adder");
    const otherAdder = runtime.invokeMethod<Add>(OTHER, "Adder");
    expect(runtime.invokeMethod(OTHER, "CastBack", adder, 2, 3)).toBe("null");
    expect(runtime.invokeMethod(OTHER, "InvokeSelf", adder, 2, 3)).toBe(5);
    expect(call("CastBack", otherAdder, 2, 3)).toBe("null");
    // Each instance casts its own back.
    expect(runtime.invokeMethod(OTHER, "CastBack", otherAdder, 2, 3)).toBe("add: 5");
    expect(diagnostics(OTHER).jsObjects).toBe(0);
  });

  it("a JavaScript function, and any JS object that is not a delegate, is null", () => {
    for (const value of [(a: number, b: number) => a + b, function add() {}, Math.max, {}, [1, 2], new Date(0)]) {
      expect(call("CastBack", value, 1, 2)).toBe("null");
    }
    // A DotNetObjectReference is a managed object, but not a function.
    const control = call<Control>("NewControl");
    expect(call("CastBack", control, 1, 2)).toBe("null");
    control.dispose();
    expect(diagnostics().jsObjects).toBe(0);
  });

  it("a delegate of another signature is null, never reinterpreted: not even (u32, u32) => u32, which has the adder's wasm shape", () => {
    const adder = call<Add>("Adder");
    const negater = call<(a: number) => number>("Negater");
    const unsigned = call<Add>("UnsignedAdder");
    expect(call("CastBackUnary", adder, 7)).toBe("null");
    expect(call("CastBack", negater, 1, 2)).toBe("null");
    expect(call("CastBack", unsigned, 1, 2)).toBe("null");
    expect(call("CastBackUnsigned", adder, 1, 2)).toBe("null");
    // Each is cast back as its own type.
    expect(call("CastBackUnary", negater, 7)).toBe("-7");
    expect(call("CastBackUnsigned", unsigned, 4000000000, 1)).toBe("4000000001");
    expect(diagnostics().jsObjects).toBe(0);
  });

  it("the document's round trip through a JS property: managed code sets a delegate on a JS object, reads the property back as a ScriptObject, casts it back and calls it late-bound", () => {
    const ajax: { handler?: Add } = {};
    (globalThis as { ajax?: unknown }).ajax = ajax;
    try {
      expect(call("RoundTripThroughProperty", "ajax.handler", 2, 3)).toBe("countingAdd: 5, late-bound: 5");
      // JavaScript holds the delegate as a function: the same one a method returning it gives.
      expect(ajax.handler!(20, 22)).toBe(42);
      expect(ajax.handler).toBe(call("CountingAdder"));
      expect(diagnostics().jsObjects).toBe(0);
    } finally {
      delete (globalThis as { ajax?: unknown }).ajax;
    }
  });

  it("a forgery is null: a Proxy of the delegate, a bound copy, a look-alike function with its properties, an object whose prototype is the delegate", () => {
    const adder = call<Add>("Adder");
    const lookAlike = Object.defineProperties(
      (a: number, b: number) => adder(a, b),
      Object.getOwnPropertyDescriptors(adder) as PropertyDescriptorMap,
    );
    Object.setPrototypeOf(lookAlike, Object.getPrototypeOf(adder));
    const forgeries: unknown[] = [new Proxy(adder, {}), adder.bind(null), lookAlike, Object.create(adder), new Proxy(() => 0, { getPrototypeOf: () => adder })];
    for (const forgery of forgeries) expect(call("CastBack", forgery, 1, 2)).toBe("null");
    // Each still calls the managed function from JS: it is the cast that refuses them.
    expect((forgeries[0] as Add)(1, 2)).toBe(3);
    expect(call("CastBack", adder, 1, 2)).toBe("add: 3");
    expect(diagnostics().jsObjects).toBe(0);
  });

  it("nothing leaks: a thousand casts leave no JS object held, no reference and no managed object tracked beyond the delegate's own", () => {
    const adder = call<Add>("CountingAdder");
    expect(call("CastBack", adder, 0, 0)).toBe("countingAdd: 0");
    const start = diagnostics();
    for (let i = 0; i < 1000; ++i) call("CastBack", adder, i, 1);
    const end = diagnostics();
    expect(end.jsObjects).toBe(0);
    expect(end.trackedObjects).toBe(start.trackedObjects);
    expect(end.jsReferences).toBe(start.jsReferences);
    expect(end.pinned).toBe(0);
  });

  it("after the instance reloads, a delegate of the old instance is not cast back (its managed function is gone), and the new one's are", async () => {
    const { own, old } = await reloadedAfterDelegate("CastBack");
    expect(own.invokeMethod(NAME, "CastBack", old, 1, 2)).toBe("null");
    const fresh = own.invokeMethod<Add>(NAME, "Adder");
    expect(fresh).not.toBe(old);
    expect(own.invokeMethod(NAME, "CastBack", fresh, 1, 2)).toBe("add: 3");
    expect(own.getAssembly(NAME)!.diagnostics().jsObjects).toBe(0);
    own.unloadAssembly(NAME);
  });
});

describe("a function-typed parameter takes back this instance's own delegates (the cast back where JS passes the delegate itself)", () => {
  interface Button extends DotNetObject {
    invokeMethod<T = unknown>(identifier: string, ...args: unknown[]): T;
    dispose(): void;
  }

  it("the delegate is the managed function itself, called directly, in a function and in an instance method", () => {
    const adder = call<Add>("CountingAdder");
    const before = call<number>("Adds");
    expect(call("Apply", adder, 40, 2)).toBe("countingAdd: 42");
    expect(call<number>("Adds")).toBe(before + 1);
    expect(call("Apply", call("Adder"), 2, 3)).toBe("add: 5");
    const button = call<Button>("NewButton");
    expect(button.invokeMethod("Click", adder)).toBe("countingAdd: 2");
    button.dispose();
    expect(call("ApplyUnsigned", call("UnsignedAdder"), 4000000000, 1)).toBe(4000000001);
  });

  it("null where the function type is nullable, and an error naming the parameter where it is not", () => {
    expect(call("ApplyOrNull", null, 1, 2)).toBe("null");
    expect(call("ApplyOrNull", call("Adder"), 1, 2)).toBe("add: 3");
    for (const value of [null, undefined]) {
      expectArgumentError(thrownError(() => call("Apply", value, 1, 2)), "Apply", 1, "fn", `expected a managed function (a: i32, b: i32) => i32 obtained from assembly '${NAME}', got`);
    }
  });

  it("anything else is refused before the call, with a message naming the parameter: a JS function, a forgery, another instance's delegate, another signature", () => {
    const adder = call<Add>("Adder");
    const expected = `expected a managed function (a: i32, b: i32) => i32 obtained from assembly '${NAME}'`;
    const cases: [unknown, string][] = [
      [(a: number, b: number) => a + b, `${expected}, got a function`],
      [new Proxy(adder, {}), `${expected}, got a function`],
      [adder.bind(null), `${expected}, got a function`],
      [runtime.invokeMethod(OTHER, "Adder"), `${expected}, got a managed function (a: i32, b: i32) => i32 of assembly '${OTHER}'`],
      [call("Negater"), `${expected}, got a managed function (a: i32) => i32`],
      [call("UnsignedAdder"), `${expected}, got a managed function (a: u32, b: u32) => u32`],
      [42, `${expected}, got`],
    ];
    const before = call<number>("Adds");
    for (const [value, message] of cases) {
      const error = thrownError(() => call("Apply", value, 1, 2));
      expectArgumentError(error, "Apply", 1, "fn", message);
    }
    expectArgumentError(thrownError(() => call("ApplyUnsigned", adder, 1, 2)), "ApplyUnsigned", 1, "fn", "got a managed function (a: i32, b: i32) => i32");
    // Nothing ran, nothing is left held, and the instance keeps working.
    expect(call<number>("Adds")).toBe(before);
    const diagnostics = runtime.getAssembly(NAME)!.diagnostics();
    expect(diagnostics.jsObjects).toBe(0);
    expect(diagnostics.pinned).toBe(0);
    expect(call("Apply", adder, 1, 2)).toBe("add: 3");
  });

  it("a typed import's function result: the delegate JS returns is the managed function; a JS function is refused with an error naming the import", () => {
    const before = call<number>("Adds");
    handlerFromJS = call("CountingAdder");
    expect(call("CallHandlerFromJS", 40, 2)).toBe("countingAdd: 42");
    expect(call<number>("Adds")).toBe(before + 1);
    handlerFromJS = null;
    expect(call("CallHandlerOrNullFromJS", 1, 2)).toBe("null");
    for (const value of [(a: number, b: number) => a + b, runtime.invokeMethod(OTHER, "Adder"), call("Negater"), null]) {
      handlerFromJS = value;
      const error = thrownError(() => call("CallHandlerFromJS", 1, 2));
      expect(error.message).toContain(
        `The call to the JavaScript function 'htmlBridgeHandler' failed: its result ((a: i32, b: i32) => i32) could not be converted: ` +
          `expected a managed function (a: i32, b: i32) => i32 obtained from assembly '${NAME}', got`,
      );
    }
    handlerFromJS = call("Adder");
    expect(call("CallHandlerOrNullFromJS", 1, 2)).toBe("add: 3");
    const diagnostics = runtime.getAssembly(NAME)!.diagnostics();
    expect(diagnostics.jsObjects).toBe(0);
    expect(diagnostics.pinned).toBe(0);
  });

  it("after the instance reloads, a delegate of the old instance is refused (its managed function is gone)", async () => {
    const { own, old } = await reloadedAfterDelegate("Apply");
    expectArgumentError(
      thrownError(() => own.invokeMethod(NAME, "Apply", old, 1, 2)),
      "Apply",
      1,
      "fn",
      `got a managed function (a: i32, b: i32) => i32 of another instance of assembly '${NAME}' (one since reloaded or unloaded, or loaded into another runtime)`,
    );
    expect(own.invokeMethod(NAME, "Apply", own.invokeMethod(NAME, "Adder"), 1, 2)).toBe("add: 3");
    own.unloadAssembly(NAME);
  });

  it("a function that is also a DotNetObjectReference's value keeps its own id: its delegate calls it, never the function at the reference's id in the table", async () => {
    // The reference is tracked for the function's address first; a delegate that took its id would
    // read the reference's fields as a function's, calling whatever the table holds at that index.
    const compiled = await compileVirtual({
      "both.ts": `
import { DotNetObjectReference } from "as-interop/assembly/interop";
function add(a: i32, b: i32): i32 { return a + b; }
function multiply(a: i32, b: i32): i32 { return a * b; }
const first: (a: i32, b: i32) => i32 = multiply;
let kept: DotNetObjectReference<(a: i32, b: i32) => i32> | null = null;
@jsInvokable export function Wrap(): i32 { kept = DotNetObjectReference.create<(a: i32, b: i32) => i32>(add); return first(kept!.id, 1); }
@jsInvokable export function Adder(): (a: i32, b: i32) => i32 { return add; }
@jsInvokable export function Apply(fn: (a: i32, b: i32) => i32, a: i32, b: i32): i32 { return fn(a, b); }
`,
    });
    const own = new InteropRuntime();
    await own.loadAssembly(await WebAssembly.compile(compiled.binary as BufferSource), { name: "Both" });
    expect(own.invokeMethod("Both", "Wrap")).toBe(1);
    const adder = own.invokeMethod<Add>("Both", "Adder");
    expect(adder(20, 3)).toBe(23);
    expect(own.invokeMethod("Both", "Apply", adder, 20, 3)).toBe(23);
    own.unloadAssembly("Both");
  });
});

describe("a scriptable member may take a name only a stream's references have", () => {
  it("a member of an ordinary class called stream, arrayBuffer or writeStream is a member like any other", async () => {
    const { binary } = await compileVirtual({
      "media.ts": `
        import { DotNetObjectReference } from "as-interop/assembly/interop";
        export class Media {
          @scriptableMember stream: string = "live";
          @scriptableMember("arrayBuffer") bytes: i32 = 4;
          @scriptableMember writeStream: bool = true;
        }
        @jsInvokable export function Open(): DotNetObjectReference<Media> { return DotNetObjectReference.create(new Media()); }`,
    });
    const runtime = new InteropRuntime();
    await runtime.loadAssembly(binary);
    const media = runtime.invokeMethod<Record<string, unknown> & { dispose(): void }>("media", "Open");
    expect({ ...media }).toEqual({ stream: "live", arrayBuffer: 4, writeStream: true });
    media["stream"] = "recorded";
    expect(media["stream"]).toBe("recorded");
    media.dispose();
  });
});

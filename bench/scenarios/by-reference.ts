/**
 * Element access through by-reference views (issues 6 and 17), in ns per element, against what a
 * user could do instead:
 *
 *   js-array     a plain JS array (or object) of the same values: the floor (what a JS user is used to)
 *   proxy-floor  a JS Proxy whose traps only index a JS array: what any array-like view costs in
 *                this engine before it does anything (V8 takes a slow path for element keys on a Proxy)
 *   bare-proxy   (i32 read and write) a Proxy with no traps at all over a JS array: the engine's own
 *                cost of `[i]` on any Proxy, before a trap runs
 *   as-interop   the live view of the managed collection: numbers and bool are read and written in
 *                linear memory (issue 17); other elements are one call into the instance each, in
 *                the wire format
 *   at(i)        the same view read with `view.at(i)`, a method call rather than an element access
 *   by-value     Blazor's way: one `invokeMethod` returning the whole collection as a JS value, then
 *                indexing that copy; for writes, the changed copy goes back in one more call, so the
 *                managed collection ends up the same as with the view. The calls are made once per
 *                pass, so their cost is spread over the elements, as a user reading all of it sees it.
 *   references   (plain-class elements) the way before issue 17: a list of `DotNetObjectReference`s
 *
 * Each timed call handles exactly one element (walking from 0 to LENGTH − 1 and round again), so
 * the harness's ns per call is ns per element. Also here: collections passed as arguments of a call
 * into JavaScript (a view, against the by-value copy `JSArgs.of(list)` makes).
 *
 * The managed code is assembly/by-reference.ts (built by build.ts, -O3 like bench.ts), so the same
 * binary runs here and in Chromium (`--browser`); every table's ratio column is against `js-array`.
 */
import { InteropRuntime, type DictionaryView, type ListView } from "../../host/runtime/index.ts";
import type { ImplName, Scenario } from "../harness.ts";

export const LENGTH = 10_000;
/** Keys of the dictionary scenarios. */
const KEYS = 1_000;
/** The assembly's name, as build.ts compiles it. */
export const BY_REFERENCE_ASSEMBLY = "BenchByReference";


type Step = () => unknown;

/** The impl names of this module (see the header). */
type Name = Extract<ImplName, "js-array" | "proxy-floor" | "bare-proxy" | "as-interop" | "at(i)" | "by-value" | "references">;

interface Setup {
  runtime: InteropRuntime;
  view: ListView<number>;
  call<T>(method: string, ...args: unknown[]): T;
}

/** The JS functions the "passed to JavaScript" scenario's managed code calls: each reads one element. */
const readers = {
  first: (list: ArrayLike<number>) => list[0],
};

async function setup(module: WebAssembly.Module): Promise<Setup> {
  const runtime = new InteropRuntime();
  await runtime.loadAssembly(module);
  (globalThis as { benchReaders?: typeof readers }).benchReaders = readers;
  const call = <T>(method: string, ...args: unknown[]) => runtime.invokeMethod<T>(BY_REFERENCE_ASSEMBLY, method, ...args);
  return { runtime, view: call<ListView<number>>("Fill", LENGTH), call };
}

const next = (i: number) => (i + 1 === LENGTH ? 0 : i + 1);

function fail(what: string, detail: string): never {
  throw new Error(`${what}: ${detail}`);
}

/**
 * A Proxy over `array` whose traps do no more than index it: the floor of any array-like view
 * (see the header), with a key check as cheap as the views' own.
 */
function proxyFloor<T>(array: T[]): T[] {
  const index = (key: string | symbol) => (typeof key === "string" ? Number(key) : NaN);
  return new Proxy(array, {
    get: (target, key) => (key === "length" ? target.length : target[index(key)]),
    set: (target, key, value) => ((target[index(key)] = value), true),
  });
}

/** The impls of a scenario, in the order the tables show them. */
function impls(entries: [Name, Step][]): Scenario<Step>["impls"] {
  return entries.map(([impl, fn]) => ({ impl, fn }));
}

/** A check that one pass of `fn` gives 0, 1, …, LENGTH − 1 in order. */
function inOrder(scenario: string, verb: string): (fn: Step) => void {
  return (fn) => {
    for (let i = 0; i < LENGTH; i++) {
      const value = fn();
      if (value !== i) fail(scenario, `element ${i} ${verb} ${String(value)}`);
    }
  };
}

// --- read list[i] -------------------------------------------------------------------------------

// Each impl below is a closure literal of its own rather than one made by a shared helper: V8
// shares type feedback between closures of one literal, which would make `[i]` polymorphic over an
// array, a Proxy and a view, and time none of them as it runs alone.
function readScenario({ view, call }: Setup): Scenario<Step> {
  const array = Array.from({ length: LENGTH }, (_, i) => i);
  const floor = proxyFloor(array);
  const bare = new Proxy(array, {});
  let a = 0;
  const jsArray: Step = () => {
    const value = array[a];
    a = next(a);
    return value;
  };
  let q = 0;
  const bareProxy: Step = () => {
    const value = bare[q];
    q = next(q);
    return value;
  };
  let p = 0;
  const proxy: Step = () => {
    const value = floor[p];
    p = next(p);
    return value;
  };
  let v = 0;
  const asInterop: Step = () => {
    const value = view[v];
    v = next(v);
    return value;
  };
  let m = 0;
  const at: Step = () => {
    const value = view.at(m);
    m = next(m);
    return value;
  };
  let b = 0;
  let copy: number[] = [];
  const byValue: Step = () => {
    if (b === 0) copy = call<number[]>("Copy");
    const value = copy[b];
    b = next(b);
    return value;
  };
  return {
    name: `by-reference: read list[i], i32 × ${LENGTH} (ns/element)`,
    args: [],
    impls: impls([
      ["js-array", jsArray],
      ["bare-proxy", bareProxy],
      ["proxy-floor", proxy],
      ["as-interop", asInterop],
      ["at(i)", at],
      ["by-value", byValue],
    ]),
    // Each impl is at element 0 when checked: one pass must read 0, 1, …, LENGTH − 1 in order.
    check: inOrder("read", "read as"),
  };
}

// --- write list[i] = v --------------------------------------------------------------------------

function writeScenario({ view, call }: Setup): Scenario<Step> {
  const array = Array.from({ length: LENGTH }, (_, i) => i);
  const floorArray = Array.from({ length: LENGTH }, (_, i) => i);
  const floor = proxyFloor(floorArray);
  const bareArray = Array.from({ length: LENGTH }, (_, i) => i);
  const bare = new Proxy(bareArray, {});
  // Each pass writes the same values (i itself), so every impl leaves the list as it found it
  // and the check can tell a write that went nowhere from one that landed.
  let a = 0;
  const jsArray: Step = () => {
    array[a] = a;
    a = next(a);
  };
  let q = 0;
  const bareProxy: Step = () => {
    bare[q] = q;
    q = next(q);
  };
  let p = 0;
  const proxy: Step = () => {
    floor[p] = p;
    p = next(p);
  };
  let v = 0;
  const asInterop: Step = () => {
    view[v] = v;
    v = next(v);
  };
  let b = 0;
  let copy: number[] = [];
  const byValue: Step = () => {
    if (b === 0) copy = call<number[]>("Copy");
    copy[b] = b;
    if (b === LENGTH - 1) call("SetAll", copy);
    b = next(b);
  };
  const after = new Map<Step, () => number[]>([
    [jsArray, () => array],
    [bareProxy, () => bareArray],
    [proxy, () => floorArray],
    [asInterop, () => call<number[]>("Copy")],
    [byValue, () => call<number[]>("Copy")],
  ]);
  return {
    name: `by-reference: write list[i] = v, i32 × ${LENGTH} (ns/element)`,
    args: [],
    impls: impls([["js-array", jsArray], ["bare-proxy", bareProxy], ["proxy-floor", proxy], ["as-interop", asInterop], ["by-value", byValue]]),
    check(fn) {
      // Scramble what the impl writes to, then one pass of writes must restore 0 … LENGTH − 1.
      if (fn === jsArray) array.fill(-1);
      else if (fn === bareProxy) bareArray.fill(-1);
      else if (fn === proxy) floorArray.fill(-1);
      else call("SetAll", Array.from({ length: LENGTH }, (_, i) => -i - 1));
      for (let i = 0; i < LENGTH; i++) fn();
      const values = after.get(fn)!();
      const wrong = values.findIndex((value, i) => value !== i);
      if (values.length !== LENGTH || wrong >= 0) fail("write", `after one pass element ${wrong} is ${values[wrong]}`);
      if (fn === asInterop || fn === byValue) {
        if (call<number>("Sum") !== (LENGTH * (LENGTH - 1)) / 2) fail("write", "the managed sum is off");
      }
    },
  };
}

// --- iterate (for…of: one next() per element) ---------------------------------------------------

/** One `next()` per call, starting over with a fresh iterator of `source()` at the end. */
function iterating(source: () => Iterable<unknown>): Step {
  let iterator = source()[Symbol.iterator]();
  return () => {
    let step = iterator.next();
    if (step.done) {
      iterator = source()[Symbol.iterator]();
      step = iterator.next();
    }
    return step.value;
  };
}

function iterateScenario({ view, call }: Setup): Scenario<Step> {
  const array = Array.from({ length: LENGTH }, (_, i) => i);
  return {
    name: `by-reference: iterate (for…of), i32 × ${LENGTH} (ns/element)`,
    args: [],
    impls: impls([
      ["js-array", iterating(() => array)],
      ["as-interop", iterating(() => view)],
      // By value: a new copy per pass, iterated.
      ["by-value", iterating(() => call<number[]>("Copy"))],
    ]),
    check: inOrder("iterate", "came as"),
  };
}

// --- other element types: elements that still cross by call (strings), dictionaries, references --

function stringsScenario({ call }: Setup): Scenario<Step> {
  const view = call<ListView<string>>("FillNames", LENGTH);
  const array = Array.from({ length: LENGTH }, (_, i) => `name-${i}`);
  const reading = (read: (i: number) => unknown): Step => {
    let i = 0;
    return () => {
      const value = read(i);
      i = next(i);
      return value;
    };
  };
  let copy: string[] = [];
  return {
    name: `by-reference: read list[i], string × ${LENGTH} (ns/element)`,
    args: [],
    impls: impls([
      ["js-array", reading((i) => array[i])],
      ["as-interop", reading((i) => view[i])],
      ["by-value", reading((i) => (i === 0 ? (copy = call<string[]>("CopyNames")) : copy)[i])],
    ]),
    check(fn) {
      for (let i = 0; i < LENGTH; i++) if (fn() !== `name-${i}`) fail("strings", `element ${i}`);
    },
  };
}

function dictionaryScenarios({ call }: Setup): Scenario<Step>[] {
  const view = call<DictionaryView<number>>("FillPrices", KEYS);
  const object: Record<string, number> = {};
  const keys = Array.from({ length: KEYS }, (_, i) => `key-${i}`);
  for (let i = 0; i < KEYS; ++i) object[keys[i]] = i;
  const nextKey = (i: number) => (i + 1 === KEYS ? 0 : i + 1);
  /** One key per call, in order, round and round. */
  const each = (use: (key: string, i: number) => unknown): Step => {
    let i = 0;
    return () => {
      const result = use(keys[i], i);
      i = nextKey(i);
      return result;
    };
  };
  let copy: Record<string, number> = {};
  const read: Scenario<Step> = {
    name: `by-reference: read dictionary[key], f64 × ${KEYS} keys (ns/element)`,
    args: [],
    impls: impls([
      ["js-array", each((key) => object[key])],
      ["as-interop", each((key) => view[key])],
      ["by-value", each((key, i) => (i === 0 ? (copy = call<Record<string, number>>("CopyPrices")) : copy)[key])],
    ]),
    check(fn) {
      for (let i = 0; i < KEYS; i++) if (fn() !== i) fail("dictionary read", `key ${i}`);
    },
  };
  let written: Record<string, number> = {};
  const write: Scenario<Step> = {
    name: `by-reference: write dictionary[key] = v, f64 × ${KEYS} keys (ns/element)`,
    args: [],
    impls: impls([
      ["js-array", each((key, i) => (object[key] = i))],
      ["as-interop", each((key, i) => (view[key] = i))],
      [
        "by-value",
        each((key, i) => {
          if (i === 0) written = call<Record<string, number>>("CopyPrices");
          written[key] = i;
          if (i === KEYS - 1) call("SetPrices", written);
        }),
      ],
    ]),
    check(fn) {
      // Scramble what the impl writes to; one pass of writes must restore key i → i.
      const managed = fn !== write.impls[0].fn;
      if (managed) call("SetPrices", Object.fromEntries(keys.map((key) => [key, -1])));
      else for (const key of keys) object[key] = -1;
      for (let i = 0; i < KEYS; i++) fn();
      const values = managed ? call<Record<string, number>>("CopyPrices") : object;
      const wrong = keys.findIndex((key, i) => values[key] !== i);
      if (wrong >= 0) fail("dictionary write", `after one pass key ${wrong} holds ${values[keys[wrong]]}`);
    },
  };
  return [read, write];
}

function referencesScenario({ call }: Setup): Scenario<Step> {
  type Counter = { count: number };
  const view = call<ListView<Counter>>("FillCounters", LENGTH);
  const references = call<ListView<Counter>>("CounterReferences");
  const objects = Array.from({ length: LENGTH }, (_, i) => ({ count: i }));
  const reading = (list: ArrayLike<Counter>): Step => {
    let i = 0;
    return () => {
      const value = list[i];
      i = next(i);
      return value;
    };
  };
  return {
    name: `by-reference: read list[i], a plain class (by reference) × ${LENGTH} (ns/element)`,
    args: [],
    impls: impls([
      ["js-array", reading(objects)],
      ["as-interop", reading(view)],
      ["references", reading(references)],
    ]),
    check(fn) {
      for (let i = 0; i < LENGTH; i++) if ((fn() as Counter).count !== i) fail("references", `element ${i}`);
    },
  };
}

function passedToJavaScriptScenario({ call }: Setup): Scenario<Step> {
  return {
    name: `by-reference: a list of ${LENGTH} i32 passed to a JS function that reads one element (ns/call)`,
    args: [],
    impls: impls([
      ["as-interop", () => call<number>("PassView", "benchReaders.first")],
      ["by-value", () => call<number>("PassCopy", "benchReaders.first")],
    ]),
    check(fn) {
      if (fn() !== 0) fail("passed to JavaScript", "the first element is not 0");
    },
    initialCalls: 10,
  };
}

/** The scenarios over `module`, assembly/by-reference.ts as build.ts compiles it. */
export async function byReferenceScenarios(module: WebAssembly.Module): Promise<Scenario[]> {
  const state = await setup(module);
  if (state.view.length !== LENGTH) fail("setup", `the view has ${state.view.length} elements`);
  const scenarios = [
    readScenario(state),
    writeScenario(state),
    iterateScenario(state),
    stringsScenario(state),
    ...dictionaryScenarios(state),
    referencesScenario(state),
    passedToJavaScriptScenario(state),
  ];
  // The ratio column: against a plain JS array where there is one, else against the copy.
  return scenarios.map((scenario) => ({
    ...scenario,
    baseline: scenario.impls.some((entry) => entry.impl === "js-array") ? "js-array" : "by-value",
  })) as Scenario[];
}

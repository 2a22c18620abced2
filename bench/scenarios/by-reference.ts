/**
 * Element access through a by-reference list view (issue 6), in ns per element, on an i32 list
 * of LENGTH elements, against the two things a user could do instead:
 *
 *   js-array     a plain JS array of the same numbers: the floor (what a JS user is used to)
 *   as-interop   the live view of the managed `Array<i32>` (`ListReference<i32>`): every element
 *                read or write is one call into the instance, the element in the wire format
 *   by-value     Blazor's way: one `invokeMethod` returning the whole list as a JS array, then
 *                indexing that copy; for writes, the changed copy goes back in one more call
 *                (`SetAll(i32[])`), so the managed list ends up the same as with the view.
 *                The calls are made once per pass over the list, so their cost is spread over
 *                LENGTH elements, as a user reading the whole list would see it.
 *
 * Each timed call handles exactly one element (walking the list from 0 to LENGTH − 1 and round
 * again), so the harness's ns per call is ns per element. The three scenarios: read `list[i]`,
 * write `list[i] = v`, and iterate (`for…of`, one `next()` per element).
 *
 * The managed source is inline (compiled with `compile()` from memory, -O3 like bench.ts) and the
 * impl names are this module's own, not in harness.ts's list: hence the one cast in `impl()`.
 */
import { compile } from "../../host/compiler/compile.ts";
import { InteropRuntime, type ListView } from "../../host/runtime/index.ts";
import type { ImplName, Scenario } from "../harness.ts";

export const LENGTH = 10_000;
const ASSEMBLY = "BenchByReference";

const SOURCE = `
import { ListReference } from "as-interop/assembly/interop";

let list: Array<i32> = [];

/** A new list 0, 1, …, n − 1 and a live reference to it. */
@jsInvokable export function Fill(n: i32): ListReference<i32> {
  list = new Array<i32>(n);
  for (let i = 0; i < n; ++i) unchecked((list[i] = i));
  return ListReference.of(list);
}

/** The by-value copy (Blazor's default): the whole list as a JS array. */
@jsInvokable export function Copy(): i32[] {
  return list;
}

/** Writes a by-value copy back into the same list (so the view stays on it). */
@jsInvokable export function SetAll(values: i32[]): void {
  for (let i = 0; i < values.length; ++i) list[i] = values[i];
}

@jsInvokable export function Sum(): i32 {
  let sum = 0;
  for (let i = 0; i < list.length; ++i) sum += unchecked(list[i]);
  return sum;
}
`;

type Step = () => unknown;

/** The impl names of this module (see the header). */
const impl = (name: Extract<ImplName, "js-array" | "as-interop" | "by-value">): ImplName => name;

interface Setup {
  runtime: InteropRuntime;
  view: ListView<number>;
  call<T>(method: string, ...args: unknown[]): T;
}

async function setup(): Promise<Setup> {
  const { binary } = await compile({
    entry: "BenchByReference.ts",
    readFile: (path) => (path === "BenchByReference.ts" ? SOURCE : null),
    optimize: true,
    assemblyName: ASSEMBLY,
  });
  const runtime = new InteropRuntime();
  await runtime.loadAssembly(await WebAssembly.compile(binary as Uint8Array<ArrayBuffer>));
  const call = <T>(method: string, ...args: unknown[]) => runtime.invokeMethod<T>(ASSEMBLY, method, ...args);
  return { runtime, view: call<ListView<number>>("Fill", LENGTH), call };
}

const next = (i: number) => (i + 1 === LENGTH ? 0 : i + 1);

function fail(what: string, detail: string): never {
  throw new Error(`${what}: ${detail}`);
}

// --- read list[i] -------------------------------------------------------------------------------

function readScenario({ view, call }: Setup): Scenario<Step> {
  const array = Array.from({ length: LENGTH }, (_, i) => i);
  let a = 0;
  const jsArray: Step = () => {
    const value = array[a];
    a = next(a);
    return value;
  };
  let v = 0;
  const asInterop: Step = () => {
    const value = view[v];
    v = next(v);
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
    impls: impls(jsArray, asInterop, byValue),
    // Each impl is at element 0 when checked: one pass must read 0, 1, …, LENGTH − 1 in order.
    check: inOrder("read", "read as"),
  };
}

/** The three impls of a scenario, in the order the tables show them. */
function impls(jsArray: Step, asInterop: Step, byValue: Step): Scenario<Step>["impls"] {
  return [
    { impl: impl("js-array"), fn: jsArray },
    { impl: impl("as-interop"), fn: asInterop },
    { impl: impl("by-value"), fn: byValue },
  ];
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

// --- write list[i] = v --------------------------------------------------------------------------

function writeScenario({ view, call }: Setup): Scenario<Step> {
  const array = Array.from({ length: LENGTH }, (_, i) => i);
  // Each pass writes the same values (i itself), so every impl leaves the list as it found it
  // and the check can tell a write that went nowhere from one that landed.
  let a = 0;
  const jsArray: Step = () => {
    array[a] = a;
    a = next(a);
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
    [asInterop, () => call<number[]>("Copy")],
    [byValue, () => call<number[]>("Copy")],
  ]);
  return {
    name: `by-reference: write list[i] = v, i32 × ${LENGTH} (ns/element)`,
    args: [],
    impls: impls(jsArray, asInterop, byValue),
    check(fn) {
      // Scramble what the impl writes to, then one pass of writes must restore 0 … LENGTH − 1.
      if (fn === jsArray) array.fill(-1);
      else call("SetAll", Array.from({ length: LENGTH }, (_, i) => -i - 1));
      for (let i = 0; i < LENGTH; i++) fn();
      const values = after.get(fn)!();
      const wrong = values.findIndex((value, i) => value !== i);
      if (values.length !== LENGTH || wrong >= 0) fail("write", `after one pass element ${wrong} is ${values[wrong]}`);
      if (fn !== jsArray && call<number>("Sum") !== (LENGTH * (LENGTH - 1)) / 2) fail("write", "the managed sum is off");
    },
  };
}

// --- iterate (for…of: one next() per element) ---------------------------------------------------

function iterateScenario({ view, call }: Setup): Scenario<Step> {
  const array = Array.from({ length: LENGTH }, (_, i) => i);
  const iterating = (source: () => Iterable<number>): Step => {
    let iterator = source()[Symbol.iterator]();
    return () => {
      let step = iterator.next();
      if (step.done) {
        iterator = source()[Symbol.iterator]();
        step = iterator.next();
      }
      return step.value;
    };
  };
  const jsArray = iterating(() => array);
  const asInterop = iterating(() => view);
  // By value: a new copy per pass, iterated.
  const byValue = iterating(() => call<number[]>("Copy"));
  return {
    name: `by-reference: iterate (for…of), i32 × ${LENGTH} (ns/element)`,
    args: [],
    impls: impls(jsArray, asInterop, byValue),
    check: inOrder("iterate", "came as"),
  };
}

export async function byReferenceScenarios(): Promise<Scenario[]> {
  const state = await setup();
  if (state.view.length !== LENGTH) fail("setup", `the view has ${state.view.length} elements`);
  return [readScenario(state), writeScenario(state), iterateScenario(state)] as Scenario[];
}

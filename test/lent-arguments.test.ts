/**
 * Argument lists written for one `JSRuntime` call are borrowed, not allocated
 * (host/compiler/lent-arguments.ts, assembly/interop/js/args.ts): which chains the compiler
 * rewrites, and that a borrowed list never shows another call's arguments — nested calls, a JS
 * exception unwinding the call that borrowed it, a list grown for a long argument, and lists the
 * code keeps, which are never borrowed, also where an inner scope gives `JSRuntime` another
 * meaning; a call on a variable borrows only when the variable is a JSObject.
 */
import { Transform } from "assemblyscript/transform";
import type { CallExpression, Expression, Parser, Program, PropertyAccessExpression } from "assemblyscript";
import { beforeAll, describe, expect, it } from "vitest";
import { NodeKind } from "../host/compiler/enums.ts";
import { walk } from "../host/compiler/syntax.ts";
import { InteropRuntime } from "../host/runtime/index.ts";
import { compileErrors, compileVirtual, locateOnLine, thrown } from "./helpers.ts";

const SOURCE = `
import { JSArgs, JSObject, JSRuntime, JSRuntime as JS } from "as-interop/assembly/interop";
import * as interop from "as-interop/assembly/interop";

// Each call's arguments come back as their sum: JS adds them.
@jsInvokable
export function direct(a: i32, b: i32): i32 {
  return JSRuntime.invoke<i32>("sum", JSArgs.of<i32>(a).and<i32>(b)); // lent: direct
}

@jsInvokable
export function aliased(a: i32): i32 {
  return JS.invoke<i32>("sum", JSArgs.of<i32>(a)); // lent: alias
}

@jsInvokable
export function starred(a: i32): i32 {
  return interop.JSRuntime.invoke<i32>("sum", interop.JSArgs.of<i32>(a).and<i32>(2)); // lent: namespace import
}

@jsInvokable
export function kept(a: i32, b: i32): i32 {
  const args = JSArgs.of<i32>(a).and<i32>(b); // kept: variable
  return JSRuntime.invoke<i32>("sum", args) + JSRuntime.invoke<i32>("sum", args);
}

function same(args: JSArgs): JSArgs {
  return args;
}

@jsInvokable
export function passedThrough(a: i32): i32 {
  return JSRuntime.invoke<i32>("sum", same(JSArgs.of<i32>(a))); // kept: through a function
}

@jsInvokable
export function onObject(a: i32, b: i32): i32 {
  const math = JSRuntime.getObject("mathObject");
  return math.invoke<i32>("sum", JSArgs.of<i32>(a).and<i32>(b)); // for: a JSObject variable
}

@jsInvokable
export function onFunction(a: i32): i32 {
  const sum: JSObject = JSRuntime.getObject("sum");
  return sum.invokeSelf<i32>(JSArgs.of<i32>(a)) + sum.invokeSelf<i32>(JSArgs.of<i32>(a)); // for: invokeSelf
}

@jsInvokable
export function onGotObject(a: i32): i32 {
  return JSRuntime.getObject("mathObject").invoke<i32>("sum", JSArgs.of<i32>(a)); // kept: a call result
}

/** Not a JSObject: it keeps the list it is given, which must stay whole. */
class Recorder {
  last: JSArgs | null = null;
  invoke<T>(name: string, args: JSArgs): T {
    this.last = args;
    return JSRuntime.invoke<T>(name, args);
  }
}

@jsInvokable
export function throughRecorder(a: i32, b: i32): i32 {
  const recorder = new Recorder();
  const first = recorder.invoke<i32>("sum", JSArgs.of<i32>(a).and<i32>(b)); // for: another class
  return first + JSRuntime.invoke<i32>("sum", recorder.last!);
}

class Helper {
  static invoke(name: string, args: JSArgs): i32 {
    return JSRuntime.invoke<i32>(name, args);
  }
}

@jsInvokable
export function throughClass(a: i32): i32 {
  return Helper.invoke("sum", JSArgs.of<i32>(a)); // kept: a static method
}

/** JS calls back into Inner while the outer call's list is out. */
@jsInvokable
export function nested(a: i32): i32 {
  return JSRuntime.invoke<i32>("callInner", JSArgs.of<i32>(a).and<i32>(1000)); // lent: nested outer
}

@jsInvokable
export function Inner(a: i32): i32 {
  return JSRuntime.invoke<i32>("sum", JSArgs.of<i32>(a).and<i32>(1)); // lent: nested inner
}

/** \`n\` levels deep through JS, more than the lists kept free: each level borrows while the one above has a list out. */
@jsInvokable
export function deep(n: i32): string {
  const below = n > 0 ? JSRuntime.invoke<string>("callDeep", JSArgs.of<i32>(n - 1)) : "";
  return JSRuntime.invoke<string>("join", JSArgs.of<i32>(n).and<string>(below).and<i32>(-n));
}

/** The same, the deep call written inside the chain: its list is half written meanwhile. */
@jsInvokable
export function deepInside(n: i32): string {
  return JSRuntime.invoke<string>("join", JSArgs.of<i32>(n).and<string>(n > 0 ? JSRuntime.invoke<string>("callDeepInside", JSArgs.of<i32>(n - 1)) : "").and<i32>(-n)); // lent: inside
}

/** A JS exception caught (\`tryInvoke\`): the list goes back, and the next call gets its own. */
@jsInvokable
export function caught(a: i32): string {
  const failed = JSRuntime.tryInvoke<i32>("fail", JSArgs.of<i32>(a).and<string>("x".repeat(a))).error!.message; // lent: caught
  return failed + "|" + JSRuntime.invoke<string>("join", JSArgs.of<i32>(a).and<i32>(1));
}

@jsInvokable
export function throwing(a: i32): i32 {
  return JSRuntime.invoke<i32>("fail", JSArgs.of<i32>(a)); // lent: throws
}

@jsInvokable
export function longThenShort(text: string, a: i32): i32 {
  const length = JSRuntime.invoke<i32>("lengthOf", JSArgs.of<string>(text)); // lent: long
  return length + JSRuntime.invoke<i32>("sum", JSArgs.of<i32>(a)); // lent: short
}

@jsInvokable
export function voidCall(a: i32): void {
  JSRuntime.invokeVoid("record", JSArgs.of<i32>(a).and<string>("x")); // lent: void
}
`;

/** What the compiler made of each `JSArgs` chain, by the comment on its line: "lend" or "of". */
const rewritten = new Map<string, string>();

/** Runs after the interop transform's afterInitialize, so it sees the chains as they will compile. */
class RecordRewrites extends Transform {
  afterInitialize(program: Program): void {
    const source = program.sources.find((s) => s.normalizedPath.endsWith("lent.ts"))!;
    const lines = source.text.split("\n");
    walk(source, (node) => {
      if (node.kind !== NodeKind.Call) return;
      const callee = (node as CallExpression).expression as PropertyAccessExpression;
      if (callee.kind !== NodeKind.PropertyAccess || !namesJSArgs(callee.expression)) return;
      const label = /\/\/ (\w+: [\w ]+)/.exec(lines[source.lineAt(node.range.start) - 1])?.[1];
      if (label) rewritten.set(label, callee.property.text);
    });
  }
  afterParse(_parser: Parser): void {}
}

/** `JSArgs` or `interop.JSArgs`. */
function namesJSArgs(node: Expression): boolean {
  const named = node.kind === NodeKind.PropertyAccess ? (node as PropertyAccessExpression).property : node;
  return (named as { text?: string }).text === "JSArgs";
}

let runtime: InteropRuntime;
const recorded: unknown[] = [];

beforeAll(async () => {
  const { binary } = await compileVirtual({ "lent.ts": SOURCE }, { optimize: true, transforms: [RecordRewrites] });
  runtime = new InteropRuntime();
  const sum = (...values: number[]) => values.reduce((a, b) => a + b, 0);
  await runtime.loadAssembly(await WebAssembly.compile(binary as Uint8Array<ArrayBuffer>), {
    name: "Lent",
    scope: {
      sum,
      mathObject: { sum },
      callInner: (a: number, b: number) => runtime.invokeMethod<number>("Lent", "Inner", a) + b,
      join: (...values: unknown[]) => `[${values.join(",")}]`,
      callDeep: (n: number) => runtime.invokeMethod<string>("Lent", "deep", n),
      callDeepInside: (n: number) => runtime.invokeMethod<string>("Lent", "deepInside", n),
      fail: (a: number) => {
        throw new Error(`failed with ${a}`);
      },
      lengthOf: (text: string) => text.length,
      record: (...values: unknown[]) => void recorded.push(values),
    },
  });
});

const call = (method: string, ...args: unknown[]) => runtime.invokeMethod<number>("Lent", method, ...args);

describe("which argument lists are borrowed", () => {
  it("lends a JSArgs.of chain written directly as the args of a JSRuntime method, under its own name, an alias or a namespace import", () => {
    for (const label of ["lent: direct", "lent: alias", "lent: namespace import", "lent: nested outer", "lent: nested inner", "lent: throws", "lent: long", "lent: short", "lent: void", "lent: inside", "lent: caught"]) {
      expect(rewritten.get(label), label).toBe("lend");
    }
  });

  it("allocates a list kept in a variable, passed through a function, or given to a call on anything but a variable", () => {
    for (const label of ["kept: variable", "kept: through a function", "kept: a call result", "kept: a static method"]) {
      expect(rewritten.get(label), label).toBe("of");
    }
  });

  it("leaves a call on a variable to the variable's type: lendFor lends only to a JSObject", () => {
    for (const label of ["for: a JSObject variable", "for: invokeSelf", "for: another class"]) {
      expect(rewritten.get(label), label).toBe("lendFor");
    }
  });
});

describe("a borrowed list carries its own call's arguments", () => {
  it("gives each call its arguments, call after call", () => {
    for (let i = 0; i < 100; ++i) expect(call("direct", i, 2 * i)).toBe(3 * i);
    expect(call("aliased", 7)).toBe(7);
    expect(call("starred", 7)).toBe(9);
    expect(call("voidCall", 5)).toBe(null);
    expect(recorded.at(-1)).toEqual([5, "x"]);
  });

  it("keeps a list the code holds whole for a second call", () => {
    expect(call("kept", 20, 22)).toBe(84);
    expect(call("passedThrough", 9)).toBe(9);
    expect(call("onGotObject", 11)).toBe(11);
    expect(call("throughClass", 12)).toBe(12);
    // The recorder is no JSObject: its list was allocated, and is whole when used again.
    expect(call("throughRecorder", 20, 1)).toBe(42);
  });

  it("gives a JSObject's methods their arguments, call after call", () => {
    for (let i = 0; i < 50; ++i) {
      expect(call("onObject", i, 1)).toBe(i + 1);
      expect(call("onFunction", i)).toBe(2 * i);
    }
  });

  it("lends the inner call its own list while the outer call's is out", () => {
    expect(call("nested", 5)).toBe(5 + 1 + 1000);
    expect(call("nested", 6)).toBe(6 + 1 + 1000);
  });

  it("lends each of twenty levels of calls its own list, also while a level's chain is half written", () => {
    const expected = (n: number): string => `[${n},${n > 0 ? expected(n - 1) : ""},${-n}]`;
    expect(call("deep", 20)).toBe(expected(20));
    expect(call("deepInside", 20)).toBe(expected(20));
    expect(call("direct", 1, 2)).toBe(3);
  });

  it("gives back the list of a call whose JS exception was caught", () => {
    for (let i = 0; i < 20; ++i) expect(call("caught", i)).toBe(`Error: failed with ${i}|[${i},1]`);
  });

  it("after a JS exception unwound the call that borrowed a list, later calls still get their own arguments", () => {
    for (let i = 0; i < 20; ++i) {
      expect(String(thrown(() => call("throwing", i)))).toContain(`failed with ${i}`);
      expect(call("direct", i, 1)).toBe(i + 1);
    }
  });

  it("a list grown for a long argument is back to its own room for the next call", () => {
    const long = "x".repeat(10_000);
    expect(call("longThenShort", long, 3)).toBe(10_003);
    expect(call("longThenShort", "ab", 4)).toBe(6);
    expect(call("direct", 1, 2)).toBe(3);
  });
});

/**
 * Where `JSRuntime` names something else in an inner scope (a namespace's class, a parameter), a
 * call through it may keep its list: were that list borrowed, the next real call would give it
 * back to the pool while the code still holds it, and the call after that would write over it.
 */
const SHADOWED = `
import { JSArgs, JSRuntime } from "as-interop/assembly/interop";

namespace own {
  export class JSRuntime {
    static kept: JSArgs | null = null;
    static invoke<T>(name: string, args: JSArgs | null = null): T {
      own.JSRuntime.kept = args;
      return 0;
    }
  }
  export function keep(a: i32): JSArgs {
    JSRuntime.invoke<i32>("unused", JSArgs.of<i32>(a).and<i32>(a));
    return own.JSRuntime.kept!;
  }
}

class Keeper {
  kept: JSArgs | null = null;
  invoke<T>(name: string, args: JSArgs | null = null): T {
    this.kept = args;
    return 0;
  }
}

function keepIn(JSRuntime: Keeper, a: i32): JSArgs {
  JSRuntime.invoke<i32>("unused", JSArgs.of<i32>(a).and<i32>(a));
  return JSRuntime.kept!;
}

/** The kept list, sent twice, with another call between. */
function twice(kept: JSArgs): i32 {
  const first = JSRuntime.invoke<i32>("sum", kept);
  JSRuntime.invoke<i32>("sum", JSArgs.of<i32>(100));
  return first + JSRuntime.invoke<i32>("sum", kept);
}

@jsInvokable
export function namespaced(a: i32): i32 {
  return twice(own.keep(a));
}

@jsInvokable
export function parameter(a: i32): i32 {
  return twice(keepIn(new Keeper(), a));
}
`;

describe("a name the file declares again in an inner scope", () => {
  it("keeps the lists written with it allocated: what the code keeps is not lent again", async () => {
    const { binary } = await compileVirtual({ "shadowed.ts": SHADOWED }, { optimize: true });
    const shadowed = new InteropRuntime();
    const sum = (...values: number[]) => values.reduce((a, b) => a + b, 0);
    await shadowed.loadAssembly(await WebAssembly.compile(binary as Uint8Array<ArrayBuffer>), { name: "Shadowed", scope: { sum } });
    expect(shadowed.invokeMethod<number>("Shadowed", "namespaced", 5)).toBe(20);
    expect(shadowed.invokeMethod<number>("Shadowed", "parameter", 6)).toBe(24);
  });
});

describe("a JSArgs.lend or lendFor written by hand", () => {
  it("is a compile error at the call, under any name: its list could be held after its call gave it back", async () => {
    const source = `import { JSArgs, JSRuntime, JSArgs as Args } from "as-interop/assembly/interop";
import * as interop from "as-interop/assembly/interop";

@jsInvokable
export function held(a: i32): i32 {
  const args = JSArgs.lend<i32>(a); // plain
  const again = Args.lend<i32>(a); // alias
  const third = interop.JSArgs.lend<i32>(a); // namespace
  const fourth = JSArgs.lendFor(JSRuntime.getObject("math")).and<i32>(a); // lendFor
  return JSRuntime.invoke<i32>("sum", args) + JSRuntime.invoke<i32>("sum", again) + JSRuntime.invoke<i32>("sum", third) + JSRuntime.invoke<i32>("sum", fourth);
}
`;
    const errors = await compileErrors({ "assembly/Held.ts": source });
    const lendErrors = errors.filter((error) => error.message.includes("JSArgs.lend and JSArgs.lendFor are written by the compiler"));
    expect(lendErrors.map((error) => [error.line, error.column])).toEqual(
      [["plain", "JSArgs.lend"], ["alias", "Args.lend"], ["namespace", "interop.JSArgs.lend"], ["lendFor", "JSArgs.lendFor"]].map(([marker, needle]) => {
        const at = locateOnLine(source, `// ${marker}`, needle);
        return [at.line, at.column];
      }),
    );
    expect(lendErrors[0].message).toContain("write JSArgs.of here");
  });
});

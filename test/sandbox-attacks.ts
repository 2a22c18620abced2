/**
 * The sandbox's attack model, shared by test/sandbox.test.ts (Node) and e2e/sandbox (Chromium):
 * canaries and baits that record any touch, and a fast-check model of what hostile managed code
 * can do through test/fixtures/sandbox.ts — read, call, write and test paths from its scope and
 * from every handle it got, with arguments that would run code if anything ever evaluated them.
 */
import fc from "fast-check";

/** What was touched that must never be (names of canaries and baits). */
export const touched: string[] = [];

/** Text that, evaluated anywhere, touches a canary. */
export const CODE = "globalThis.__canaryFn && globalThis.__canaryFn('evaluated')";

/**
 * A getter and a function on the global object (reachable only through it), a secret object held
 * only there, and baits on built-in prototypes: getters and setters that run only if a path walks
 * a built-in prototype. Returns what removes them all.
 */
export function installCanaries(prototypes: readonly object[] = []): { secret: object; remove(): void } {
  const g = globalThis as Record<string, unknown>;
  const secret = { secret: true };
  const removers: (() => void)[] = [];
  const define = (target: object, key: string, descriptor: PropertyDescriptor) => {
    Object.defineProperty(target, key, { configurable: true, enumerable: false, ...descriptor });
    removers.push(() => delete (target as Record<string, unknown>)[key]);
  };
  define(globalThis, "__canary", { get: () => (touched.push("globalThis.__canary"), secret) });
  define(globalThis, "__canaryFn", { value: (how: string) => (touched.push(`globalThis.__canaryFn(${how})`), secret), writable: true });
  define(globalThis, "__secret", { value: secret, writable: true });
  const builtIns = [Object.prototype, Function.prototype, Array.prototype, Map.prototype, Promise.prototype, ...prototypes];
  for (const prototype of builtIns) {
    const name = (Object.getOwnPropertyDescriptor(prototype, "constructor")?.value as Function | undefined)?.name ?? "?";
    define(prototype, "__bait", { get: () => (touched.push(`${name}.prototype.__bait`), g) });
    define(prototype, "__baitSet", {
      get: () => undefined,
      set: () => void touched.push(`${name}.prototype.__baitSet (setter)`),
    });
  }
  return { secret, remove: () => removers.forEach((remove) => remove()) };
}

/**
 * What the realm looks like: the own properties (names and values) of the global object and of
 * the built-ins an escaped attacker would change first. Compared before and after attacks: a
 * sandbox that wrote anywhere outside its grant shows here even if no canary was touched.
 */
export function snapshotRealm(): Map<string, unknown> {
  const g = globalThis as Record<string, unknown>;
  const watched: Record<string, object> = {
    globalThis, Object, Reflect, JSON, Math, Promise, Array, Function,
    "Object.prototype": Object.prototype, "Function.prototype": Function.prototype, "Array.prototype": Array.prototype,
    "Promise.prototype": Promise.prototype, "Map.prototype": Map.prototype,
  };
  for (const name of ["Node", "Element", "HTMLElement", "Document", "EventTarget", "Window"]) {
    const constructor = g[name] as { prototype?: object } | undefined;
    if (constructor?.prototype) watched[`${name}.prototype`] = constructor.prototype;
  }
  const snapshot = new Map<string, unknown>();
  for (const [owner, object] of Object.entries(watched)) {
    for (const key of Reflect.ownKeys(object)) {
      const descriptor = Object.getOwnPropertyDescriptor(object, key)!;
      snapshot.set(`${owner}.${String(key)}`, "value" in descriptor ? descriptor.value : descriptor.get);
    }
  }
  return snapshot;
}

/** What differs between two snapshots (added, removed or replaced properties). */
export function realmChanges(before: Map<string, unknown>, after: Map<string, unknown>): string[] {
  const changes: string[] = [];
  for (const key of after.keys()) if (!before.has(key)) changes.push(`added ${key}`);
  for (const [key, value] of before) {
    if (!after.has(key)) changes.push(`removed ${key}`);
    else if (!Object.is(after.get(key), value)) changes.push(`replaced ${key}`);
  }
  return changes;
}

/**
 * Whether the sandbox must never hold `object`: one of `outside`, or a function of the engine's
 * own (`Error.captureStackTrace`, `Array.from`, a bound `eval`), which no scope here grants.
 */
export function mustNotHold(object: unknown, outside: ReadonlySet<unknown>): boolean {
  if (outside.has(object)) return true;
  return typeof object === "function" && Function.prototype.toString.call(object).endsWith("{ [native code] }");
}

/** Keys an attacker tries: the scope's own, and the ones that lead out of it in JavaScript. */
export const DANGEROUS_KEYS = [
  "constructor", "__proto__", "prototype", "call", "apply", "bind", "toString", "valueOf", "caller", "arguments",
  "__lookupGetter__", "__defineGetter__", "__lookupSetter__", "hasOwnProperty", "__bait", "__baitSet",
  "globalThis", "window", "self", "global", "top", "parent", "frames", "opener", "process", "require", "module",
  "import", "eval", "Function", "Reflect", "Object", "setTimeout", "__canary", "__canaryFn", "__secret",
  "document", "ownerDocument", "defaultView", "parentNode", "parentElement", "getRootNode", "contentWindow",
  "location", "then", "length", "0", "name", "get", "set", "next",
  // What an error, an arguments object or a class that extends a built-in leads to.
  "stack", "cause", "message", "errors", "callee", "captureStackTrace", "from", "of",
];

/** One thing hostile managed code does; handles are referred to by the order it got them. */
export type Attack =
  | { readonly op: "get" | "getString" | "has"; readonly target: number; readonly path: string }
  | { readonly op: "call" | "callString"; readonly target: number; readonly path: string; readonly arg: string }
  | { readonly op: "callWith"; readonly target: number; readonly path: string; readonly arg: number }
  | { readonly op: "callSelf"; readonly target: number; readonly arg: string }
  | { readonly op: "set"; readonly target: number; readonly path: string; readonly value: string }
  | { readonly op: "setHandle"; readonly target: number; readonly path: string; readonly value: number };

/**
 * Sequences of attacks over paths that start where the grant leads (`grantPaths`, every path the
 * scope really has) and go on where it does not ({@link DANGEROUS_KEYS}), on the scope and on every
 * handle an earlier attack got.
 */
export function attacks(grantPaths: readonly string[]): fc.Arbitrary<Attack[]> {
  const granted = fc.constantFrom(...grantPaths);
  const dangerous = fc.constantFrom(...DANGEROUS_KEYS);
  const path = fc.oneof(
    granted,
    fc.tuple(granted, dangerous).map((parts) => parts.join(".")),
    fc.tuple(granted, dangerous, fc.oneof(dangerous, granted)).map((parts) => parts.join(".")),
    dangerous,
    fc.tuple(dangerous, dangerous).map((parts) => parts.join(".")),
  );
  const target = fc.nat({ max: 7 });
  const arg = fc.oneof(fc.constantFrom(CODE, "x", "constructor", `return ${CODE}`, "__secret"), fc.string({ maxLength: 8 }));
  const attack: fc.Arbitrary<Attack> = fc.oneof(
    fc.record({ op: fc.constantFrom("get" as const, "getString" as const, "has" as const), target, path }),
    fc.record({ op: fc.constantFrom("call" as const, "callString" as const), target, path, arg }),
    fc.record({ op: fc.constant("callWith" as const), target, path, arg: target }),
    fc.record({ op: fc.constant("callSelf" as const), target, arg }),
    fc.record({ op: fc.constant("set" as const), target, path, value: arg }),
    fc.record({ op: fc.constant("setHandle" as const), target, path, value: target }),
  );
  return fc.array(attack, { minLength: 1, maxLength: 8 });
}

/** Every dotted path through own properties of `root` (its plain data, not into class instances). */
export function pathsOf(root: object, prefix = "", depth = 3): string[] {
  const paths: string[] = [];
  for (const key of Object.keys(root)) {
    const path = prefix ? `${prefix}.${key}` : key;
    paths.push(path);
    const value = (root as Record<string, unknown>)[key];
    const plain = typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
    if (plain && depth > 1) paths.push(...pathsOf(value, path, depth - 1));
  }
  return paths;
}

/** Calls a method of the sandboxed assembly (test/fixtures/sandbox.ts). */
export type CallSandbox = (method: string, ...args: unknown[]) => unknown;

/** What one sequence of attacks came to. */
export interface AttackOutcome {
  tried: number;
  succeeded: number;
  /** Every text managed code read (strings it got, and the messages of what it was refused). */
  texts: string[];
}

/**
 * Runs one sequence against the assembly; every failure is expected (the membrane says no), so
 * only the outcomes are counted. Handles the sequence got are referred to by index, 0 the scope.
 */
export function runAttacks(call: CallSandbox, sequence: readonly Attack[]): AttackOutcome {
  const handles: number[] = [0];
  const handle = (index: number) => handles[index % handles.length];
  const texts: string[] = [];
  let succeeded = 0;
  for (const attack of sequence) {
    try {
      switch (attack.op) {
        case "get":
          handles.push(call("GetHandle", handle(attack.target), attack.path) as number);
          break;
        case "getString":
          texts.push(String(call("GetString", handle(attack.target), attack.path)));
          break;
        case "has":
          call("Has", handle(attack.target), attack.path);
          break;
        case "call":
          handles.push(call("CallForHandle", handle(attack.target), attack.path, attack.arg) as number);
          break;
        case "callString":
          texts.push(String(call("CallForString", handle(attack.target), attack.path, attack.arg)));
          break;
        case "callWith":
          handles.push(call("CallWithHandle", handle(attack.target), attack.path, handle(attack.arg)) as number);
          break;
        case "callSelf":
          handles.push(call("CallSelf", handle(attack.target), attack.arg) as number);
          break;
        case "set":
          call("SetString", handle(attack.target), attack.path, attack.value);
          break;
        case "setHandle":
          call("SetHandle", handle(attack.target), attack.path, handle(attack.value));
          break;
      }
      ++succeeded;
    } catch (error) {
      // Refused, or a JS error of the granted code: either way nothing escaped (checked after).
      texts.push(error instanceof Error ? error.message : String(error));
    }
  }
  return { tried: sequence.length, succeeded, texts };
}

/**
 * Every granted path read and called, then every key of {@link DANGEROUS_KEYS} read off what that
 * gave (as text and as a handle), then every key again off each handle that read gave, and each
 * function met called: all two-step paths out of the grant, where random sequences reach few.
 */
export function exhaustiveAttacks(call: CallSandbox, grantPaths: readonly string[]): AttackOutcome {
  const outcome: AttackOutcome = { tried: 0, succeeded: 0, texts: [] };
  const attempt = (...args: Parameters<CallSandbox>): unknown => {
    ++outcome.tried;
    try {
      const result = call(...args);
      ++outcome.succeeded;
      if (typeof result === "string") outcome.texts.push(result);
      return result;
    } catch (error) {
      outcome.texts.push(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  };
  /** Reads every key off `handle`, as text and as a handle; the handles it got. */
  const readAll = (handle: number): number[] => {
    const got: number[] = [];
    for (const key of DANGEROUS_KEYS) {
      attempt("GetString", handle, key);
      const next = attempt("GetHandle", handle, key);
      if (typeof next === "number") got.push(next);
      attempt("CallForString", handle, key, CODE);
    }
    return got;
  };
  const first: number[] = [];
  for (const path of grantPaths) {
    for (const result of [attempt("GetHandle", 0, path), attempt("CallForHandle", 0, path, CODE)]) {
      if (typeof result === "number") first.push(result);
    }
  }
  for (const handle of first) {
    for (const next of readAll(handle)) {
      attempt("CallSelf", next, CODE);
      readAll(next);
    }
  }
  return outcome;
}

/**
 * The texts that give away where the host's code is (`places`: its directory, its page's origin):
 * an error's `stack` or a function's source read as a string. Managed code may see messages, not
 * the host's files.
 */
export function hostPlacesIn(texts: readonly string[], places: readonly string[]): string[] {
  return texts.filter((text) => places.some((place) => text.includes(place)));
}

/**
 * The sandbox's membrane: what managed code loaded with `{ scope }` can reach in JavaScript.
 *
 * Reachable is what was granted, by construction, not what a filter failed to stop:
 *
 * - **Paths** (`"api.settings.theme"`) follow own properties of granted objects and the members of
 *   classes written in JavaScript. Built-in prototypes (`Object`, `Function`, `Array`, `Map`, the
 *   DOM's interfaces, iterators', …) contribute nothing, so their methods and inherited accessors
 *   (`ownerDocument`, `constructor`, `call`) are never read or run; nor do built-in constructors a
 *   class extends (its statics are reachable, `Error.captureStackTrace` or `Array.from` are not).
 *   `__proto__`, `constructor` and `prototype` are never followed, read, written or reported
 *   present, nor a function's `caller` and `arguments` or an arguments object's `callee`.
 * - **Values entering the sandbox** (results, property values, promise values, arguments of
 *   callbacks: everything that becomes a `JSObject` handle, and every function it calls) are
 *   admitted by {@link Membrane.admit}: data and the language's own data structures, functions and
 *   instances of JavaScript classes. Refused, unless the scope held that very object by name when
 *   it was first given to an assembly: a realm's global object, documents and DOM nodes, any other platform
 *   object (location, storage, workers, `process`), built-in prototypes, built-in constructors,
 *   `Reflect` and its functions (and their twins among `Object`'s statics), V8's
 *   `Error.captureStackTrace` (see {@link STACK_WRITER}), and the functions that turn
 *   text into code (`eval`, `Function`, `setTimeout`/`setInterval`; `open` and, bound, the
 *   methods and setters that load a URL, parse HTML or set a script's text: a location's
 *   `assign`, an element's `setAttribute` or `innerHTML`, a document's `write`, see
 *   {@link BOUND_CODE_LOADERS}; `WebAssembly.instantiate`, whose module's imports reach past the
 *   scope, see {@link MODULE_RUNNERS}) and the classes that extend them (`class
 *   Template extends Function`, whose `new` is `Function`'s) or `Worker` (whose `new` runs a
 *   `data:` URL's text). A struct copied from an
 *   admitted object reads its fields with {@link Membrane.read}, as paths do (objects.ts). An
 *   admitted `JSON.stringify` may not be called with a list of keys, nor walk into an object the
 *   assembly may not be given ({@link KEY_LIST_READERS}).
 * - **Writes** reach own properties of granted objects (or add new ones), never a key a built-in
 *   prototype or constructor defines, nor anything of the realm's own objects (a built-in function,
 *   `Math`, `JSON`, `console`), which every assembly and the host share.
 * - **Errors** reach managed code with their name and message, never their stack, which would
 *   tell the sandbox where the host's files are: not when one is thrown, nor when one is a value
 *   and managed code reads its `stack`. A thrown value that is not an error (a promise managed
 *   code made the host await can be rejected with any object it holds) is described by its tag,
 *   never converted: `String` runs the value's code, and a function's gives its source.
 *
 * The scope itself may not hold a global object, a document, a DOM node or a location: each leads
 * to the whole page (`innerHTML`, event-handler attributes and `javascript:` URLs run code). That
 * is refused at load.
 * See docs/reliability.md for the threat model.
 */
import { InteropError } from "../runtime/errors.ts";

const functionSource = Function.prototype.toString;
const objectTag = Object.prototype.toString;
const getPrototypeOf = Object.getPrototypeOf;
const ownDescriptor = Object.getOwnPropertyDescriptor;
const hasOwn = Object.hasOwn;

/**
 * Whether `key` of `object` leads to the language's machinery rather than to what was granted: the
 * three keys above on anything; on a function, the `caller` and `arguments` a sloppy-mode one has
 * as its own in some engines (Node 20's V8: while it runs, the function that called it, which the
 * scope need not grant, and that call's arguments); on an arguments object, its `callee`.
 */
function climbs(object: object, key: string): boolean {
  // Compared one by one rather than looked up in a set: on every step of every path, and most
  // keys differ from all three in length, which ends each comparison at once.
  if (key === "__proto__" || key === "constructor" || key === "prototype") return true;
  if (typeof object === "function") return key === "caller" || key === "arguments";
  return key === "callee" && objectTag.call(object) === "[object Arguments]";
}

/** Built-in (native) functions, cached: a function's source does not change. */
const nativeFunctions = new WeakMap<Function, boolean>();
function isNative(fn: Function): boolean {
  let native = nativeFunctions.get(fn);
  if (native === undefined) {
    try {
      native = /\{\s*\[native code\]\s*\}\s*$/.test(functionSource.call(fn));
    } catch {
      native = true; // a revoked proxy: nothing to trust
    }
    nativeFunctions.set(fn, native);
  }
  return native;
}

/** The built-in class whose prototype `object` is (its own `constructor` is native), if any. */
function builtInClassOf(object: object): Function | null {
  const constructor = ownDescriptor(object, "constructor")?.value as unknown;
  return typeof constructor === "function" && isNative(constructor) ? constructor : null;
}

/**
 * The prototypes of the language's own data structures, in this realm: an object that inherits
 * from them (a `Map`, a `Promise`, an `Error`, a class extending `Map`) is data, not a platform
 * object (and so are a `Blob`'s, a `File`'s and a Node `Buffer`'s bytes). Their members are still
 * not reachable by paths (they are built-in prototypes).
 */
const LANGUAGE_PROTOTYPES: ReadonlySet<object> = (() => {
  const g = globalThis as Record<string, unknown>;
  const classes = [
    "Object", "Array", "Function", "Map", "Set", "WeakMap", "WeakSet", "WeakRef", "Promise", "Date", "RegExp",
    "Error", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError", "AggregateError",
    "ArrayBuffer", "SharedArrayBuffer", "DataView", "Boolean", "Number", "String", "BigInt", "Symbol",
    "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
    "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array", "EventTarget",
    // Bytes, as the data of a JSStreamReference: nothing in them leads anywhere. Node's Buffer is
    // its Uint8Array, written in JavaScript: its prototype's `parent` gives the pool every small
    // Buffer of the process shares, with what others wrote there.
    "Blob", "File", "Buffer",
  ];
  const prototypes: object[] = [];
  for (const name of classes) {
    const constructor = g[name];
    if (typeof constructor === "function" && constructor.prototype) prototypes.push(constructor.prototype as object);
  }
  // The prototypes of async and generator functions, and of all typed arrays.
  prototypes.push(
    getPrototypeOf(async () => {}),
    getPrototypeOf(function* () {}),
    getPrototypeOf(async function* () {}),
    getPrototypeOf(Int8Array.prototype),
  );
  return new Set(prototypes);
})();

/**
 * What a path climbing from an object stops at, contributing nothing: a built-in prototype, or a
 * built-in constructor, which is the [[Prototype]] of a JavaScript class that extends it (`class
 * AppError extends Error`): the class's statics are its members, `Error.captureStackTrace` is not.
 * `verdicts` is the asking membrane's cache of {@link holdsEngineFunctions}.
 */
function isBuiltIn(prototype: object, verdicts: WeakMap<object, boolean>): boolean {
  return (
    LANGUAGE_PROTOTYPES.has(prototype) ||
    builtInClassOf(prototype) !== null ||
    (typeof prototype === "function" && isNative(prototype)) ||
    holdsEngineFunctions(prototype, verdicts)
  );
}

/**
 * The built-in functions managed code wrote into objects, by object and key (any sandbox's: one assembly's
 * write is in an object another may be granted too). A record of what happened, not a verdict:
 * {@link holdsEngineFunctions} leaves them out, so that no assembly can make an object it may
 * write look like an engine's by storing a built-in function there (`Math.max`, a bound
 * `console.log`), and so hide that object's members from every assembly whose objects inherit
 * from it.
 */
const writtenFunctions = new WeakMap<object, Map<string, unknown>>();

/** Whether managed code put `value` at `key` of `object` (and nothing has replaced it since). */
function wroteThere(object: object, key: PropertyKey, value: unknown): boolean {
  return typeof key === "string" && writtenFunctions.get(object)?.get(key) === value;
}

/**
 * Whether `prototype` holds a function of the engine's own, as a method or an accessor, and is no
 * JavaScript class's (whose `constructor` is written in JavaScript): then it is a built-in's,
 * though it has no native `constructor` to tell it by. So are the iterators' prototypes (an
 * array's, a `Map`'s, a generator's, a DOM `Headers` iterator's) and, in engines with iterator
 * helpers, `Iterator.prototype`, whose `constructor` is an accessor: through their `next`,
 * `flatMap` or `toArray` a sandbox would run the built-in iteration of any `Set` or `Map` it
 * holds, whose contents no path reaches. A class may borrow built-in methods (`push` from
 * `Array.prototype`, as jQuery does) and stays a class. A function managed code wrote there does
 * not count (see {@link writtenFunctions}).
 *
 * The verdict is taken once, in `verdicts`: each membrane's own, so that when an assembly first
 * asks decides nothing for another (a prototype gaining an engine function later keeps the verdict
 * each membrane took).
 */
function holdsEngineFunctions(prototype: object, verdicts: WeakMap<object, boolean>): boolean {
  let verdict = verdicts.get(prototype);
  if (verdict === undefined) {
    // A function here is the parent of a class that extends it: one written in JavaScript is a
    // class whatever its statics borrow (`static parse = JSON.parse`); a native one is caught above.
    const constructor = typeof prototype === "function" ? prototype : (ownDescriptor(prototype, "constructor")?.value as unknown);
    const ofAClass = typeof constructor === "function" && !isNative(constructor);
    verdict =
      !ofAClass &&
      Reflect.ownKeys(prototype).some((key) => {
        // A proxy may list a key it has no property for.
        const descriptor = ownDescriptor(prototype, key);
        if (descriptor === undefined) return false;
        if (typeof descriptor.value === "function") return isNative(descriptor.value) && !wroteThere(prototype, key, descriptor.value);
        return [descriptor.get, descriptor.set].some((part) => typeof part === "function" && isNative(part));
      });
    verdicts.set(prototype, verdict);
  }
  return verdict;
}

/**
 * Whether `owner` is an object of the engine's, shared by the whole realm rather than the host's
 * to grant piece by piece: a built-in function (a granted `Math.max`, a bound `console.log`), or a
 * namespace of them — `Math`, `JSON`, `Atomics`, `Intl`, `WebAssembly`, `console` (Node's and the
 * browser's), an iterator's prototype —, told by the tag the engine gives them (`[object Math]`)
 * and the engine functions they hold. A scope that grants `{ JSON }` grants calling its functions:
 * a write there (`JSON.stringify = …`, `console.error = …`) would change them for the host and for
 * every other assembly, and hand managed code what they print.
 */
function isEngineObject(owner: object, verdicts: WeakMap<object, boolean>): boolean {
  if (typeof owner === "function") return isNative(owner);
  return hasOwn(owner, Symbol.toStringTag) && holdsEngineFunctions(owner, verdicts);
}

/** Built-in functions that run text as code; refused even where they are not constructors. */
const CODE_RUNNERS = new Set([
  "eval", "Function", "AsyncFunction", "GeneratorFunction", "AsyncGeneratorFunction",
  "setTimeout", "setInterval", "importScripts", "execScript", "Proxy",
]);
/**
 * Built-in functions that load a URL into the page, where a `javascript:` URL's text runs as the
 * page's code: `window.open` (`open("javascript:…", "_self")`; called without a `this`, a window's
 * function works on its own window, so it needs no binding).
 */
const URL_LOADERS = new Set(["open"]);
/**
 * Built-in methods and setters that run text as the page's code when bound to the object they work
 * on (a "navigate", "set an attribute", "render" or "print" a host grants):
 * - a location's `assign` and `replace`, its `href` setter and a window's or document's `location`
 *   setter load a URL, a `javascript:` one included, and so does an iframe's or a script's `src`
 *   setter (a script's URL is its code: a `data:` URL is a script of the caller's text), and a
 *   form's `action` and a button's `formAction` setters, whose URL a submission loads;
 * - an element's `setAttribute` sets an event handler (`onerror`) as readily as a title;
 * - `insertAdjacentHTML`, `setHTMLUnsafe`, the `innerHTML` and `outerHTML` setters, a range's
 *   `createContextualFragment` and an editor's `execCommand` (`insertHTML`) parse HTML whose
 *   handlers run; a document's `write` and `writeln` write HTML whose scripts run too, and an
 *   iframe's `srcdoc` setter loads it into a frame of the page's origin;
 * - a script's `text` setter, and the text setters every element has (`textContent`, `innerText`,
 *   `outerText`), set a script's source, which runs once it has some.
 * Only the name tells: it refuses a stream writer's bound `write` as well, or a bound `replace` of
 * a string, which a host grants wrapped instead (`(chunk) => writer.write(chunk)`). Unbound they need
 * a location, a document or an element to be called on, which managed code never holds (and
 * `assign` and `replace` are as often `Object.assign` or `String.prototype.replace`): harmless.
 */
const LOADS_A_URL = "loads a URL: a javascript: URL runs as code";
const PARSES_HTML = "parses HTML: its event handlers run as code";
const SETS_TEXT = "sets an element's text: a script's text runs as code";
const BOUND_CODE_LOADERS: ReadonlyMap<string, string> = new Map([
  ["assign", LOADS_A_URL],
  ["replace", LOADS_A_URL],
  ["set href", LOADS_A_URL],
  ["set location", LOADS_A_URL],
  ["set src", "loads a URL: a javascript: URL, or a script's, runs as code"],
  ["set action", "sets where a form submits: a javascript: URL runs as code"],
  ["set formAction", "sets where a form submits: a javascript: URL runs as code"],
  ["setAttribute", "sets any attribute: an event handler's text runs as code"],
  ["setAttributeNS", "sets any attribute: an event handler's text runs as code"],
  ["insertAdjacentHTML", PARSES_HTML],
  ["setHTMLUnsafe", PARSES_HTML],
  ["set innerHTML", PARSES_HTML],
  ["set outerHTML", PARSES_HTML],
  ["createContextualFragment", PARSES_HTML],
  ["execCommand", "edits with HTML ('insertHTML'): its event handlers run as code"],
  ["write", "writes HTML into a document: its scripts and event handlers run as code"],
  ["writeln", "writes HTML into a document: its scripts and event handlers run as code"],
  ["set srcdoc", "loads HTML into a frame of the page's origin: its scripts run as code"],
  ["set text", SETS_TEXT],
  ["set textContent", SETS_TEXT],
  ["set innerText", SETS_TEXT],
  ["set outerText", SETS_TEXT],
]);
/**
 * Built-in constructors that run a script from a URL, where a `data:` URL is a script of the
 * caller's text: refused as constructors anyway, but a JavaScript class extending one (`class Pool
 * extends Worker`) has, without a constructor of its own, theirs.
 */
const SCRIPT_LOADERS = new Set(["Worker", "SharedWorker"]);
/**
 * Built-in functions that run a WebAssembly module of the caller's bytes (or of a response it
 * holds), whose imports the engine looks up with property reads on an object of the caller's
 * choice: through built-in prototypes, as the runtime's own import objects were before they lost
 * theirs. On any array, `(import "constructor" "constructor")` is `Function` and `(import
 * "constructor" "from")` is `Array.from`, which calls the function `Function` made of a string the
 * module imports: managed code's text, run as the host's code. A scope granting the realm's
 * namespaces (`{ JSON, WebAssembly }`) grants `validate` and `compile` (whose `Module` is refused),
 * not these.
 */
const MODULE_RUNNERS = new Set(["instantiate", "instantiateStreaming"]);
const webAssembly = (globalThis as { WebAssembly?: Record<string, unknown> }).WebAssembly;
/** The same functions as this realm has them (Node's timers are JavaScript, not built-ins, but refused all the same). */
const CODE_RUNNER_VALUES: ReadonlyMap<unknown, string> = new Map(
  [
    ...[...CODE_RUNNERS, ...URL_LOADERS, ...SCRIPT_LOADERS].map((name) => [(globalThis as Record<string, unknown>)[name], name] as const),
    ...[...MODULE_RUNNERS].map((name) => [webAssembly?.[name], name] as const),
  ].filter(([value]) => value !== undefined),
);

/** A function's own name, without the "bound " a `bind` puts before it. */
function unboundName(fn: Function): string {
  return String(ownDescriptor(fn, "name")?.value ?? "").replace(/^(bound )+/, "");
}

/**
 * What `fn` is, with how it runs text as code, if it is a built-in function that does (bound or
 * not): `'eval', which runs text as code`; else null.
 */
function codeRunnerName(fn: Function): string | null {
  const known = CODE_RUNNER_VALUES.get(fn);
  if (!known && !isNative(fn)) return null;
  const name = known ?? unboundName(fn);
  if (CODE_RUNNERS.has(name)) return `'${name}', which runs text as code`;
  const bound = String(ownDescriptor(fn, "name")?.value ?? "").startsWith("bound ");
  if (URL_LOADERS.has(name)) return `'${name}', which loads a URL: a javascript: URL runs as code`;
  const loads = bound ? BOUND_CODE_LOADERS.get(name) : undefined;
  if (loads) return `'${name}' (bound), which ${loads}`;
  if (SCRIPT_LOADERS.has(name)) return `'${name}', which runs a script from a URL: a data: URL's text runs as code`;
  if (MODULE_RUNNERS.has(name)) {
    return `'${name}', which runs a WebAssembly module with imports looked up past the scope (through built-in prototypes: Function)`;
  }
  return null;
}

/**
 * The code runner a function inherits from, if any: a class that extends `Function` (or one of
 * its kin) has, without a constructor of its own, `Function`'s — `new` on it makes a function of
 * the text it is given — and so does a function bound to such a class; one that extends `Worker`
 * runs the script at the URL it is given.
 */
function codeRunnerAncestor(fn: Function): string | null {
  for (let parent = getPrototypeOf(fn) as object | null; parent; parent = getPrototypeOf(parent) as object | null) {
    const name = typeof parent === "function" ? codeRunnerName(parent) : null;
    if (name) return name;
  }
  return null;
}

/**
 * `Reflect`: a plain object to look at, but what its functions do is what the membrane keeps from
 * managed code, on any object it holds — `get` reads through built-in prototypes and runs their
 * accessors (a typed array's `buffer`: the whole buffer under a granted subarray), reads an error's
 * `stack` and a function's `caller`; `set` and `defineProperty` write any key, `setPrototypeOf`
 * reshapes a granted object — as a built-in constructor's statics would (`Object`'s, refused with
 * it). Refused as they are, unless granted by name.
 */
const REFLECT: unknown = (globalThis as { Reflect?: object }).Reflect;

/**
 * Reflect's functions, and their twins among `Object`'s statics, granted one by one (`{ describe:
 * Object.getOwnPropertyDescriptor, merge: Object.assign }`): refused for what `Reflect` is refused
 * for. `getOwnPropertyDescriptor(error, "stack")` reads the stack the membrane keeps from managed
 * code (the host's file paths), `getPrototypeOf(session)` gives a class's prototype, which no path
 * reaches and whose methods every instance shares, to be written; `assign`, `defineProperty` and
 * `setPrototypeOf` write any key of any object managed code holds (one a built-in defines, `Math`'s).
 * Known by identity in this realm, and by their names (which nothing else has) bound or in another.
 */
const REFLECTION_NAMES = [
  "defineProperty", "defineProperties", "getOwnPropertyDescriptor", "getOwnPropertyDescriptors", "getPrototypeOf", "setPrototypeOf",
];
const REFLECTION: ReadonlyMap<unknown, string> = new Map([
  ...Object.getOwnPropertyNames(Reflect).map((name) => [(Reflect as unknown as Record<string, unknown>)[name], `Reflect.${name}`] as const),
  ...[...REFLECTION_NAMES, "assign"].map((name) => [(Object as unknown as Record<string, unknown>)[name], `Object.${name}`] as const),
].filter(([value]) => typeof value === "function"));
const REFLECTION_NAME_SET: ReadonlySet<string> = new Set(REFLECTION_NAMES);

/**
 * Which of a family of built-in functions `fn` is: its name in `known` (this realm's, by identity),
 * or, for a built-in function bound or of another realm, its own name if `names` holds it.
 */
function builtInOf(fn: Function, known: ReadonlyMap<unknown, string>, names: ReadonlySet<string>): string | null {
  const found = known.get(fn);
  if (found) return found;
  if (!isNative(fn)) return null;
  const name = unboundName(fn);
  return names.has(name) ? name : null;
}

/** Which reflection function `fn` is (`Object.assign`), if it is one (see {@link REFLECTION}). */
function reflectionName(fn: Function): string | null {
  return builtInOf(fn, REFLECTION, REFLECTION_NAME_SET);
}

/**
 * V8's `Error.captureStackTrace(object)`: it writes the host's stack where the call is made (the
 * host's file paths, which an error shows managed code as empty) onto any object as its own
 * `stack`, which a path reads on an object that is no error; and onto the realm's own objects
 * (`Math`, a built-in function), past the write rules. Known by identity in this realm, and by
 * name (bound, or another realm's).
 */
const STACK_WRITER: unknown = (Error as { captureStackTrace?: unknown }).captureStackTrace;

/** Whether `fn` is {@link STACK_WRITER}, here or bound or in another realm. */
function isStackWriter(fn: Function): boolean {
  return fn === STACK_WRITER || (isNative(fn) && unboundName(fn) === "captureStackTrace");
}

/**
 * Built-in functions that, given a list of keys, read each of them by [[Get]] from every object they
 * meet, past the membrane's rules: `JSON.stringify(value, ["stack"])` gives an error's stack (the
 * host's file paths), which reads as empty, and runs the accessors of built-in prototypes
 * (`["buffer"]`, an inherited getter a library installed), as `Reflect.get` would. Without a list
 * (no replacer, or a function) it reads own enumerable properties, as paths do, and is granted as
 * ever: a scope granting `{ JSON }` grants that. But it reads them all the way down, where a path
 * stops at an object the assembly may not be given: a granted settings store holding `localStorage`,
 * or a logger holding Node's `process`, gave the storage's items or `process.env` as text. So it is
 * called with a replacer of the membrane's that refuses such an object before the walk enters it
 * (see {@link Membrane.checkArguments}). Known by identity in this realm, and by name (bound, or
 * another realm's).
 */
const KEY_LIST_READERS: ReadonlyMap<unknown, string> = new Map([[JSON.stringify, "JSON.stringify"]]);
const KEY_LIST_READER_NAMES: ReadonlySet<string> = new Set(["stringify"]);

/** Which key-list reader `fn` is, if it is one (see {@link KEY_LIST_READERS}). */
function keyListReaderName(fn: Function): string | null {
  return builtInOf(fn, KEY_LIST_READERS, KEY_LIST_READER_NAMES);
}

/**
 * `Object.freeze`, `seal` and `preventExtensions` (granted one by one, as `Object.keys` is): a
 * change to the object they are given, as a write is, so not to one of the engine's own
 * (`Math`, `JSON`, `console`, a built-in function), which the whole realm shares: frozen, the
 * host's own later writes there (a polyfill, a test's mock of `console.log`) fail. `Reflect`'s
 * `preventExtensions` is refused with `Reflect`. Known by identity in this realm, and by name
 * (bound, or another realm's).
 */
const SHAPE_FIXERS: ReadonlyMap<unknown, string> = new Map(
  (["freeze", "seal", "preventExtensions"] as const).map((name) => [Object[name], `Object.${name}`] as const),
);
const SHAPE_FIXER_NAMES: ReadonlySet<string> = new Set(["freeze", "seal", "preventExtensions"]);

/** Which shape fixer `fn` is, if it is one (see {@link SHAPE_FIXERS}). */
function shapeFixerName(fn: Function): string | null {
  return builtInOf(fn, SHAPE_FIXERS, SHAPE_FIXER_NAMES);
}

/** What a refused value is, for the message; null when it is admitted. */
function refusal(value: object): string | null {
  if (value === globalThis) return "the global object";
  if (value === REFLECT) return "the built-in namespace 'Reflect', whose functions reach past the scope (a built-in constructor's statics)";
  if (typeof value === "function") {
    const runner = codeRunnerName(value);
    if (runner) return `the built-in function ${runner}`;
    const parent = codeRunnerAncestor(value);
    if (parent) return `a class extending the built-in ${parent}`;
    if (!isNative(value)) return null;
    const reflection = reflectionName(value);
    if (reflection) return `the built-in function '${reflection}', which reaches past the scope (it reads or writes any object's properties, as Reflect's functions do)`;
    if (isStackWriter(value)) return "the built-in function 'Error.captureStackTrace', which writes the host's stack (its file paths) onto any object";
    if (hasOwn(value, "prototype")) return `the built-in constructor '${unboundName(value)}'`;
    return null;
  }
  const ownClass = builtInClassOf(value);
  if (ownClass) return `the prototype of the built-in '${ownClass.name}'`;
  for (let prototype = getPrototypeOf(value) as object | null; prototype; prototype = getPrototypeOf(prototype) as object | null) {
    if (LANGUAGE_PROTOTYPES.has(prototype)) continue;
    const builtIn = builtInClassOf(prototype);
    if (builtIn) return describePlatformObject(value, builtIn);
  }
  return null;
}

/**
 * The verdict on `value` ({@link refusal}), also for a window or a location of another origin (a
 * frame's, one `window.open` gave): they let no property but a few be read, and throw at any other
 * look a `SecurityError` that names the page's origin, which the sandbox is not told. Refused in
 * words of the membrane's own. What else throws (a proxy's trap: the host's code) is its own error,
 * as anywhere.
 */
function verdictOf(value: object): string | null {
  try {
    return refusal(value);
  } catch (error) {
    if (isWindowOfAnotherOrigin(value)) return "a global object (a window of another origin)";
    if (typeof DOMException === "function" && error instanceof DOMException && error.name === "SecurityError") return "an object of another origin";
    throw error;
  }
}

/** A window lets its `window` (itself) be read from any origin. */
function isWindowOfAnotherOrigin(value: object): boolean {
  try {
    return (value as { window?: unknown }).window === value;
  } catch {
    return false;
  }
}

function describePlatformObject(value: object, builtIn: Function): string {
  const tag = objectTag.call(value).slice(8, -1);
  if (/Window|global|GlobalScope/.test(tag)) return `a global object (${tag})`;
  if (/Document$/.test(tag)) return `a document (${tag})`;
  if (isDomNode(value)) return `a DOM node (${tag})`;
  return `a platform object (${builtIn.name || tag})`;
}

function isDomNode(value: object): boolean {
  const NodeClass = (globalThis as { Node?: new () => object }).Node;
  if (typeof NodeClass === "function" && value instanceof NodeClass) return true;
  // A node of another realm (an iframe's).
  for (let prototype = getPrototypeOf(value) as object | null; prototype; prototype = getPrototypeOf(prototype) as object | null) {
    if (builtInClassOf(prototype)?.name === "Node") return true;
  }
  return false;
}

/** An error, of this realm or another (whose `Error` it does not inherit from). */
function isError(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value instanceof Error || objectTag.call(value) === "[object Error]");
}

/**
 * What a scope may not hold at all: each of these leads to the whole page. A location does too,
 * though not by its properties: they are its own (`href`, `assign`, `replace`), so a scope granting
 * one grants them, and each loads a URL into the page, where a `javascript:` URL runs as code. An
 * object of another origin is a window's or a location's.
 */
function forbiddenInScope(value: unknown): string | null {
  if (typeof value !== "object" || value === null) return null;
  if (value === globalThis) return "the global object";
  const reason = verdictOf(value);
  return reason && /^(a (global object|document|DOM node)|a platform object \(Location\)|an object of another origin)/.test(reason) ? reason : null;
}

export interface JSAccess {
  /** Whether paths are walked through a membrane (`{ scope }` was given). */
  readonly sandboxed: boolean;
  /** What identifiers resolve from. */
  readonly root: object;
  /**
   * The value at `key` of `owner` as managed code may see it; `undefined` when it does not exist
   * or the grant does not reach it.
   */
  read(owner: unknown, key: string): unknown;
  /** Whether {@link read} would find `key` (`hasProperty`). */
  has(owner: unknown, key: string): boolean;
  /** Checks that managed code may write `key` of `owner`, else throws. */
  checkWrite(owner: object, key: string): void;
  /** Managed code wrote the function `value` at `key` of `owner` (asked only for functions). */
  wroteFunction(owner: object, key: string, value: Function): void;
  /** Throws unless `value` may be handed to managed code (as a handle, or as a function it calls). */
  admit(value: object): void;
  /**
   * Whether a function admitted so far takes arguments the membrane checks ({@link checkArguments}):
   * false until then, so that a call asks no more than this.
   */
  readonly checksArguments: boolean;
  /** Whether managed code's calls of `fn` (admitted) go through {@link checkArguments}. */
  checksArgumentsOf(fn: Function): boolean;
  /**
   * The arguments to call `fn` (admitted) with when managed code calls it with `args`: `args`, or
   * the same with what checks the call as it runs (`JSON.stringify`'s replacer). Throws if managed
   * code may not call it so.
   */
  checkArguments(fn: Function, args: readonly unknown[]): readonly unknown[];
  /** The stack an error shows to managed code. */
  stackOf(error: Error): string;
  /**
   * The text managed code reads of a thrown value that is not an `Error`, or of an error's name or
   * message that is not a string.
   */
  textOf(value: unknown): string;
  /** What the host's console shows of text managed code wrote (a `trace`, a failure nothing waits for). */
  consoleText(text: string): string;
}

/** No membrane: the assembly reaches `globalThis`, as in Blazor. */
export const openAccess: JSAccess = {
  sandboxed: false,
  root: globalThis,
  read: (owner, key) => (owner == null ? undefined : (owner as Record<string, unknown>)[key]),
  has: (owner, key) => owner != null && key in Object(owner),
  checkWrite: () => {},
  wroteFunction: () => {},
  admit: () => {},
  checksArguments: false,
  checksArgumentsOf: () => false,
  checkArguments: (_fn, args) => args,
  stackOf: (error) => error.stack ?? "",
  // Blazor's `error.toString()`.
  textOf: (value) => String(value),
  consoleText: (text) => text,
};

/**
 * Characters that act on a terminal or a log instead of showing: the C0 and C1 controls (a newline
 * forges a log line; ESC starts a terminal's escape sequences, which recolour, clear the screen,
 * retitle the window and, in some terminals, write the clipboard), the line and paragraph
 * separators, and the bidirectional overrides that reorder what a line shows.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every character of {@link UNPRINTABLE} written as its `\uXXXX` escape. */
function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * What each scope grants by name: itself and the values of its own data properties, as they were
 * when it was first given to an assembly. Not looked up again at each admission, nor at a reload,
 * nor when the same scope is given to another assembly: managed code writes the scope's own
 * properties, and a granted method it stores there and calls runs with the scope as `this`, so
 * what host code then writes to `this` (`this.view = window`, `Object.assign(this, patch)`) would
 * become granted, for the assembly or for the next one the scope is given to.
 */
const grantedByName = new WeakMap<object, ReadonlySet<unknown>>();

export class Membrane implements JSAccess {
  readonly sandboxed = true;
  /** Verdicts on values met so far: null (admitted) or why not. */
  readonly #verdicts = new WeakMap<object, string | null>();
  /** This membrane's verdicts of {@link holdsEngineFunctions}, by object. */
  readonly #engineHolders = new WeakMap<object, boolean>();
  /**
   * The function last admitted: a loop calling one function asks about it on every call. Only a
   * function: most are granted for good, and a closure a granted function returned stays alive
   * (with what it captured) only until another function is admitted, where a buffer held here
   * would outlive its use.
   */
  #lastAdmitted: Function | null = null;
  /** What the scope grants by name (see {@link grantedByName}). */
  readonly #byName: ReadonlySet<unknown>;
  /** The admitted functions whose arguments are checked, with their names (see {@link KEY_LIST_READERS}). */
  readonly #keyListReaders = new WeakMap<Function, string>();
  /** The admitted functions that fix an object's shape, with their names (see {@link SHAPE_FIXERS}). */
  readonly #shapeFixers = new WeakMap<Function, string>();
  checksArguments = false;

  constructor(
    readonly root: object,
    private readonly assemblyName: string,
  ) {
    const known = grantedByName.get(root);
    if (known) {
      // Checked when it was first given: what was written to it since is not granted.
      this.#byName = known;
      return;
    }
    const held = [["", root], ...Object.entries(Object.getOwnPropertyDescriptors(root)).map(([key, d]) => [key, d.value])] as const;
    for (const [key, value] of held) {
      const reason = forbiddenInScope(value);
      if (reason) {
        throw new InteropError(
          `The scope of the assembly '${assemblyName}' ${key ? `grants '${key}', ` : "is "}${reason}. A sandbox cannot hold ` +
            `global objects, documents, DOM nodes or locations: from any of them the whole page is reachable (innerHTML, ` +
            `event-handler attributes and javascript: URLs run code). Grant functions that do what the assembly needs instead, or load it ` +
            `without { scope } to give it full access.`,
        );
      }
    }
    this.#byName = new Set(held.map(([, value]) => value));
    grantedByName.set(root, this.#byName);
  }

  read(owner: unknown, key: string): unknown {
    const holder = this.#holderOf(owner, key);
    if (holder === null) return undefined;
    // An error's own stack names the host's files: read, it is what a thrown one shows (none).
    if (key === "stack" && (isError(owner) || isError(holder))) return this.stackOf();
    return (owner as Record<string, unknown>)[key];
  }

  has(owner: unknown, key: string): boolean {
    return this.#holderOf(owner, key) !== null;
  }

  /**
   * Where a read of `key` finds it: `owner` for an own property, or a prototype up to the first
   * built-in (prototype or constructor) for a member of a JavaScript class; null when it does not
   * reach it. What holds it is judged as an owner would be: an object made with a granted
   * `Object.create(fn)` inherits a sloppy-mode function's own `caller` and `arguments`, which the
   * engine reads off the function it finds them on (the host function that called it, while it
   * runs, and that call's arguments).
   */
  #holderOf(owner: unknown, key: string): object | null {
    if (owner == null) return null;
    const object = Object(owner) as object;
    if (climbs(object, key)) return null;
    if (hasOwn(object, key)) return object;
    for (let prototype = getPrototypeOf(object) as object | null; prototype; prototype = getPrototypeOf(prototype) as object | null) {
      if (isBuiltIn(prototype, this.#engineHolders)) return null;
      if (hasOwn(prototype, key)) return climbs(prototype, key) ? null : prototype;
    }
    return null;
  }

  checkWrite(owner: object, key: string): void {
    if (climbs(owner, key)) throw this.#cannotWrite(key, "it leads to the language's machinery");
    if (isEngineObject(owner, this.#engineHolders)) {
      throw new InteropError(
        `The assembly '${this.assemblyName}' cannot set '${key}': the object is one of the engine's own (a built-in function, or a ` +
          `namespace of them such as Math, JSON or console), which the whole realm shares: its scope grants calling it, not changing it.`,
      );
    }
    if (hasOwn(owner, key)) return this.#checkSetter(owner, key);
    // Not own: a setter of the object's own class may run; anything a built-in defines may not
    // (an inherited setter such as innerHTML, or a built-in method the write would shadow).
    for (let prototype = getPrototypeOf(owner) as object | null; prototype; prototype = getPrototypeOf(prototype) as object | null) {
      if (!hasOwn(prototype, key)) continue;
      if (isBuiltIn(prototype, this.#engineHolders)) throw this.#cannotWrite(key, "a built-in defines it");
      if (climbs(prototype, key)) throw this.#cannotWrite(key, "it leads to the language's machinery");
      return this.#checkSetter(prototype, key);
    }
  }

  /**
   * A write runs the setter where `key` is an accessor: with managed code's value, as a call would.
   * A setter the membrane would refuse as a function (a bound `innerHTML` setter an object borrows,
   * `eval`) is refused as one, unless the scope grants it by name.
   */
  #checkSetter(holder: object, key: string): void {
    const setter = ownDescriptor(holder, key)?.set;
    if (typeof setter !== "function") return;
    const verdict = this.#verdictOf(setter);
    if (verdict === null || this.#grantedByName(setter)) return;
    throw new InteropError(`The assembly '${this.assemblyName}' cannot set '${key}': its setter is ${verdict}, which its scope does not grant by name.`);
  }

  wroteFunction(owner: object, key: string, value: Function): void {
    // Only an engine's function counts in a verdict (a delegate, kept here, would keep its retired
    // instance alive as long as the object lives).
    if (!isNative(value)) return;
    let written = writtenFunctions.get(owner);
    if (!written) writtenFunctions.set(owner, (written = new Map()));
    written.set(key, value);
  }

  #cannotWrite(key: string, why: string): InteropError {
    return new InteropError(`The assembly '${this.assemblyName}' cannot set '${key}': ${why}, and its scope grants only own properties.`);
  }

  admit(value: object): void {
    if (value === this.#lastAdmitted) return;
    const verdict = this.#verdictOf(value);
    if (verdict === null) {
      if (typeof value === "function") this.#lastAdmitted = value;
      return;
    }
    if (this.#grantedByName(value)) return;
    throw new InteropError(
      `The assembly '${this.assemblyName}' cannot be given ${verdict}: its scope does not grant it by name.`,
    );
  }

  /** {@link verdictOf}, taken once per value. */
  #verdictOf(value: object): string | null {
    let verdict = this.#verdicts.get(value);
    if (verdict === undefined) {
      this.#verdicts.set(value, (verdict = verdictOf(value)));
      if (verdict === null && typeof value === "function") this.#noteCheckedFunction(value);
    }
    return verdict;
  }

  /**
   * On first sight of an admitted function: one that reads a list of keys, or fixes an object's
   * shape, is checked when called.
   */
  #noteCheckedFunction(fn: Function): void {
    if (this.#grantedByName(fn)) return;
    const reader = keyListReaderName(fn);
    if (reader !== null) this.#keyListReaders.set(fn, reader);
    const fixer = reader === null ? shapeFixerName(fn) : null;
    if (fixer !== null) this.#shapeFixers.set(fn, fixer);
    if (reader !== null || fixer !== null) this.checksArguments = true;
  }

  checksArgumentsOf(fn: Function): boolean {
    return this.#keyListReaders.has(fn) || this.#shapeFixers.has(fn);
  }

  checkArguments(fn: Function, args: readonly unknown[]): readonly unknown[] {
    const fixer = this.#shapeFixers.get(fn);
    if (fixer !== undefined) {
      const target = args[0];
      if (((typeof target === "object" && target !== null) || typeof target === "function") && isEngineObject(target, this.#engineHolders)) {
        throw new InteropError(
          `The assembly '${this.assemblyName}' cannot call '${fixer}' on an object of the engine's own (a built-in function, or a namespace ` +
            `of them such as Math, JSON or console), which the whole realm shares: its scope grants calling it, not changing it.`,
        );
      }
      return args;
    }
    const name = this.#keyListReaders.get(fn);
    if (name === undefined) return args;
    const [value, replacer, ...rest] = args;
    if (Array.isArray(replacer)) {
      throw new InteropError(
        `The assembly '${this.assemblyName}' cannot call '${name}' with a list of keys: it reads each of them from every object it meets ` +
          `past what its scope grants (through built-in prototypes, and an error's stack). Pass a replacer function, or none.`,
      );
    }
    return [value, this.#walkChecker(name, replacer), ...rest];
  }

  /**
   * A replacer for `JSON.stringify` that lets the walk enter only objects managed code may be
   * given, as a path would: it sees each value before the walk reads its properties, both as its
   * holder has it and as `toJSON` and managed code's own replacer (`replacer`, if a function) made
   * it. Called on its holder and returning what it was given, it changes nothing else.
   */
  #walkChecker(name: string, replacer: unknown): (this: unknown, key: string, value: unknown) => unknown {
    const membrane = this;
    return function (this: unknown, key: string, value: unknown): unknown {
      if (typeof this === "object" && this !== null) membrane.#checkWalked(name, key, ownDescriptor(this, key)?.value);
      const result = typeof replacer === "function" ? Reflect.apply(replacer, this, [key, value]) : value;
      membrane.#checkWalked(name, key, result);
      return result;
    };
  }

  #checkWalked(name: string, key: string, value: unknown): void {
    if (typeof value !== "object" || value === null) return;
    const verdict = this.#verdictOf(value);
    if (verdict === null || this.#grantedByName(value)) return;
    throw new InteropError(
      `The assembly '${this.assemblyName}' cannot call '${name}' on a value that holds ${verdict} (at '${key}'): it would read what ` +
        `its scope does not grant.`,
    );
  }

  /** The scope itself, or the value of one of its own data properties when the assembly was loaded. */
  #grantedByName(value: object): boolean {
    return this.#byName.has(value);
  }

  stackOf(): string {
    return "";
  }

  /**
   * A primitive's text; an object's or a function's tag (`[object Object]`, `[object Function]`):
   * converting it would run its code, whoever's that is — a function's `toString` gives its source,
   * the host's code, and an object's may be a delegate managed code stored there.
   */
  textOf(value: unknown): string {
    return (typeof value === "object" && value !== null) || typeof value === "function" ? objectTag.call(value) : String(value);
  }

  /**
   * A trace, or a failure nothing waits for, reaches the host's console (in Node, its standard
   * output or error, often a terminal or a log file) though the scope grants no console: shown
   * with its controls escaped, it cannot forge a line of the host's log or send a terminal escape
   * sequences.
   */
  consoleText(text: string): string {
    return printable(text);
  }
}

/** The access an assembly's calls into JS have: open, or through a membrane around `scope`. */
export function jsAccess(scope: object | undefined, assemblyName: string): JSAccess {
  return scope === undefined || scope === globalThis ? openAccess : new Membrane(scope, assemblyName);
}

/**
 * The page side of e2e/sandbox.spec.ts: the sandbox attacked where the DOM is (issue 14). Bundled
 * on the fly with the runtime, fast-check and the attack model of the Node suite
 * (test/sandbox-attacks.ts); the assembly is test/fixtures/sandbox.ts. Only plain results cross
 * the DevTools protocol.
 */
import fc from "fast-check";
import { InteropRuntime } from "../../host/runtime/index.ts";
import { attacks, exhaustiveAttacks, hostPlacesIn, installCanaries, mustNotHold, pathsOf, realmChanges, runAttacks, snapshotRealm, touched } from "../../test/sandbox-attacks.ts";

const NAME = "sandbox";
let module: WebAssembly.Module;
/** test/fixtures/sandbox-probe.ts: an attacker whose calls take any arguments. */
let probe: WebAssembly.Module;
const PROBE = "sandbox-probe";

/** A custom element: a JavaScript class, but a DOM node all the same. */
class FancyButton extends HTMLElement {}
customElements.define("fancy-button", FancyButton);

/** A JavaScript class whose instance holds DOM objects in its own fields. */
class Widget {
  element = document.body;
  label = "widget";
  describe(): string {
    return `widget ${this.label}`;
  }
}

const frame = document.createElement("iframe");
// What a framework leaves on nodes (React's fibers, say): plain objects, reachable only through the node.
Object.assign(document.body, { expando: { deeper: { secret: "framework state" } } });
document.body.append(frame);

/**
 * Granted functions and properties that lead to the page: each must be refused when it would
 * cross, and nothing they lead to may ever be reached.
 */
function domScope(reported: unknown[]) {
  const scope = {
    api: {
      version: () => "1.0",
      settings: { theme: "dark" },
      echo: (x: unknown) => x,
      // An iterator's prototypes are the engine's (in Chromium, Iterator.prototype's helpers too).
      *pages() {
        yield document.body;
      },
    },
    widget: new Widget(),
    dom: {
      body: () => document.body,
      document: () => document,
      window: () => window,
      location: () => location,
      storage: () => localStorage,
      event: () => new Event("click"),
      nodes: () => document.querySelectorAll("*"),
      fancy: () => new FancyButton(),
      frameWindow: () => frame.contentWindow,
      frameDocument: () => frame.contentDocument,
      range: () => document.createRange(),
      get viaGetter() {
        return document;
      },
      holder: { element: document.body },
      error: () => new TypeError("granted code failed"),
    },
  };
  Object.defineProperty(scope, "report", { value: (o: unknown) => void reported.push(o), enumerable: false });
  return scope;
}

/** What must never be held: the page's realm and every node in it, the frame's too. */
function forbidden(secret: object): Set<unknown> {
  return new Set<unknown>([
    window, document, location, localStorage, frame.contentWindow, frame.contentDocument, secret,
    Function, eval, Object.prototype, Function.prototype, Node.prototype, Element.prototype, HTMLElement.prototype,
    ...document.querySelectorAll("*"),
  ]);
}

async function load(runtime: InteropRuntime, scope: object) {
  await runtime.loadAssembly(module, { scope });
  return (method: string, ...args: unknown[]) => runtime.invokeMethod(NAME, method, ...args);
}

const canaries = installCanaries([Node.prototype, Element.prototype, HTMLElement.prototype, Document.prototype, EventTarget.prototype, Window.prototype]);

/**
 * What each attempt of a probe got, by name: `got <value>`, or its error as `describe` tells it
 * (the message, by default). Each attempt is awaited before the next starts.
 */
function attempts(describe = (error: Error) => error.message) {
  const outcomes: Record<string, string> = {};
  const attempt = async (name: string, run: () => unknown) => {
    try {
      outcomes[name] = `got ${String(await run())}`;
    } catch (error) {
      outcomes[name] = describe(error as Error);
    }
  };
  return { outcomes, attempt };
}

export interface Exploration {
  readonly sequences: number;
  readonly tried: number;
  readonly succeeded: number;
  /** Canaries and baits touched (must be none). */
  readonly touched: string[];
  /** Forbidden objects the assembly held (must be none). */
  readonly held: string[];
  /** Properties of the realm's built-ins added, removed or replaced (must be none). */
  readonly changed: string[];
  readonly counterexample: string | null;
}

const sandbox = {
  async init(url: string, probeUrl: string): Promise<void> {
    [module, probe] = await Promise.all([WebAssembly.compileStreaming(fetch(url)), WebAssembly.compileStreaming(fetch(probeUrl))]);
  },

  /** Loading with a global object, a document or a node in the scope: each message. */
  async scopesRefused(): Promise<string[]> {
    const messages: string[] = [];
    for (const scope of [{ el: document.body }, { doc: document }, { win: window }, { frame: frame.contentWindow! }, document.body, { fancy: new FancyButton() }]) {
      try {
        await new InteropRuntime().loadAssembly(module, { scope });
        messages.push("loaded");
      } catch (error) {
        messages.push((error as Error).message);
      }
    }
    return messages;
  },

  /** Each way out tried once: the error it got (or what it got). */
  async refusals(): Promise<Record<string, string>> {
    const call = await load(new InteropRuntime(), domScope([]));
    const tries: Record<string, () => unknown> = {
      "call dom.body": () => call("CallForHandle", 0, "dom.body", ""),
      "call dom.document": () => call("CallForHandle", 0, "dom.document", ""),
      "call dom.window": () => call("CallForHandle", 0, "dom.window", ""),
      "call dom.location": () => call("CallForHandle", 0, "dom.location", ""),
      "call dom.storage": () => call("CallForHandle", 0, "dom.storage", ""),
      "call dom.event": () => call("CallForHandle", 0, "dom.event", ""),
      "call dom.nodes": () => call("CallForHandle", 0, "dom.nodes", ""),
      "call dom.fancy": () => call("CallForHandle", 0, "dom.fancy", ""),
      "call dom.frameWindow": () => call("CallForHandle", 0, "dom.frameWindow", ""),
      "call dom.frameDocument": () => call("CallForHandle", 0, "dom.frameDocument", ""),
      "call dom.range": () => call("CallForHandle", 0, "dom.range", ""),
      "get dom.viaGetter": () => call("GetHandle", 0, "dom.viaGetter"),
      "get widget.element": () => call("GetHandle", 0, "widget.element"),
      "get widget.element.expando": () => call("GetHandle", 0, "widget.element.expando.deeper"),
      "copy dom.holder": () => call("GetString", 0, "dom.holder"),
      "get dom.holder.element.ownerDocument": () => call("GetHandle", 0, "dom.holder.element.ownerDocument"),
      "get widget.element.ownerDocument": () => call("GetHandle", 0, "widget.element.ownerDocument"),
      "take body": () => call("Take", document.body),
      "take event": () => call("Take", new MouseEvent("click")),
      "copy document": () => call("TakeCopy", document),
      "copy storage": () => call("TakeCopy", localStorage),
      "stack of an error": () => call("GetString", call("CallForHandle", 0, "dom.error", ""), "stack"),
    };
    const { outcomes, attempt } = attempts();
    for (const [name, run] of Object.entries(tries)) await attempt(name, run);
    // The grant itself still works.
    outcomes["widget.describe"] = String(call("CallForString", 0, "widget.describe", ""));
    return outcomes;
  },

  /**
   * The iterator helpers of an iterator the scope gives (`Iterator.prototype.flatMap`, `toArray`)
   * run on a Set it also gives, whose contents no path reaches; and a DOM iterator's `next`. What
   * each attempt got.
   */
  async iteratorHelpers(): Promise<Record<string, string>> {
    const scope = {
      api: {
        *pages() {
          yield 1;
        },
        headers: () => new Headers({ token: "t0ken" }).entries(),
      },
      vault: new Set(["secret"]),
    };
    const call = await load(new InteropRuntime(), scope);
    const { outcomes, attempt } = attempts();
    const pages = call("CallForHandle", 0, "api.pages", "") as number;
    const vault = call("GetHandle", 0, "vault") as number;
    await attempt("flatMap over the vault", () => call("FlattenThrough", pages, vault));
    await attempt("has flatMap", () => call("Has", pages, "flatMap"));
    const headers = call("CallForHandle", 0, "api.headers", "") as number;
    await attempt("next of a DOM iterator", () => call("CallForHandle", headers, "next", ""));
    return outcomes;
  },

  /**
   * A window of another origin (a frame's, or one `window.open` gave) and its location, which throw
   * at most looks, held in the grant or returned by it: what each way of reaching them got.
   */
  async crossOrigin(url: string): Promise<Record<string, string>> {
    const other = document.createElement("iframe");
    other.src = url;
    await new Promise((resolve) => {
      other.onload = resolve;
      document.body.append(other);
    });
    const foreign = other.contentWindow!;
    const { outcomes, attempt } = attempts((error) => `${error.name}: ${error.message}`);
    await attempt("load with it in the scope", () => new InteropRuntime().loadAssembly(module, { scope: { frame: foreign } }).then(() => "loaded"));
    const call = await load(new InteropRuntime(), { holder: { frame: foreign }, api: { frame: () => foreign, location: () => foreign.location } });
    await attempt("get holder.frame", () => call("GetHandle", 0, "holder.frame"));
    await attempt("copy holder.frame", () => call("GetString", 0, "holder.frame"));
    await attempt("has holder.frame.x", () => call("Has", 0, "holder.frame.x"));
    await attempt("call api.frame", () => call("CallForHandle", 0, "api.frame", ""));
    await attempt("copy api.frame", () => call("CallForString", 0, "api.frame", ""));
    await attempt("call api.location", () => call("CallForHandle", 0, "api.location", ""));
    await attempt("copy api.location", () => call("CallForString", 0, "api.location", ""));
    await attempt("take it", () => call("Take", foreign));
    other.remove();
    return outcomes;
  },

  /**
   * Functions that load a URL into the page, where a `javascript:` URL runs as the page's code:
   * `window.open` (bound or not: without a `this` it opens from its own window), a location's
   * `assign` and `replace` bound to it, and a location granted by name, whose `href`, `assign` and
   * `replace` are its own properties; and an element's `setAttribute` and `insertAdjacentHTML`
   * bound to it, whose event handlers run. What each attempt got, and which of the texts ran.
   */
  async urlLoaders(): Promise<{ outcomes: Record<string, string>; ran: string[] }> {
    const ran: string[] = [];
    (globalThis as { __ran?: (what: string) => void }).__ran = (what) => void ran.push(what);
    const code = (what: string) => `javascript:void globalThis.__ran('${what}')`;
    const { outcomes, attempt } = attempts();
    await attempt("load with location", () => new InteropRuntime().loadAssembly(probe, { scope: { location } }).then(() => "loaded"));
    await attempt("load with holder.location", () => new InteropRuntime().loadAssembly(probe, { scope: { holder: { location } } }).then(() => "loaded"));
    const runtime = new InteropRuntime();
    const image = document.createElement("img");
    const panel = document.createElement("div");
    await runtime.loadAssembly(probe, {
      scope: {
        api: {
          open: window.open,
          openHere: window.open.bind(window),
          navigate: location.assign.bind(location),
          swap: location.replace.bind(location),
          // Named as a location's function is, but no URL loader: a string's, unbound.
          substitute: String.prototype.replace,
          // An element's methods bound to it: "set an attribute", "add some markup".
          configure: image.setAttribute.bind(image),
          addMarkup: panel.insertAdjacentHTML.bind(panel),
        },
        holder: { location },
      },
    });
    const call = (method: string, ...args: unknown[]) => runtime.invokeMethod(PROBE, method, ...args);
    await attempt("call api.openHere", () => call("CallText", 0, "api.openHere", [code("openHere"), "_self"]));
    await attempt("get api.open", () => call("Get", 0, "api.open"));
    await attempt("call api.open", () => call("CallText", 0, "api.open", [code("open"), "_self"]));
    await attempt("call api.navigate", () => call("CallText", 0, "api.navigate", [code("navigate")]));
    await attempt("call api.swap", () => call("CallText", 0, "api.swap", [code("swap")]));
    await attempt("set holder.location.href", () => call("SetText", 0, "holder.location.href", code("href")));
    await attempt("call api.configure", () => {
      call("CallText", 0, "api.configure", ["onerror", "globalThis.__ran('configure')"]);
      return call("CallText", 0, "api.configure", ["src", "data:,not an image"]);
    });
    await attempt("call api.addMarkup", () => call("CallText", 0, "api.addMarkup", ["beforeend", `<img src="data:,x" onerror="globalThis.__ran('addMarkup')">`]));
    // Not a URL loader: a string's replace, unbound, is admitted as ever.
    await attempt("get api.substitute", () => (call("Get", 0, "api.substitute") as number) > 0);
    // In a worker, the scope's functions are the page's, which the page calls for the sandbox.
    const inWorker = new InteropRuntime();
    const worker = await inWorker.loadAssembly(probe, { worker: true, scope: { api: { openHere: window.open.bind(window) } }, importBinding: "first-call" });
    await attempt("worker: call api.openHere", () => inWorker.invokeMethodAsync(PROBE, "CallAsync", 0, "api.openHere", [code("worker openHere"), "_self"]));
    inWorker.unloadAssembly(worker.name);
    // Navigations start asynchronously.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { outcomes, ran };
  },

  /**
   * Built-in functions that parse HTML or load a URL into the page, granted bound to the object they
   * work on (a document's `write`, a range's `createContextualFragment`, an element's `innerHTML`
   * setter, an iframe's `srcdoc` or `src`, a script's `text`, a location's `href` setter, an
   * editor's `execCommand`): each is given text whose event handler, script or `javascript:` URL
   * would call `__ran`. What each attempt got, and which of the texts ran.
   */
  async htmlSinks(): Promise<{ outcomes: Record<string, string>; ran: string[] }> {
    const ran: string[] = [];
    (globalThis as { __ran?: (what: string) => void }).__ran = (what) => void ran.push(what);
    const handler = (what: string) => `<img src="data:,x" onerror="(parent.__ran || __ran)('${what}')">`;
    // A frame of this origin whose document is written: a document written once loaded starts afresh.
    const written = document.createElement("iframe");
    document.body.append(written);
    const frameDocument = written.contentDocument!;
    const range = document.createRange();
    range.selectNodeContents(document.body);
    const panel = document.createElement("div");
    const replaced = document.createElement("div");
    document.body.append(panel, replaced);
    const framed = document.createElement("iframe");
    const sourced = document.createElement("iframe");
    document.body.append(framed, sourced);
    const script = document.createElement("script");
    document.body.append(script);
    const scriptByContent = document.createElement("script");
    document.body.append(scriptByContent);
    const editor = document.createElement("div");
    editor.contentEditable = "true";
    document.body.append(editor);
    const form = document.createElement("form");
    const submitButton = document.createElement("button");
    const buttonForm = document.createElement("form");
    buttonForm.append(submitButton);
    // Submitted as they are, they go nowhere (the page's own URL would navigate away).
    form.action = buttonForm.action = "javascript:void 0";
    document.body.append(form, buttonForm);
    const setter = (prototype: object, key: string, on: object) => Object.getOwnPropertyDescriptor(prototype, key)!.set!.bind(on);
    const parser = new DOMParser();
    const runtime = new InteropRuntime();
    await runtime.loadAssembly(probe, {
      scope: {
        api: {
          print: frameDocument.write.bind(frameDocument),
          println: frameDocument.writeln.bind(frameDocument),
          reopen: frameDocument.open.bind(frameDocument),
          fragment: range.createContextualFragment.bind(range),
          parse: parser.parseFromString.bind(parser),
          render: setter(Element.prototype, "innerHTML", panel),
          replace: setter(Element.prototype, "outerHTML", replaced),
          frame: setter(HTMLIFrameElement.prototype, "srcdoc", framed),
          show: setter(HTMLIFrameElement.prototype, "src", sourced),
          code: setter(HTMLScriptElement.prototype, "text", script),
          content: setter(Node.prototype, "textContent", scriptByContent),
          go: setter(location, "href", location),
          relocate: setter(window, "location", window),
          format: document.execCommand.bind(document),
          // Where a form goes, and the submission that takes it there (granted with it).
          target: setter(HTMLFormElement.prototype, "action", form),
          submit: form.requestSubmit.bind(form),
          buttonTarget: setter(HTMLButtonElement.prototype, "formAction", submitButton),
          press: submitButton.click.bind(submitButton),
        },
        // A setter borrowed from an element, bound to it: a write runs it.
        view: Object.defineProperty({}, "html", { set: setter(Element.prototype, "innerHTML", panel), enumerable: true }),
      },
    });
    const call = (method: string, ...args: unknown[]) => runtime.invokeMethod(PROBE, method, ...args);
    const { outcomes, attempt } = attempts();
    await attempt("call api.print", () => call("CallText", 0, "api.print", [handler("print")]));
    await attempt("call api.println", () => call("CallText", 0, "api.println", [handler("println")]));
    await attempt("call api.reopen", () => call("CallText", 0, "api.reopen", ["javascript:void parent.__ran('reopen')", "_self", ""]));
    await attempt("call api.fragment", () => call("CallText", 0, "api.fragment", [handler("fragment")]));
    await attempt("call api.parse", () => call("CallText", 0, "api.parse", [handler("parse"), "text/html"]));
    await attempt("call api.render", () => call("CallText", 0, "api.render", [handler("render")]));
    await attempt("call api.replace", () => call("CallText", 0, "api.replace", [handler("replace")]));
    await attempt("call api.frame", () => call("CallText", 0, "api.frame", [`<script>parent.__ran('frame')</script>`]));
    await attempt("call api.show", () => call("CallText", 0, "api.show", ["javascript:void parent.__ran('show')"]));
    await attempt("call api.code", () => call("CallText", 0, "api.code", ["__ran('code')"]));
    await attempt("call api.content", () => call("CallText", 0, "api.content", ["__ran('content')"]));
    await attempt("call api.go", () => call("CallText", 0, "api.go", ["javascript:void __ran('go')"]));
    await attempt("call api.relocate", () => call("CallText", 0, "api.relocate", ["javascript:void __ran('relocate')"]));
    await attempt("set view.html", () => call("SetText", 0, "view.html", handler("view")));
    await attempt("call api.target", () => call("CallText", 0, "api.target", ["javascript:void __ran('target')"]));
    await attempt("call api.submit", () => call("CallText", 0, "api.submit", []));
    await attempt("call api.buttonTarget", () => call("CallText", 0, "api.buttonTarget", ["javascript:void __ran('buttonTarget')"]));
    await attempt("call api.press", () => call("CallText", 0, "api.press", []));
    editor.focus();
    await attempt("call api.format", () => call("CallText", 0, "api.format", ["insertHTML", "$false", handler("format")]));
    // In a worker, the page refuses to call them for the sandbox as well.
    const inWorker = new InteropRuntime();
    const worker = await inWorker.loadAssembly(probe, { worker: true, scope: { api: { render: setter(Element.prototype, "innerHTML", panel) } }, importBinding: "first-call" });
    await attempt("worker: call api.render", () => inWorker.invokeMethodAsync(PROBE, "CallAsync", 0, "api.render", [handler("worker render")]));
    inWorker.unloadAssembly(worker.name);
    // Images fail to load, and frames load, asynchronously.
    await new Promise((resolve) => setTimeout(resolve, 500));
    return { outcomes, ran };
  },

  /**
   * The realm's own namespaces granted (`console`, `CSS`, `Math`): their functions may be called,
   * not replaced for the page and every other assembly. What each attempt got, and whether the
   * page's functions are still its own.
   */
  async namespaces(): Promise<{ outcomes: Record<string, string>; unchanged: boolean }> {
    const [error, escape, random] = [console.error, CSS.escape, Math.random];
    const runtime = new InteropRuntime();
    await runtime.loadAssembly(probe, { scope: { console, std: { CSS, Math } } });
    const call = (method: string, ...args: unknown[]) => runtime.invokeMethod(PROBE, method, ...args);
    const { outcomes, attempt } = attempts();
    const escaper = call("Get", 0, "std.CSS.escape") as number;
    await attempt("set console.error", () => call("SetHandle", 0, "console.error", escaper));
    await attempt("set std.CSS.escape", () => call("SetText", 0, "std.CSS.escape", "replaced"));
    await attempt("set std.Math.random", () => call("SetHandle", 0, "std.Math.random", escaper));
    await attempt("call std.CSS.escape", () => call("CallText", 0, "std.CSS.escape", ["a b"]));
    return { outcomes, unchanged: console.error === error && CSS.escape === escape && Math.random === random };
  },

  /**
   * Classes a host writes over the page's workers (`class Pool extends Worker`): without a
   * constructor of their own, `new` on them is `Worker`'s, which runs the script at the URL it is
   * given, a `data:` URL's text included. What constructing each got (the script, had it run,
   * would have fetched `ranUrl`).
   */
  async scriptLoaders(ranUrl: string): Promise<Record<string, string>> {
    class Pool extends Worker {}
    class Shared extends SharedWorker {}
    const runtime = new InteropRuntime();
    await runtime.loadAssembly(probe, { scope: { lib: { Pool, Shared, bound: Pool.bind(null) } } });
    const script = `data:text/javascript,fetch(${JSON.stringify(ranUrl)})`;
    const outcomes: Record<string, string> = {};
    for (const path of ["lib.Pool", "lib.Shared", "lib.bound"]) {
      try {
        outcomes[path] = `got ${String(runtime.invokeMethod(PROBE, "Construct", 0, path, [script]))}`;
      } catch (error) {
        outcomes[path] = (error as Error).message;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    return outcomes;
  },

  /**
   * A widget whose method keeps the page's objects on `this`, stored on the scope and called there
   * (where it runs with the scope as `this`): what it wrote is not granted by name.
   */
  async grantsByName(): Promise<Record<string, string>> {
    class Widget {
      view: Window | null = null;
      element: HTMLElement | null = null;
      mount(): string {
        this.view = window;
        this.element = document.body;
        return "mounted";
      }
    }
    const runtime = new InteropRuntime();
    await runtime.loadAssembly(probe, { scope: { widget: new Widget() } });
    const call = (method: string, ...args: unknown[]) => runtime.invokeMethod(PROBE, method, ...args);
    const { outcomes, attempt } = attempts();
    await attempt("store widget.mount on the scope", () => call("SetHandle", 0, "mount", call("Get", 0, "widget.mount")));
    await attempt("call mount on the scope", () => call("CallText", 0, "mount", []));
    await attempt("get view", () => call("Get", 0, "view"));
    await attempt("call view.__canaryFn", () => call("CallText", 0, "view.__canaryFn", ["evaluated"]));
    await attempt("get element", () => call("Get", 0, "element"));
    return outcomes;
  },

  /** Canaries and baits touched so far (must be none). */
  touched(): string[] {
    return [...touched];
  },

  /** Random attack sequences against a scope that leads to the DOM. */
  async explore(runs: number, seed?: number): Promise<Exploration> {
    let tried = 0;
    let succeeded = 0;
    let sequences = 0;
    const held: string[] = [];
    const changed: string[] = [];
    const outside = forbidden(canaries.secret);
    const grantPaths = [...pathsOf(domScope([])), "widget.element", "widget.label", "widget.describe"];
    // One instance per sequence; a failure is reported with its counterexample, not thrown.
    const result = await fc.check(
      fc.asyncProperty(attacks(grantPaths), async (sequence) => {
        const runtime = new InteropRuntime();
        const reported: unknown[] = [];
        const call = await load(runtime, domScope(reported));
        const before = snapshotRealm();
        const outcome = runAttacks(call, sequence);
        changed.push(...realmChanges(before, snapshotRealm()));
        tried += outcome.tried;
        succeeded += outcome.succeeded;
        ++sequences;
        call("ReportHeld", "report");
        for (const object of reported) if (mustNotHold(object, outside)) held.push(Object.prototype.toString.call(object));
        runtime.unloadAssembly(NAME);
        return touched.length === 0 && held.length === 0 && changed.length === 0;
      }),
      { numRuns: runs, seed },
    );
    const counterexample = result.failed ? JSON.stringify(result.counterexample) : null;
    return { sequences, tried, succeeded, touched: [...touched], held, changed, counterexample };
  },

  /** Every two-step path out of the DOM scope's grant (test/sandbox-attacks.ts `exhaustiveAttacks`). */
  async exhaust(): Promise<Omit<Exploration, "sequences" | "counterexample"> & { hostTexts: string[] }> {
    const runtime = new InteropRuntime();
    const reported: unknown[] = [];
    const call = await load(runtime, domScope(reported));
    const before = snapshotRealm();
    const outcome = exhaustiveAttacks(call, [...pathsOf(domScope([])), "widget.element", "widget.label", "widget.describe"]);
    const changed = realmChanges(before, snapshotRealm());
    call("ReportHeld", "report");
    const outside = forbidden(canaries.secret);
    const held = reported.filter((object) => mustNotHold(object, outside)).map((object) => Object.prototype.toString.call(object));
    runtime.unloadAssembly(NAME);
    // A stack would name this page's scripts by their URLs.
    const hostTexts = hostPlacesIn(outcome.texts, [location.origin]);
    return { tried: outcome.tried, succeeded: outcome.succeeded, touched: [...touched], held, changed, hostTexts };
  },
};

declare global {
  var sandbox: typeof import("./page.ts")["sandboxApi"];
}
export const sandboxApi = sandbox;
globalThis.sandbox = sandbox;
document.body.dataset["ready"] = "true";

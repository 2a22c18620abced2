/**
 * The sandbox attacked by an outside tester, eighth round: the built-ins a realistic host grants
 * whole or in part (`Object`'s statics one by one, `Error.captureStackTrace`, the realm's `JSON`),
 * each given values managed code chose — objects it made with them, and what granted objects hold.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { InteropRuntime } from "../host/runtime/index.ts";
import type { AssemblyOptions } from "../host/runtime/assembly.ts";
import { compileFixture } from "./helpers.ts";
import { installCanaries, touched } from "./sandbox-attacks.ts";

/** The attacker of rounds five to seven: its calls into JavaScript take any arguments (see the fixture). */
const NAME = "sandbox-probe";
let probe: WebAssembly.Module;
beforeAll(async () => {
  probe = (await compileFixture(NAME)).module;
  const canaries = installCanaries();
  return () => canaries.remove();
});

type Probe = Awaited<ReturnType<typeof load>>;
async function load(options: AssemblyOptions) {
  const runtime = new InteropRuntime();
  const assembly = await runtime.loadAssembly(probe, options);
  return { runtime, assembly, call: <T = unknown>(method: string, ...args: unknown[]) => runtime.invokeMethod(NAME, method, ...args) as T };
}

function thrownError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

const NOT_READABLE = /^The property '.*' is not defined or is not readable\. The assembly 'sandbox-probe' can reach only what its scope grants\.$/;

describe("what a path reads through an object's prototype is judged where it is found", () => {
  // A granted `Object.create` (a "standard library" of Object's statics, one by one) makes an
  // object whose prototype is any object managed code holds. The membrane judged a read by the
  // object it starts from: a plain object's `caller` is no machinery, so through one inheriting
  // from a granted sloppy-mode function it read the function's own `caller` — while the function
  // runs, the host function that called it — and through one inheriting from that, its
  // `arguments` (a password).
  it("an object inheriting from a sloppy-mode function does not lend its caller or its arguments", async () => {
    let sandbox: Probe | null = null;
    const seen: unknown[] = [];
    const host = new Function(
      "callAssembly",
      `
      function emit(name) { return callAssembly(name); }
      function saveUser(user, password) { return emit("saved"); }
      return { emit, saveUser };`,
    ) as (callAssembly: (name: string) => unknown) => { emit: (name: string) => unknown; saveUser: (user: string, password: string) => unknown };
    const { emit, saveUser } = host((name) => {
      const { call } = sandbox!;
      const heir = call<number>("Call", 0, "std.create", [`#${call<number>("Get", 0, "events.emit")}`]);
      for (const key of ["caller", "arguments"]) {
        seen.push(call("Has", heir, key));
        seen.push(thrownError(() => call("Get", heir, key)).message);
      }
      seen.push(thrownError(() => call("SetText", heir, "caller", "x")).message);
      return name;
    });
    sandbox = await load({ scope: { std: { create: Object.create }, events: { emit } } });
    expect(saveUser("ada", "s3cret")).toBe("saved");
    expect(seen).toHaveLength(5);
    for (const i of [0, 2]) {
      expect(seen[i]).toBe(false);
      expect(seen[i + 1]).toMatch(NOT_READABLE);
    }
    expect(seen[4]).toMatch(/^The assembly 'sandbox-probe' cannot set 'caller': it leads to the language's machinery/);
  });

  it("an object inheriting from an error reads its stack as empty, and a JavaScript class's members as before", async () => {
    class Session {
      user = "ada";
      get greeting(): string {
        return `hello ${this.user}`;
      }
    }
    const { call } = await load({ scope: { std: { create: Object.create }, api: { fail: () => new Error("granted code failed"), session: new Session() } } });
    const error = call<number>("Call", 0, "api.fail", []);
    const heir = call<number>("Call", 0, "std.create", [`#${error}`]);
    expect(call("GetText", heir, "stack")).toBe("");
    expect(call("GetText", heir, "message")).toBe("granted code failed");
    const session = call<number>("Call", 0, "std.create", [`#${call<number>("Get", 0, "api.session")}`]);
    expect(call("GetText", session, "user")).toBe("ada");
    expect(call("GetText", session, "greeting")).toBe("hello ada");
  });
});

describe("Error.captureStackTrace writes the host's stack onto any object", () => {
  // V8's `Error.captureStackTrace` (granted alone, or with a "standard library" of error helpers)
  // writes the stack where it is called, the host's file paths, as an own `stack` of any object:
  // on a plain object from a granted `JSON.parse`, a path read it (the membrane shows an error's as
  // empty); on a granted `Math`, it wrote a property of the realm's own object past the write rules.
  const refused = (name: string) =>
    `The assembly '${name}' cannot be given the built-in function 'Error.captureStackTrace', which writes the host's stack (its file ` +
    `paths) onto any object: its scope does not grant it by name.`;

  it("refused, bound or not, unless granted by name", async () => {
    const scope = {
      std: { JSON, Math, captureStackTrace: Error.captureStackTrace, capture: Error.captureStackTrace.bind(Error) },
      errors: { capture: (Error as { captureStackTrace: (o: object) => void }).captureStackTrace },
    };
    const { call } = await load({ scope });
    const plain = call<number>("Call", 0, "std.JSON.parse", ["{}"]);
    const math = call<number>("Get", 0, "std.Math");
    for (const path of ["std.captureStackTrace", "std.capture", "errors.capture"]) {
      expect(thrownError(() => call("Call", 0, path, [`#${plain}`])).message, path).toBe(refused(NAME));
      expect(thrownError(() => call("Call", 0, path, [`#${math}`])).message, path).toBe(refused(NAME));
    }
    expect(call("Has", plain, "stack")).toBe(false);
    expect(Object.hasOwn(Math, "stack")).toBe(false);
  });

  it("granted by name, it writes: the host's explicit choice", async () => {
    const { call } = await load({ scope: { std: { JSON }, captureStackTrace: Error.captureStackTrace } });
    const plain = call<number>("Call", 0, "std.JSON.parse", ["{}"]);
    call("Call", 0, "captureStackTrace", [`#${plain}`]);
    expect(call("Has", plain, "stack")).toBe(true);
  });
});

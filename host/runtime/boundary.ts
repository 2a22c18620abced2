/**
 * The edge every call into an instance crosses, and what makes a fault stay in its call.
 *
 * An AssemblyScript abort throws through JS and leaves `__stack_pointer` where the aborting frame
 * had moved it; a few thousand aborts later the shadow stack runs out and the instance breaks.
 * So each outermost call restores the pointer to its value at rest (known since instantiation,
 * so the common case costs no read), and a nested, re-entrant call restores what it saw on entry.
 *
 * A wasm trap is different: it can strike inside the allocator or the collector and leave the
 * heap half-updated, so the instance is marked poisoned and refuses further calls.
 */
import { isStackOverflow } from "../marshal/errors.ts";
import { AssemblyPoisonedError, InteropError, ManagedError } from "./errors.ts";

/** Where AssemblyScript places the managed library's sources. */
const LIBRARY_FILES = "~lib/as-interop/";

export class CallBoundary {
  #depth = 0;
  readonly #stackPointer: WebAssembly.Global | null;
  readonly #stackPointerAtRest: number;
  #poison: AssemblyPoisonedError | null = null;
  /** Set once the assembly is unloaded or reloaded: its instance must not run again. */
  #retired: InteropError | null = null;
  /** Told whenever the outermost call has ended. */
  onRest: (() => void) | null = null;
  /** Told once, when the instance becomes poisoned. */
  onPoison: ((error: AssemblyPoisonedError) => void) | null = null;

  constructor(
    readonly assemblyName: string,
    stackPointer: WebAssembly.Global | undefined,
  ) {
    this.#stackPointer = stackPointer ?? null;
    this.#stackPointerAtRest = stackPointer ? (stackPointer.value as number) : 0;
  }

  get poisoned(): AssemblyPoisonedError | null {
    return this.#poison;
  }

  /** Whether the instance may still run: neither poisoned nor retired. */
  get usable(): boolean {
    return this.#poison === null && this.#retired === null;
  }

  /**
   * Throws if the instance may not run. Also checked when a call returns: a nested call may have
   * poisoned the instance while JavaScript in between caught the error and carried on, and what
   * the outer call returns from a poisoned instance cannot be trusted.
   */
  checkUsable(): void {
    if (this.#poison) throw this.#poison;
    if (this.#retired) throw this.#retired;
  }

  /** The assembly was unloaded or reloaded: every later call fails with `error`. */
  retire(error: InteropError): void {
    this.#retired ??= error;
  }

  /** Call before touching the instance; returns what {@link fail} needs to unwind this call. */
  enter(): number {
    this.checkUsable();
    if (this.#depth >= MAX_NESTED_CALLS) {
      throw new InteropError(
        `Calls into '${this.assemblyName}' nest more than ${MAX_NESTED_CALLS} levels deep (JavaScript and managed code calling each other); the call was refused before the stack could run out.`,
      );
    }
    const saved = this.#depth === 0 || !this.#stackPointer ? this.#stackPointerAtRest : (this.#stackPointer.value as number);
    ++this.#depth;
    return saved;
  }

  leave(): void {
    if (--this.#depth === 0) this.onRest?.();
  }

  /** Runs a call into the instance that needs no marshaling of its own, with the usual repair. */
  run<T>(call: () => T): T {
    const saved = this.enter();
    try {
      const result = call();
      this.checkUsable();
      return result;
    } catch (error) {
      throw this.fail(error, saved);
    } finally {
      this.leave();
    }
  }

  /** Turns whatever a call threw into the error its caller gets, and repairs or poisons the instance. */
  fail(error: unknown, savedStackPointer: number): unknown {
    if (error instanceof WebAssembly.RuntimeError || isStackOverflow(error)) {
      if (!this.#poison) {
        this.#poison = new AssemblyPoisonedError(this.assemblyName, error);
        this.onPoison?.(this.#poison);
      }
      return this.#poison;
    }
    // An abort, a conversion error or a throwing import: managed frames unwound without popping
    // their shadow-stack space, and that is all there is to repair.
    if (this.#stackPointer) this.#stackPointer.value = savedStackPointer;
    // The managed library's own checks (a disposed reference, a cycle) are interop errors, whose
    // location inside the library would only distract.
    if (error instanceof ManagedError && error.fileName?.startsWith(LIBRARY_FILES)) {
      return new InteropError(error.managedMessage, { cause: error });
    }
    return error;
  }
}

/**
 * How deep calls may nest (JS → managed → JS → …) before the next one is refused: each level
 * takes host stack, and running out mid-call would poison the instance.
 */
const MAX_NESTED_CALLS = 256;

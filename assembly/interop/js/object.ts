import {
  CallFlags,
  hostGetProperty,
  hostHasProperty,
  hostInvoke,
  hostInvokeAsync,
  hostReleaseObject,
  hostSetProperty,
} from "./imports";
import { Task, trackTask } from "../task";
import { JSArgs, argsBuffer } from "./args";
import { readTagged, TaggedWriter } from "./tagged";

/**
 * A JavaScript object held from managed code (Blazor's `IJSObjectReference`, the HTML Bridge's
 * `ScriptObject`): an object, a function, a module, an HTML element. Passing it back to JS gives JS
 * the very same object. `dispose()` lets JS collect it; using it afterwards fails with Blazor's
 * "JS object instance with ID … does not exist (has it been disposed?)."
 */
export class JSObject {
  constructor(
    /** The host's id for the object (0 stands for the assembly's global scope). */
    readonly id: u32,
  ) {}

  /** Calls method `name` with `this` bound to the object. */
  invoke<T>(name: string, args: JSArgs | null = null): T {
    return readResult<T>(hostInvoke(this.id, name, argsBuffer(args), flagsFor<T>()));
  }

  /** Calls method `name`, which returns a promise; see `JSRuntime.invokeAsync`. */
  invokeAsync<T>(name: string, args: JSArgs | null = null, timeoutMs: i32 = 0): Task<T> {
    const task = new Task<T>();
    hostInvokeAsync(this.id, name, argsBuffer(args), flagsFor<T>(), trackTask(task), timeoutMs);
    return task;
  }

  invokeVoid(name: string, args: JSArgs | null = null): void {
    hostInvoke(this.id, name, argsBuffer(args), CallFlags.Void);
  }

  /** Calls the object itself, when it is a function (the HTML Bridge's `InvokeSelf`). */
  invokeSelf<T>(args: JSArgs | null = null): T {
    return readResult<T>(hostInvoke(this.id, "", argsBuffer(args), flagsFor<T>()));
  }

  getProperty<T>(name: string): T {
    return readResult<T>(hostGetProperty(this.id, name, flagsFor<T>()));
  }

  setProperty<T>(name: string, value: T): void {
    const writer = new TaggedWriter();
    writer.write<T>(value);
    hostSetProperty(this.id, name, changetype<usize>(writer.finish()));
  }

  hasProperty(name: string): bool {
    return hostHasProperty(this.id, name);
  }

  dispose(): void {
    hostReleaseObject(this.id);
  }
}

/** Results typed `JSObject` stay in JS as handles; everything else is converted to `T`. */
export function flagsFor<T>(): i32 {
  if (isManaged<T>()) {
    if (idof<NonNullable<T>>() == idof<JSObject>()) return CallFlags.Handle;
  }
  return CallFlags.Value;
}

export function readResult<T>(buffer: ArrayBuffer): T {
  return readTagged<T>(buffer);
}

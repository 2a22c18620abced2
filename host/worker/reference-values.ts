/**
 * Values that hold references, as they cross between the page and a worker. Both sides know every
 * value's type from the manifest, so a reference to a managed object (a `DotNetObject`, a delegate,
 * a list or dictionary view) crosses as a plain number, the id the worker keeps it under, and each
 * side puts its own object in its place: the worker its real one, the page a proxy whose calls are
 * async. Only values whose type can hold such a reference are walked, so an `i32` or a 64 MiB
 * `Uint8Array` crosses without a look inside.
 */
import { asReference, NULL_REFERENCE } from "../js/object-references.ts";
import { noJSObjectValue } from "../js/objects.ts";
import { MarshalError } from "../marshal/errors.ts";
import { mayContain, typeName, type StructDescriptor, type TypeDescriptor } from "../marshal/types.ts";

/** A type whose values cross as the id of the worker's object. */
export type ReferenceType = Extract<TypeDescriptor, { kind: "objectref" | "delegate" | "listref" | "dictref" }>;
type Kind = TypeDescriptor["kind"];

export const REFERENCE_KINDS: ReadonlySet<Kind> = new Set(["objectref", "delegate", "listref", "dictref"]);
/**
 * References, typed arrays (whose buffers a result moves back: see transfer.ts), and memory views,
 * which cannot cross as what they are (a view of the worker's memory) and go as a copy.
 */
export const RESULT_KINDS: ReadonlySet<Kind> = new Set([...REFERENCE_KINDS, "typedarray", "memoryview"]);

/**
 * What an argument's walk looks at: the worker's references, and JS objects and streams, which a
 * page's explicit reference (`DotNet.createJSObjectReference`, `createJSStreamReference`) may stand
 * for (see {@link referencedData}).
 */
export const ARGUMENT_KINDS: ReadonlySet<Kind> = new Set([...REFERENCE_KINDS, "jsobject", "jsstream"]);

/**
 * What a JS object or stream argument sends to the worker: a reference the page made stands for
 * its object or data, which the worker gets a copy of (the page's table of references is not the
 * worker's); anything else is sent as it is.
 */
export function referencedData(value: unknown): unknown {
  const reference = asReference(value);
  if (reference === null) return value;
  if (reference !== NULL_REFERENCE && reference.disposed) throw new MarshalError(noJSObjectValue(reference.__jsObjectId));
  return reference.target;
}

export function isReferenceType(type: TypeDescriptor): type is ReferenceType {
  return REFERENCE_KINDS.has(type.kind);
}

/**
 * A reference as the worker sends it: its id, or, for a value of a plain class (a plain
 * `objectref`) whose object is of a class derived from the declared one, its id and the key of that
 * class, whose members the page's proxy then has (as the page's own `DotNetObject` would).
 */
export type SentReference = number | readonly [id: number, classKey: string];

/**
 * The id and the type of the reference `sent` (see {@link SentReference}) in a value of `type`: a
 * class the worker names must be one of `type.class` by `isClass` (the manifest's), or a
 * `MarshalError` says so.
 */
export function receivedReference(
  sent: unknown,
  type: ReferenceType,
  isClass: (key: string, expected: string) => boolean,
): { readonly id: number; readonly type: ReferenceType } {
  if (typeof sent === "number") return { id: sent, type };
  if (type.kind === "objectref" && type.plain && Array.isArray(sent) && typeof sent[0] === "number" && typeof sent[1] === "string") {
    const [id, classKey] = sent as [number, string];
    if (isClass(classKey, type.class)) return { id, type: { ...type, class: classKey } };
  }
  throw new MarshalError(`the worker sent ${JSON.stringify(sent)} where a reference to ${typeName({ ...type, nullable: false })} belongs`);
}

/**
 * Replaces, inside values of a type, what sits at positions of some kinds. `inPlace` changes the
 * value itself (one just received or just made, which nothing else holds); otherwise the containers
 * on the way are copied, so the caller's own value (an argument) is left as it was. Shared and
 * cyclic parts (`preserveReferences`) stay shared and cyclic.
 */
export class ValueWalk {
  readonly #holds = new WeakMap<TypeDescriptor, boolean>();

  constructor(
    private readonly structs: Readonly<Record<string, StructDescriptor>>,
    private readonly kinds: ReadonlySet<Kind>,
  ) {}

  /** Whether a value of `type` may hold anything to replace. */
  holds(type: TypeDescriptor): boolean {
    let holds = this.#holds.get(type);
    if (holds === undefined) this.#holds.set(type, (holds = mayContain(type, this.kinds, this.structs)));
    return holds;
  }

  map(value: unknown, type: TypeDescriptor, replace: (value: object, type: TypeDescriptor) => unknown, inPlace: boolean): unknown {
    if (!this.holds(type)) return value;
    const done = new Map<object, unknown>();
    const visit = (value: unknown, type: TypeDescriptor): unknown => {
      if (value === null || value === undefined) return value;
      if (this.kinds.has(type.kind)) return replace(value as object, type);
      if (typeof value !== "object" || !this.holds(type)) return value;
      const known = done.get(value);
      if (known !== undefined) return known;
      switch (type.kind) {
        case "array":
        case "staticarray": {
          // A typed array given for an array of numbers holds nothing to replace.
          if (!Array.isArray(value)) return value;
          const out: unknown[] = inPlace ? value : new Array<unknown>(value.length);
          done.set(value, out);
          for (let i = 0; i < value.length; ++i) out[i] = visit(value[i], type.element);
          return out;
        }
        case "map": {
          if (value instanceof Map) {
            const out = inPlace ? value : new Map<unknown, unknown>();
            done.set(value, out);
            for (const [key, item] of value) out.set(key, visit(item, type.value));
            return out;
          }
          const out: Record<string, unknown> = inPlace ? (value as Record<string, unknown>) : {};
          done.set(value, out);
          for (const key of Object.keys(value)) setOwn(out, key, visit((value as Record<string, unknown>)[key], type.value));
          return out;
        }
        case "struct": {
          const out: Record<string, unknown> = inPlace ? (value as Record<string, unknown>) : { ...value };
          done.set(value, out);
          for (const field of this.structs[type.name]?.fields ?? []) {
            if (this.holds(field.type)) setOwn(out, field.name, visit((value as Record<string, unknown>)[field.name], field.type));
          }
          return out;
        }
        case "task":
          return visit(value, type.result);
        default:
          return value;
      }
    };
    return visit(value, type);
  }
}

/** An own data property, even for a key such as `__proto__` (assignment would set the prototype). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

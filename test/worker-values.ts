/**
 * Sample arguments for every method of a fixture that takes and gives only values, so that the same
 * calls can be made to an assembly on this thread and to one in a worker and their results compared
 * (test/worker.test.ts in Node, e2e/worker/page.ts in Chromium).
 */
import { JS_TYPED_ARRAYS } from "../host/marshal/typed-arrays.ts";
import type { Manifest, MethodDescriptor, TypeDescriptor } from "../host/marshal/types.ts";

/** A value of `type` for a call: the kinds of the marshaling table, each with something to carry. */
export function sample(type: TypeDescriptor, manifest: Manifest, depth = 0): unknown {
  switch (type.kind) {
    case "bool":
      return true;
    case "i8":
    case "i16":
    case "i32":
      return -7;
    case "u8":
    case "u16":
    case "u32":
      return 200;
    case "i64":
    case "u64":
      return 9007199254740991;
    case "f32":
      return 1.5;
    case "f64":
      return -2.25;
    case "char":
      return "Ω";
    case "nullable":
      return sample(type.value, manifest, depth);
    case "string":
      return "héllo 🌍 \u0000 end";
    case "date":
      return new Date(Date.UTC(2024, 1, 29, 12, 34, 56, 789));
    case "guid":
      return "382c74c3-721d-4f34-80e5-57657b6cbc27";
    case "typedarray": {
      const Typed = JS_TYPED_ARRAYS[type.name];
      const values = [1, 2, 3, 250];
      return type.name === "Int64Array" || type.name === "Uint64Array" ? new Typed(values.map(BigInt) as never) : new Typed(values as never);
    }
    case "array":
    case "staticarray":
      return depth > 3 ? [] : [sample(type.element, manifest, depth + 1), sample(type.element, manifest, depth + 1)];
    case "map":
      return depth > 3 ? {} : { a: sample(type.value, manifest, depth + 1), "b c": sample(type.value, manifest, depth + 1) };
    case "struct": {
      const struct = manifest.structs[type.name];
      if (depth > 3) return type.nullable ? null : {};
      return Object.fromEntries(struct.fields.map((field) => [field.name, sample(field.type, manifest, depth + 1)]));
    }
    default:
      return undefined;
  }
}

/** Methods whose task only a later call completes: nothing to compare. */
export const NEVER_SETTLES = new Set(["PendingAsync"]);

/** Whether a method takes and gives only values (nothing that stays on one thread). */
export function byValue(method: MethodDescriptor): boolean {
  const plain = (type: TypeDescriptor): boolean => {
    switch (type.kind) {
      case "objectref":
      case "delegate":
      case "listref":
      case "dictref":
      case "memoryview":
      case "jsobject":
      case "jsstream":
        return false;
      case "task":
        return plain(type.result);
      case "array":
      case "staticarray":
        return plain(type.element);
      case "map":
        return plain(type.value);
      default:
        return true;
    }
  };
  return method.parameters.every((p) => plain(p.type)) && plain(method.returnType);
}


/** Whether two results are the same value: same types, same contents (typed arrays, dates, maps, NaN). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Date) return a.getTime() === (b as Date).getTime();
  if (ArrayBuffer.isView(a)) {
    const x = a as unknown as ArrayLike<unknown>;
    const y = b as unknown as ArrayLike<unknown>;
    return x.length === y.length && Array.from(x).every((item, i) => Object.is(item, y[i]));
  }
  if (a instanceof Map) return a.size === (b as Map<unknown, unknown>).size && [...a].every(([k, v]) => sameValue(v, (b as Map<unknown, unknown>).get(k)));
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

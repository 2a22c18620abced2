/**
 * Turns the compiler's resolved types into the host's {@link TypeDescriptor}s, or says why a type
 * cannot cross the boundary. Working on resolved types (not on syntax) means aliases, `i32[]` and
 * `Array<i32>` all describe the same way.
 */
import { type Program, type Type } from "assemblyscript";
import { TypeKind } from "./enums.ts";
import type { NumberKind, TypeDescriptor } from "../marshal/types.ts";

export type Described = { ok: true; type: TypeDescriptor } | { ok: false; reason: string };

export function describeType(type: Type, program: Program): Described {
  const numeric = numberKind(type, program);
  if (numeric) return { ok: true, type: { kind: numeric } };
  if (type.kind === TypeKind.Void) return { ok: true, type: { kind: "void" } };
  if (type.kind === TypeKind.Bool) return { ok: true, type: { kind: "bool" } };

  const cls = type.isReference ? type.getClass() : null;
  if (!cls) return unsupported(type, "only numbers, bool, string and arrays can be marshaled");
  const nullable = type.isNullableReference;

  if (cls === program.stringInstance) return { ok: true, type: { kind: "string", nullable } };

  const isArray = cls.prototype === program.arrayPrototype;
  if (isArray || cls.prototype === program.staticArrayPrototype) {
    const elementType = cls.typeArguments?.[0];
    if (!elementType) return unsupported(type, "the array's element type is unknown");
    const element = describeType(elementType, program);
    if (!element.ok) return element;
    if (element.type.kind === "void") return unsupported(type, "arrays of void do not exist");
    return {
      ok: true,
      type: { kind: isArray ? "array" : "staticarray", element: element.type, classId: cls.id, nullable },
    };
  }
  return unsupported(type, "only numbers, bool, string and arrays can be marshaled");
}

function numberKind(type: Type, program: Program): NumberKind | null {
  const wasm64 = program.options.isWasm64;
  switch (type.kind) {
    case TypeKind.I8: return "i8";
    case TypeKind.U8: return "u8";
    case TypeKind.I16: return "i16";
    case TypeKind.U16: return "u16";
    case TypeKind.I32: return "i32";
    case TypeKind.U32: return "u32";
    case TypeKind.I64: return "i64";
    case TypeKind.U64: return "u64";
    case TypeKind.Isize: return wasm64 ? "i64" : "i32";
    // A class reference is a usize too, so only a plain `usize` value counts as a number.
    case TypeKind.Usize: return type.isReference ? null : wasm64 ? "u64" : "u32";
    case TypeKind.F32: return "f32";
    case TypeKind.F64: return "f64";
    default: return null;
  }
}

function unsupported(type: Type, why: string): Described {
  return { ok: false, reason: `Type '${type.toString()}' cannot be marshaled between JavaScript and managed code: ${why}.` };
}

/**
 * What can be done to each kind of reference a worker hands out, and the types of the values each
 * operation takes and gives. The page checks an operation here before it sends it (an unknown
 * method is Blazor's error at once) and the worker checks it again before it runs it, so only the
 * members of `DotNetObject`s, views and streams are ever reached.
 */
import type { Manifest, MethodDescriptor, TypeDescriptor } from "../marshal/types.ts";
import { blazorMessages, InteropError } from "../runtime/errors.ts";
import type { Operation } from "./protocol.ts";
import type { ReferenceType } from "./reference-values.ts";

/** The types of an operation's arguments (null: nothing to convert) and of its result. */
export interface OperationTypes {
  readonly args: readonly (TypeDescriptor | null)[];
  readonly result: TypeDescriptor;
}

/** A value that holds no reference and no typed array: crosses as it is. */
const PLAIN: TypeDescriptor = { kind: "void" };
const plain = (count: number): null[] => new Array<null>(count).fill(null);

/** The list view members that take elements, and from which argument on. */
const LIST_ELEMENT_ARGUMENTS: Readonly<Record<string, number>> = { push: 0, unshift: 0, splice: 2, indexOf: 0, lastIndexOf: 0 };
/** The list view members whose result is an element, removed or not. */
const LIST_ELEMENT_RESULTS = new Set(["pop", "shift"]);

export function operationTypes(reference: ReferenceType, operation: Operation, manifest: Manifest): OperationTypes {
  switch (reference.kind) {
    case "objectref":
      return objectOperation(reference.class, operation, manifest);
    case "delegate":
      if (operation.kind !== "apply") break;
      return { args: reference.parameters.map((p) => p.type), result: reference.returnType };
    case "listref":
      return listOperation(reference, operation);
    case "dictref":
      return dictionaryOperation(reference, operation);
  }
  throw unsupported(reference, operation);
}

function objectOperation(classKey: string, operation: Operation, manifest: Manifest): OperationTypes {
  const cls = manifest.classes[classKey];
  const displayName = cls?.displayName ?? classKey;
  switch (operation.kind) {
    case "call": {
      if (operation.member === "invokeMethodAsync") {
        const method = methodOf(cls?.methods ?? [], displayName, operation.args[0]);
        return { args: [null, ...method.parameters.map((p) => p.type)], result: method.returnType };
      }
      if (cls?.stream && operation.member === "arrayBuffer") return { args: [], result: PLAIN };
      if (cls?.sink && operation.member === "writeStream") return { args: [null], result: PLAIN };
      break;
    }
    case "pipe":
      if (cls?.stream) return { args: [], result: PLAIN };
      break;
    case "get":
    case "set": {
      const property = cls?.properties.find((p) => p.name === operation.member);
      if (!property) {
        throw new InteropError(`'${operation.member}' is not a scriptable member of ${displayName}; only its @scriptableMember fields and properties can be read and set.`);
      }
      if (operation.kind === "set" && property.setter === null) throw new InteropError(`'${operation.member}' of ${displayName} is read-only.`);
      return operation.kind === "get" ? { args: [], result: property.type } : { args: [property.type], result: PLAIN };
    }
  }
  throw new InteropError(`A reference to ${displayName} cannot do this (${describe(operation)}).`);
}

function methodOf(methods: readonly MethodDescriptor[], displayName: string, identifier: unknown): MethodDescriptor {
  const method = methods.find((m) => m.identifier === identifier);
  if (!method) {
    throw new InteropError(blazorMessages.noTypeMethod(displayName, String(identifier)));
  }
  return method;
}

function listOperation(list: Extract<ReferenceType, { kind: "listref" }>, operation: Operation): OperationTypes {
  const element = list.element;
  switch (operation.kind) {
    case "get":
      if (operation.member === "length") return { args: [], result: PLAIN };
      if (isIndex(operation.member)) return { args: [], result: element };
      break;
    case "set":
      if (isIndex(operation.member)) return { args: [element], result: PLAIN };
      break;
    case "call": {
      const { member, args } = operation;
      const from = LIST_ELEMENT_ARGUMENTS[member];
      if (from !== undefined) {
        const types = args.map((_, i) => (i >= from ? element : null));
        // indexOf(item, from): only the first argument is an element.
        if (member === "indexOf" || member === "lastIndexOf") types.fill(null, 1);
        const result: TypeDescriptor = member === "splice" ? { kind: "array", element, classId: 0, nullable: false } : PLAIN;
        return { args: types, result };
      }
      if (LIST_ELEMENT_RESULTS.has(member)) return { args: plain(args.length), result: element };
      if (member === "reverse") return { args: [], result: { ...list, nullable: false } };
      if (member === "toArray") return { args: [], result: { ...list, fixed: true, nullable: true } };
      if (member === "toJSON") return { args: [], result: { kind: list.fixed ? "staticarray" : "array", element, classId: 0, nullable: false } };
      break;
    }
  }
  throw unsupported(list, operation);
}

function dictionaryOperation(dictionary: Extract<ReferenceType, { kind: "dictref" }>, operation: Operation): OperationTypes {
  switch (operation.kind) {
    case "get":
      return { args: [], result: dictionary.value };
    case "set":
      return { args: [dictionary.value], result: PLAIN };
    case "has":
    case "delete":
    case "keys":
      return { args: [], result: PLAIN };
    case "call":
      if (operation.member === "toJSON") return { args: [], result: { kind: "map", value: dictionary.value, nullable: false } };
      break;
  }
  throw unsupported(dictionary, operation);
}

function isIndex(key: string): boolean {
  return /^(0|[1-9]\d*)$/.test(key);
}

function unsupported(reference: ReferenceType, operation: Operation): InteropError {
  return new InteropError(`A reference of kind '${reference.kind}' cannot do this (${describe(operation)}).`);
}

function describe(operation: Operation): string {
  return "member" in operation ? `${operation.kind} '${operation.member}'` : operation.kind;
}

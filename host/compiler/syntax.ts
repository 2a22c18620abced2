/** Reading type annotations as written, before the compiler has resolved anything. */
import type {
  ClassDeclaration,
  DecoratorNode,
  FunctionTypeNode,
  IdentifierExpression,
  NamedTypeNode,
  Node,
  StringLiteralExpression,
  TypeNode,
} from "assemblyscript";
import { TYPED_ARRAYS } from "../marshal/types.ts";
import { DecoratorKind, LiteralKind, NodeKind } from "./enums.ts";

/** Numbers, `bool` and `char`: they cross as wasm values. */
const VALUE_TYPES = new Set([
  "bool", "i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "isize", "usize", "f32", "f64", "char",
]);
const isTypedArrayName = (name: string) => Object.hasOwn(TYPED_ARRAYS, name);

export function asFunctionType(node: TypeNode | null): FunctionTypeNode | null {
  return node && node.kind === NodeKind.FunctionType ? (node as FunctionTypeNode) : null;
}

/** A `Task<T>` annotation: `result` is T's, or null for `Task` (whose result is void). */
export interface TaskAnnotation {
  readonly result: TypeNode | null;
}

/** `Task<T>` or `Task` (the managed library's), or null for anything else. */
export function taskResultType(node: TypeNode | null): TaskAnnotation | null {
  const named = asNamedType(node);
  if (!named || named.name.next || named.name.identifier.text !== "Task") return null;
  const args = named.typeArguments ?? [];
  if (args.length > 1) return null;
  const result = args[0] ?? null;
  return { result: result && typeNameOf(result) === "void" ? null : result };
}

/** A class with type parameters: JS holds its closed instantiations (`Box<string>`), each a class of its own. */
export function isGeneric(owner: ClassDeclaration | null): boolean {
  return (owner?.typeParameters?.length ?? 0) > 0;
}

/** `MemoryView<T>` (the managed library's): its `T` annotation, or null for anything else. */
export function memoryViewArrayType(node: TypeNode | null): TypeNode | null {
  const named = asNamedType(node);
  if (!named || named.name.next || named.name.identifier.text !== "MemoryView") return null;
  return named.typeArguments?.length === 1 ? named.typeArguments[0] : null;
}

export function asNamedType(node: TypeNode | null): NamedTypeNode | null {
  return node && node.kind === NodeKind.NamedType ? (node as NamedTypeNode) : null;
}

/** The simple name of a type annotation (`Array` for `Array<i32> | null`), or null for function types. */
export function typeNameOf(node: TypeNode | null): string | null {
  const named = asNamedType(node);
  return named && !named.name.next ? named.name.identifier.text : null;
}

/**
 * The annotation exactly as written, e.g. `Map<string, Array<Point>> | null`. A function type is
 * written out again: the range of `((a: i32) => void) | null` leaves out a parenthesis and `| null`.
 */
export function typeText(node: TypeNode): string {
  const fn = asFunctionType(node);
  return fn ? nullableFunctionText(fn) : node.range.toString();
}

/**
 * A function type as an annotation, `(a: i32) => void`, also for a function declaration's
 * signature (whose own text is `(a: i32): void`); never nullable.
 */
export function functionTypeText(node: FunctionTypeNode): string {
  const parameters = node.parameters.map((p) => `${p.name.text}: ${typeText(p.type)}`);
  return `(${parameters.join(", ")}) => ${typeText(node.returnType)}`;
}

/** A function type as a type argument, `((a: i32) => void) | null` when it is nullable. */
export function nullableFunctionText(node: FunctionTypeNode): string {
  const text = functionTypeText(node);
  return node.isNullable ? `(${text}) | null` : text;
}

/**
 * Generated code taking the function of type `node` that JS gave back as `id` (one of this
 * instance's delegates): the library's `castFunction` (`cast`, as imported), which checks its class.
 */
export function castFunctionCode(cast: string, node: FunctionTypeNode, id: string): string {
  return `${cast}<${nullableFunctionText(node)}>(${id}, ${JSON.stringify(functionTypeText(node))})`;
}

/**
 * Whether a value of this annotation crosses directly (as a wasm value, or as a managed object the
 * host writes itself) rather than encoded. Decided from syntax because the transform must generate
 * code before types are resolved; anything it cannot recognize (an alias, a class) is encoded,
 * which handles every type, so the choice is only ever about speed.
 */
export function crossesDirectly(node: TypeNode): boolean {
  // A function or a task crosses as the id it is tracked by (see glue.ts), a memory view as itself.
  if (asFunctionType(node) || taskResultType(node) || memoryViewArrayType(node)) return true;
  const named = asNamedType(node);
  if (!named || named.name.next) return false;
  const name = named.name.identifier.text;
  const args = named.typeArguments ?? [];
  if (args.length === 0) {
    return (VALUE_TYPES.has(name) && !named.isNullable) || name === "string" || name === "String" || isTypedArrayName(name);
  }
  if ((name === "Array" || name === "StaticArray") && args.length === 1) {
    const element = args[0];
    return crossesDirectly(element) && !isTypedArrayName(typeNameOf(element) ?? "");
  }
  return false;
}

/** The custom decorator called `name` on a declaration (or a variable statement, which carries its declarations'), if any. */
export function findDecorator(declaration: { readonly decorators?: DecoratorNode[] | null }, name: string): DecoratorNode | null {
  for (const decorator of declaration.decorators ?? []) {
    if (
      decorator.decoratorKind === DecoratorKind.Custom &&
      decorator.name.kind === NodeKind.Identifier &&
      (decorator.name as IdentifierExpression).text === name
    ) {
      return decorator;
    }
  }
  return null;
}

/** Visits every node under `root` (any node kind: the fields that hold nodes are found by shape). */
export function walk(root: Node, visit: (node: Node) => void): void {
  const pending: unknown[] = [root];
  while (pending.length) {
    const value = pending.pop();
    if (Array.isArray(value)) {
      pending.push(...value);
    } else if (isNode(value)) {
      visit(value);
      for (const [key, field] of Object.entries(value)) if (key !== "range" && typeof field === "object") pending.push(field);
    }
  }
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && typeof (value as Node).kind === "number" && "range" in value;
}

/** A string literal as written (`"name"`), the only argument a decorator's name may be given as. */
export function isStringLiteral(node: Node): node is StringLiteralExpression {
  return node.kind === NodeKind.Literal && (node as StringLiteralExpression).literalKind === LiteralKind.String;
}

/**
 * The name a decorator that takes one gives (`@jsInvokable("Name")`, `@dataMember("name")`):
 * undefined without arguments, the string for one non-empty string literal, null for anything else.
 */
export function decoratorName(decorator: DecoratorNode): string | null | undefined {
  const args = decorator.args ?? [];
  if (args.length === 0) return undefined;
  const [first] = args;
  return args.length === 1 && isStringLiteral(first) && first.value.length > 0 ? first.value : null;
}

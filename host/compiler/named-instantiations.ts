/**
 * Closed instantiations of a generic class that the source names, though no signature does.
 *
 * JavaScript reaches the `@jsInvokable` methods of `Box<string>` through the manifest, whose
 * classes the signatures name (`DotNetObjectReference<Box<string>>` as a parameter or result).
 * Blazor's "Call .NET generic class methods" sample names its instantiations elsewhere: it keeps
 * them in fields (`DotNetObjectReference<GenericType<string>>? objRef1`) and hands them to
 * JavaScript in a call into JS (`InvokeVoidAsync("invokeMethodsAsync", …, objRef1, objRef2)`).
 * So every place the source writes a generic class with interop members and its type arguments —
 * an annotation (`GenericType<string>`, also inside another type) or `new GenericType<string>(…)` —
 * names an instantiation JavaScript may be handed, described as a signature's would be when its
 * members can cross (an instantiation only managed code uses, `Box<Plain>`, need not). Written
 * inside a generic function or class, with its type parameters (`GenericType<T>`), it does not
 * resolve alone, and a signature must name its instantiations.
 */
import { Node, type Class, type ClassDeclaration, type NamedTypeNode, type NewExpression, type Program, type Source, type TypeName } from "assemblyscript";
import { NodeKind, ReportMode } from "./enums.ts";
import { walk } from "./syntax.ts";

/** A generic class with type arguments, as written: the annotation, and the file it is resolved in. */
export interface NamedInstantiation {
  readonly type: NamedTypeNode;
  readonly source: Source;
}

/** Every place `sources` write one of `generics` (by name) with type arguments. */
export function collectNamedInstantiations(sources: readonly Source[], generics: readonly ClassDeclaration[]): NamedInstantiation[] {
  const names = new Set(generics.map((declaration) => declaration.name.text));
  const found: NamedInstantiation[] = [];
  if (!names.size) return found;
  for (const source of sources) {
    walk(source, (node) => {
      if (node.kind === NodeKind.NamedType) {
        const type = node as NamedTypeNode;
        if (type.typeArguments?.length && names.has(lastName(type.name))) found.push({ type, source });
      } else if (node.kind === NodeKind.New) {
        const { typeName, typeArguments, range } = node as NewExpression;
        if (typeArguments?.length && names.has(lastName(typeName))) {
          found.push({ type: Node.createNamedType(typeName, typeArguments, false, range), source });
        }
      }
    });
  }
  return found;
}

/**
 * The closed instantiations of `generics` that `found` names, each once: a name that resolves, in
 * its file, to another class (of the same name) is none.
 */
export function resolveNamedInstantiations(program: Program, found: readonly NamedInstantiation[], generics: ReadonlySet<ClassDeclaration>): Class[] {
  const classes = new Set<Class>();
  for (const { type, source } of found) {
    const file = program.filesByName.get(source.internalPath);
    const resolved = file && program.resolver.resolveType(type, null, file, null, ReportMode.Swallow);
    const cls = resolved?.getClass();
    if (cls?.typeArguments?.length && generics.has(cls.prototype.declaration as ClassDeclaration)) classes.add(cls);
  }
  return [...classes];
}

/** `Box` of `Box` or `ns.Box`. */
function lastName(name: TypeName): string {
  let last = name;
  while (last.next) last = last.next;
  return last.identifier.text;
}

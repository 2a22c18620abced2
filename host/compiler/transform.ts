/**
 * The AssemblyScript transform: makes a compiled assembly describe itself.
 *
 *  afterParse       find `@jsInvokable` functions, check their syntax, add the generated glue file
 *  afterInitialize  resolve their signatures to type descriptors (or report what cannot cross);
 *                   have argument lists written for one call into JS borrowed (lent-arguments.ts)
 *  afterCompile     export the shadow-stack pointer and embed the manifest as a custom section
 *
 * Usable as `asc --transform as-interop/transform` or through {@link compile}.
 */
import "./supported-compiler.ts";
import { listGeneratedSources } from "./generated-sources.ts";
import { addUnzeroedNew } from "./unzeroed-new.ts";
import { Transform } from "assemblyscript/transform";
import {
  type Class,
  type ClassDeclaration,
  type ClassPrototype,
  type DiagnosticEmitter,
  type File,
  type FunctionDeclaration,
  type FunctionPrototype,
  type FunctionTypeNode,
  type IdentifierExpression,
  type NamespaceDeclaration,
  type Parser,
  type Program,
  type Range,
  type Source,
  type Statement,
} from "assemblyscript";
import { CommonFlags, DiagnosticCode, ElementKind, NodeKind, ReportMode, SourceKind } from "./enums.ts";
import type binaryen from "assemblyscript/binaryen";
import {
  MANIFEST_SECTION,
  MANIFEST_VERSION,
  STACK_POINTER_EXPORT,
  START_EXPORT,
  type JSImportDescriptor,
  type Manifest,
  type MethodDescriptor,
  type PropertyDescriptor,
  type TypeDescriptor,
} from "../marshal/types.ts";
import { collectInvokables, DECORATOR, type Invokable } from "./invokables.ts";
import { checkDataClassChains, collectDataClasses, dataClassMembers, type DataClass } from "./data-classes.ts";
import { traceLibraryErrorsToCallers } from "./call-sites.ts";
import { checkDelegateArguments, collectDelegateArguments, type DelegateArguments } from "./delegate-arguments.ts";
import { collectNamedInstantiations, resolveNamedInstantiations, type NamedInstantiation } from "./named-instantiations.ts";
import { lendArgumentLists } from "./lent-arguments.ts";
import { classDisplayName, TypeDescriber } from "./describe.ts";
import {
  accessorSources,
  DelegateInvokers,
  GLUE_PATH,
  glueSource,
  LIBRARY_ALIASES,
  libraryImport,
  referenceToSelfMember,
  wrapperSource,
} from "./glue.ts";
import { injectMembers, injectStatements } from "./inject.ts";
import { collectJSImports, IMPORT_DECORATOR, markDirectImport, removeDeclaration, wrappedImportSource, type JSImport } from "./js-imports.ts";
import { asFunctionType, isGeneric, memoryViewArrayType } from "./syntax.ts";
import { collectScriptableMembers, hiddenStreamMethod, type ScriptableMember } from "./scriptables.ts";
import { inheritedMembers, inheritsMembers, type OwnMembers } from "./inherited-members.ts";

export interface InteropTransformOptions {
  /** Blazor's assembly name, the first argument of `DotNet.invokeMethod`. Default: the entry file's name. */
  assemblyName?: string;
  /** Receives the manifest that was embedded, once compilation succeeded. */
  onManifest?: (manifest: Manifest) => void;
  /**
   * Receives, once parsed, the classes JavaScript reaches through as-interop: those with
   * `@jsInvokable` methods (static or instance), `@scriptableMember` or `@dataMember` fields and properties.
   */
  onInteropClasses?: (classes: ReadonlySet<ClassDeclaration>) => void;
}

const STACK_POINTER_GLOBAL = "~lib/memory/__stack_pointer";
/** Where AssemblyScript places the managed library's sources (a package: `~lib/<name>/…`). */
const LIBRARY_PATH = "~lib/as-interop/";

/** A file of the user's (not the standard library, as-interop's library or the generated glue). */
function isUserSource(source: Source): boolean {
  return !source.normalizedPath.startsWith("~lib/") && source.normalizedPath !== GLUE_PATH;
}

export class InteropTransform extends Transform {
  protected options: InteropTransformOptions = {};
  private assemblyName = "";
  private invokables: Invokable[] = [];
  private dataClasses: DataClass[] = [];
  private scriptables: ScriptableMember[] = [];
  private delegates = new DelegateInvokers();
  /** Each `@jsImport`, with the declaration that carries its signature once the glue is in. */
  private jsImports: { jsImport: JSImport; declaration: FunctionDeclaration }[] = [];
  private describer: TypeDescriber | null = null;
  /** Managed functions passed to JS among a call's values (see delegate-arguments.ts). */
  private delegateArguments: DelegateArguments = { signatures: [], calls: new Set() };
  /** Where the source names instantiations of generic classes (see named-instantiations.ts). */
  private namedInstantiations: NamedInstantiation[] = [];
  private manifest: Manifest | null = null;

  afterParse(parser: Parser): void {
    const userSources = parser.sources.filter(isUserSource);
    const entry = userSources.find((s) => s.sourceKind === SourceKind.UserEntry);
    this.assemblyName = this.options.assemblyName ?? entry?.simplePath ?? "assembly";

    const invokables = collectInvokables(userSources, this.assemblyName);
    const dataClasses = collectDataClasses(userSources);
    const scriptables = collectScriptableMembers(userSources);
    const jsImports = collectJSImports(userSources);
    for (const { range, message } of [...invokables.problems, ...dataClasses.problems, ...scriptables.problems, ...jsImports.problems]) {
      report(parser, range, message);
    }
    this.invokables = invokables.invokables;
    this.dataClasses = dataClasses.classes;
    this.scriptables = scriptables.members;
    this.options.onInteropClasses?.(
      new Set([
        ...this.invokables.flatMap(({ owner }) => (owner ? [owner] : [])),
        ...this.dataClasses.map(({ declaration }) => declaration),
        ...this.scriptables.map(({ owner }) => owner),
      ]),
    );

    // Generated code goes into the user's files (see inject.ts); each such file imports the library.
    const needLibrary = new Set<Source>();
    for (const dataClass of this.dataClasses) {
      injectMembers(parser, dataClass.declaration, dataClassMembers(dataClass));
      needLibrary.add(dataClass.declaration.range.source);
    }
    for (const invokable of this.invokables.filter((invokable) => invokable.wrapped)) {
      const source = invokable.declaration.range.source;
      injectStatements(parser, source, wrapperSource(invokable, this.delegates));
      needLibrary.add(source);
    }
    for (const member of this.scriptables) {
      const source = member.declared.range.source;
      injectStatements(parser, source, accessorSources(member, this.delegates));
      needLibrary.add(source);
    }
    for (const jsImport of jsImports.imports) {
      const { declaration } = jsImport;
      // A managed function passed to JS is called back through an invoker, as a returned one is.
      for (const parameter of declaration.signature.parameters) {
        const fn = asFunctionType(parameter.type);
        if (fn) this.delegates.add(fn, "");
      }
      // So is one JS returns: the manifest describes it (its class) at the annotation.
      const returned = jsImport.result === "value" ? asFunctionType(jsImport.resultType) : null;
      if (returned) this.delegates.add(returned, "");
      if (!jsImport.wrapped) {
        markDirectImport(jsImport);
        this.jsImports.push({ jsImport, declaration });
        continue;
      }
      const source = declaration.range.source;
      removeDeclaration(source, declaration);
      const added = injectStatements(parser, source, wrappedImportSource(jsImport, LIBRARY_ALIASES));
      const wrapper = added.find(
        (statement): statement is FunctionDeclaration =>
          statement.kind === NodeKind.FunctionDeclaration && (statement as FunctionDeclaration).name.text === declaration.name.text,
      );
      if (wrapper) this.jsImports.push({ jsImport, declaration: wrapper });
      needLibrary.add(source);
    }
    // Each MemoryView annotation a value crosses as gets its export for typed arrays JS passes in.
    const crossing = [
      ...this.invokables.flatMap(({ declaration }) => [...declaration.signature.parameters.map((p) => p.type), declaration.signature.returnType]),
      ...this.scriptables.map(({ declared }) => declared.type),
    ];
    for (const node of crossing) {
      const array = memoryViewArrayType(node);
      if (array) this.delegates.addMemoryView(node, array);
    }
    this.delegateArguments = collectDelegateArguments(userSources);
    const owners = [...this.invokables.map(({ owner }) => owner), ...this.scriptables.map(({ owner }) => owner)];
    const generics = new Set(owners.filter((owner): owner is ClassDeclaration => isGeneric(owner)));
    this.namedInstantiations = collectNamedInstantiations(userSources, [...generics]);
    for (const signature of this.delegateArguments.signatures) this.delegates.add(signature, "");
    for (const [source, invokers] of this.delegates.sources) {
      for (const { code } of invokers) injectStatements(parser, source, code);
      needLibrary.add(source);
    }
    // A value of a plain class may hold an object of a class derived from it, which JS gets a
    // reference to as an object of its own class: each class makes that reference (glue.ts). Only
    // where references can cross at all; a member no code calls is never compiled.
    if (needLibrary.size > 0 || parser.sources.some((s) => s.normalizedPath.startsWith(LIBRARY_PATH))) {
      for (const declaration of referableClasses(userSources)) {
        injectMembers(parser, declaration, referenceToSelfMember(declaration));
        needLibrary.add(declaration.range.source);
      }
    }
    for (const source of needLibrary) injectStatements(parser, source, libraryImport());

    // The host allocates and pins managed objects itself, so it needs the runtime's exports.
    this.program.options.exportRuntime = true;
    // Top-level statements run once the host has the instance (see START_EXPORT), not during
    // instantiation, when a call into JS they make would find no memory to read its values from.
    this.program.options.exportStart = START_EXPORT;
    const unzeroedNew = addUnzeroedNew(parser);
    // The library's entry points for the host (tasks, references, streams) are exported whenever
    // the assembly uses the library at all: a JSRuntime.invokeAsync needs its task's completion
    // even where no @jsInvokable value is encoded.
    const usesLibrary = needLibrary.size > 0 || parser.sources.some((s) => s.normalizedPath.startsWith(LIBRARY_PATH));
    parser.parseFile(
      glueSource(this.invokables, this.scriptables, this.delegates, usesLibrary) + unzeroedNew,
      GLUE_PATH,
      true,
    );
  }

  afterInitialize(program: Program): void {
    // Before compiling: errors inside the library's generics then name the user's call.
    traceLibraryErrorsToCallers();
    // Before compiling: argument lists written for one call into JS are borrowed, not allocated.
    lendArgumentLists(program, program.sources.filter(isUserSource));
    const glue = program.filesByName.get(GLUE_PATH.replace(/\.ts$/, ""))!;
    const userClasses = userClassPrototypes(program);
    for (const { range, message } of checkDataClassChains(userClasses, this.dataClasses)) report(program, range, message);
    const describer = (this.describer = new TypeDescriber(program, this.dataClasses, this.delegates, (name, cls) =>
      instantiate(program, glue, name, cls),
    ));
    const methods: MethodDescriptor[] = [];
    for (const invokable of this.invokables) {
      if (invokable.instance) continue;
      const method = describeMethod(program, describer, invokable, null);
      if (method) methods.push(method);
    }
    // Instance members, by the class that declares them.
    const members = new Map<ClassDeclaration, OwnMembers>();
    const membersOf = (owner: ClassDeclaration) => {
      let own = members.get(owner);
      if (!own) members.set(owner, (own = { methods: [], properties: [] }));
      return own;
    };
    for (const invokable of this.invokables) if (invokable.instance) membersOf(invokable.owner!).methods.push(invokable);
    for (const member of this.scriptables) membersOf(member.owner).properties.push(member);
    // A class that is not generic is in the manifest even where no signature names it (JS may meet
    // it as an argument of a call into JS); a generic one, once per closed instantiation that the
    // signatures name, which members described meanwhile may add to.
    for (const owner of members.keys()) {
      const cls = isGeneric(owner) ? null : describer.resolveClass(owner);
      if (cls) describer.classOf(cls);
    }
    // So is one that declares none but inherits some.
    for (const prototype of userClasses) {
      // A generic one is described where a signature names one of its instantiations.
      if ((prototype.declaration as ClassDeclaration).typeParameters?.length) continue;
      const cls = inheritsMembers(prototype, members) ? describer.resolveClass(prototype.declaration as ClassDeclaration) : null;
      if (cls) describer.classOf(cls);
    }
    // Instantiations the source names where no signature does, when their members can cross.
    for (const cls of resolveNamedInstantiations(program, this.namedInstantiations, new Set([...members.keys()].filter(isGeneric)))) {
      const own = members.get(cls.prototype.declaration as ClassDeclaration)!;
      const fits = describer.tentatively(() => {
        for (const invokable of own.methods) describeMethod(program, describer, invokable, cls);
        for (const member of own.properties) describeProperty(program, describer, member, cls);
      });
      if (fits) describer.classOf(cls);
    }
    for (let cls = describer.nextPending(); cls; cls = describer.nextPending()) {
      const entry = describer.classOf(cls);
      if (!entry) continue;
      // Its own members, then those it inherits, each described in the class that declares it.
      for (const { declaring, methods, properties } of inheritedMembers(cls, members, (range, message) => report(program, range, message))) {
        describer.within(declaring, () => {
          for (const invokable of methods) {
            const method = describeMethod(program, describer, invokable, declaring);
            if (method) entry.methods.push(method);
          }
          for (const member of properties) {
            const hides = hiddenStreamMethod(member, entry, cls.name);
            if (hides) {
              report(program, member.declared.range, hides);
              continue;
            }
            const property = describeProperty(program, describer, member, declaring);
            if (property) entry.properties.push(property);
          }
        });
      }
    }
    const imports: JSImportDescriptor[] = [];
    for (const { jsImport, declaration } of this.jsImports) {
      const described = describeImport(program, describer, jsImport, declaration);
      if (described) imports.push(described);
    }
    const delegates = describeDelegateArguments(program, describer, this.delegateArguments.signatures);
    checkDelegateArguments(program, this.delegateArguments.calls, new Set(Object.keys(delegates).map(Number)));
    for (const { range, message } of describer.problems) report(program, range, message);
    this.manifest = {
      version: MANIFEST_VERSION,
      assembly: this.assemblyName,
      methods,
      imports,
      structs: describer.structs,
      classes: describer.classes,
      collections: {},
      delegates,
    };
    listGeneratedSources(program);
  }

  afterCompile(module: binaryen.Module): void {
    if (!this.manifest) return;
    // Known only now that every generic instance is compiled: the collections JS may be handed
    // in calls into JavaScript, each described as a view of it.
    const collections = this.manifest.collections as Record<string, Manifest["collections"][string]>;
    // Also known only now: every class JS may meet an object of where a base class is expected.
    this.describer!.completeClasses(this.program.managedClasses.values());
    for (const [classId, cls] of this.program.managedClasses) {
      const described = this.describer!.describeCollection(cls);
      if (described) collections[classId] = described;
    }
    // Exported so the host can restore it when an abort unwinds managed frames without doing so.
    if (module.getGlobal(STACK_POINTER_GLOBAL)) {
      module.addGlobalExport(STACK_POINTER_GLOBAL, STACK_POINTER_EXPORT);
    }
    module.addCustomSection(MANIFEST_SECTION, new TextEncoder().encode(JSON.stringify(this.manifest)));
    this.options.onManifest?.(this.manifest);
  }
}

/**
 * Compiles generated function `name`, generic over the type parameters of `cls`'s class (see
 * glue.ts), for `cls`, and exports it from the glue; returns the export's name, or null when the
 * compiler could not resolve it (it has said why).
 */
function instantiate(program: Program, glue: File, name: string, cls: Class): string | null {
  const exportName = `${name}__${cls.id}`;
  if (glue.exports?.has(exportName)) return exportName;
  const file = program.filesByName.get(cls.prototype.declaration.range.source.internalPath);
  const prototype = file?.getMember(name);
  if (!prototype || prototype.kind !== ElementKind.FunctionPrototype) return null;
  const instance = program.resolver.resolveFunction(prototype as FunctionPrototype, cls.typeArguments);
  if (!instance) return null;
  glue.ensureExport(exportName, instance);
  return exportName;
}

/** How JS calls each function passed to it among a call's values, by its function type's class id. */
function describeDelegateArguments(
  program: Program,
  describer: TypeDescriber,
  signatures: readonly FunctionTypeNode[],
): Record<string, Extract<TypeDescriptor, { kind: "delegate" }>> {
  const delegates: Record<string, Extract<TypeDescriptor, { kind: "delegate" }>> = {};
  for (const signature of signatures) {
    const file = program.filesByName.get(signature.range.source.internalPath);
    // Types local to a generic function do not resolve here: the call is then checked as unknown.
    const type = file && program.resolver.resolveType(signature, null, file, null, ReportMode.Swallow);
    const wrapper = type?.getClassOrWrapper(program);
    if (!type || !wrapper || delegates[wrapper.id]) continue;
    const described = describer.describe(type, signature, signature.range, "a managed function passed to JavaScript");
    if (described?.kind === "delegate") delegates[wrapper.id] = described;
  }
  return delegates;
}

/**
 * The classes of the user's files an object of which JS may hold by reference: not interfaces,
 * `declare`d or `@unmanaged` ones (which the collector does not manage).
 */
function referableClasses(sources: readonly Source[]): ClassDeclaration[] {
  const classes: ClassDeclaration[] = [];
  const visit = (statements: readonly Statement[]): void => {
    for (const statement of statements) {
      if (statement.kind === NodeKind.NamespaceDeclaration) visit((statement as NamespaceDeclaration).members);
      if (statement.kind !== NodeKind.ClassDeclaration) continue;
      const declaration = statement as ClassDeclaration;
      const unmanaged = declaration.decorators?.some((d) => d.name.kind === NodeKind.Identifier && (d.name as IdentifierExpression).text === "unmanaged");
      if (!declaration.is(CommonFlags.Ambient) && !unmanaged) classes.push(declaration);
    }
  };
  for (const source of sources) visit(source.statements);
  return classes;
}

/** The classes the user's files declare. */
function userClassPrototypes(program: Program): ClassPrototype[] {
  const classes: ClassPrototype[] = [];
  for (const [declaration, element] of program.elementsByDeclaration) {
    if (element.kind === ElementKind.ClassPrototype && isUserSource(declaration.range.source)) classes.push(element as ClassPrototype);
  }
  return classes;
}

/** `cls` is the class of an instance member: its closed instantiation, for a generic class. */
function describeProperty(program: Program, describer: TypeDescriber, member: ScriptableMember, cls: Class): PropertyDescriptor | null {
  const field = member.declared;
  const resolved = program.resolver.resolveType(field.type, null, cls, cls.contextualTypeArguments);
  const context = `@scriptableMember '${field.name}' of class '${classDisplayName(cls)}'`;
  // A list or map member crosses as a live view of itself (see scriptables.ts), described as the
  // reference to it that the generated getter makes.
  const type =
    resolved && member.byReference
      ? describer.describeMemberView(resolved, field.type, field.range, member.byReference.readOnly, context)
      : resolved && describer.describeMemberValue(resolved, field.type, field.range, context);
  const getter = describer.exported(member.getterExport);
  const setter = member.setterExport && describer.exported(member.setterExport);
  if (!type || !getter || (member.setterExport && !setter)) return null;
  return { name: member.jsName, type, encoded: member.encoded, getter, setter };
}

/** `cls`: the class of an instance method (see `describeProperty`); null for a function or static method. */
function describeMethod(program: Program, describer: TypeDescriber, invokable: Invokable, cls: Class | null): MethodDescriptor | null {
  const { declaration, identifier, parameterEncoded, returnEncoded } = invokable;
  let prototype = program.elementsByDeclaration.get(declaration) as FunctionPrototype | undefined;
  // Instance methods resolve as bound to their class (a closed instantiation of a generic one).
  if (prototype && cls) prototype = prototype.toBound(cls);
  const instance = prototype && program.resolver.resolveFunction(prototype, null);
  const exportName = describer.exported(invokable.exportName);
  if (!instance || !exportName) return null; // the resolver has already reported why

  const { parameterTypes, returnType } = instance.signature;
  const of = `@${DECORATOR} ${invokable.owner ? "method" : "function"} '${declaration.name.text}'` + (cls ? ` of class '${classDisplayName(cls)}'` : "");
  const parameters = declaration.signature.parameters.map((node, i) => ({
    name: node.name.text,
    type: describer.describe(parameterTypes[i], node.type, node.range, `parameter '${node.name.text}' of ${of}`),
    encoded: parameterEncoded[i],
  }));
  const returned = describer.describe(returnType, declaration.signature.returnType, declaration.range, `return type of ${of}`);
  if (!returned || !parameters.every(hasType)) return null;
  return {
    identifier,
    exportName,
    parameters,
    returnType: returned,
    returnEncoded,
    declaredAt: location(declaration.range),
  };
}

/**
 * A `@jsImport`'s manifest entry. Types are resolved from `declaration` (the user's, or the
 * generated function with the user's signature that replaced it) and described at the user's
 * annotations, so that errors point at what the user wrote.
 */
function describeImport(program: Program, describer: TypeDescriber, jsImport: JSImport, declaration: FunctionDeclaration): JSImportDescriptor | null {
  const prototype = program.elementsByDeclaration.get(declaration) as FunctionPrototype | undefined;
  const instance = prototype && program.resolver.resolveFunction(prototype, null);
  if (!instance) return null;
  const user = jsImport.declaration;
  const { parameterTypes, returnType } = instance.signature;
  const of = `@${IMPORT_DECORATOR} function '${user.name.text}'`;
  const parameters = user.signature.parameters.map((node, i) => {
    const type = describer.describe(parameterTypes[i], node.type, node.range, `parameter '${node.name.text}' of ${of}`);
    // A delegate crosses as the id it is tracked by, like a returned one.
    return { name: node.name.text, type, encoded: jsImport.parameterEncoded[i] && type?.kind !== "delegate" };
  });
  // The T of a Task<T> or JSResult<T> result is what the JS function's value must be.
  const resultType = jsImport.result === "value" ? returnType : returnType.getClass()?.typeArguments?.[0];
  const returned = resultType && describer.describe(resultType, jsImport.resultType, user.range, `return type of ${of}`);
  if (!returned || !parameters.every(hasType)) return null;
  return {
    identifier: jsImport.identifier,
    module: jsImport.module,
    importName: jsImport.importName,
    parameters,
    returnType: returned,
    returnEncoded: jsImport.returnEncoded,
    result: jsImport.result,
    declaredAt: location(user.range),
  };
}

/** A transform class with options baked in: asc instantiates transforms itself, without arguments. */
export function interopTransform(options: InteropTransformOptions): typeof InteropTransform {
  return class extends InteropTransform {
    protected override options = options;
  };
}

export default InteropTransform;

function hasType<T extends { type: TypeDescriptor | null }>(p: T): p is T & { type: TypeDescriptor } {
  return p.type !== null;
}

/** Reported as the compiler's own diagnostics: `Transform 'as-interop': <message>`. */
export const TRANSFORM_NAME = "as-interop";

function report(emitter: DiagnosticEmitter, range: Range | null, message: string): void {
  emitter.error(DiagnosticCode.Transform_0_1, range, TRANSFORM_NAME, message);
}

function location(range: Range): string {
  const line = range.source.lineAt(range.start);
  return `${range.source.normalizedPath}:${line}:${range.source.columnAt()}`;
}

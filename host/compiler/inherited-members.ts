/**
 * What JavaScript can reach on an object of a class: the `@jsInvokable` instance methods and
 * `@scriptableMember` fields and properties its class declares, and those it inherits. Blazor finds a base
 * class's `[JSInvokable]` methods on a derived object (`Type.GetMethods` lists inherited public
 * methods), and the HTML Bridge a base class's scriptable members, so a class's JS object has
 * both here too.
 *
 * A member a subclass declares again (an override, marked or not) is the subclass's: as .NET's
 * reflection sees only the override, whose own attribute decides whether JS can call it. Two
 * methods of the chain under one identifier are Blazor's error for the derived type; two scriptable
 * members under one script name (`@scriptableMember("name")`), an error as within one class.
 */
import type { Class, ClassDeclaration, ClassPrototype, DeclarationStatement, Range } from "assemblyscript";
import { CommonFlags } from "./enums.ts";
import { typeCollision, type Invokable } from "./invokables.ts";
import { scriptNameCollision, type ScriptableMember } from "./scriptables.ts";

/** The instance members one class declares. */
export interface OwnMembers {
  readonly methods: Invokable[];
  readonly properties: ScriptableMember[];
}

/** Members of one class of the chain, with that class (their context: a closed instantiation of a generic base). */
export interface DeclaredMembers {
  readonly declaring: Class;
  readonly methods: readonly Invokable[];
  readonly properties: readonly ScriptableMember[];
}

/**
 * The members of `cls` and of each class it extends, most derived first, without those a subclass
 * declares again; an identifier taken twice is reported through `problem` (Blazor's message, for `cls`).
 */
export function inheritedMembers(
  cls: Class,
  members: ReadonlyMap<ClassDeclaration, OwnMembers>,
  problem: (range: Range, message: string) => void,
): DeclaredMembers[] {
  const chain: DeclaredMembers[] = [];
  const declaredBelow = new Set<string>();
  const identifiers = new Set<string>();
  /** Each script name taken, by the member (and its class) a subclass, or `cls`, declares it with. */
  const jsNames = new Map<string, { member: ScriptableMember; className: string }>();
  for (let declaring: Class | null = cls; declaring; declaring = declaring.base) {
    const declaration = declaring.prototype.declaration as ClassDeclaration;
    const own = members.get(declaration);
    const className = declaring.name;
    if (own) {
      const methods = own.methods.filter(({ declaration: method, identifier }) => {
        if (declaredBelow.has(method.name.text)) return false;
        if (identifiers.has(identifier)) {
          problem(method.range, typeCollision(cls.prototype.declaration as ClassDeclaration, identifier));
          return false;
        }
        identifiers.add(identifier);
        return true;
      });
      const properties = own.properties.filter((member) => {
        if (declaredBelow.has(member.declared.name)) return false;
        const below = jsNames.get(member.jsName);
        if (below) {
          // Reported at the more derived of the two (`below`, met first: the walk goes up from `cls`).
          problem(
            below.member.declared.range,
            scriptNameCollision(cls.name, member.jsName, below.member.declared, below.className, member.declared, className),
          );
          return false;
        }
        jsNames.set(member.jsName, { member, className });
        return true;
      });
      if (methods.length > 0 || properties.length > 0) chain.push({ declaring, methods, properties });
    }
    for (const member of declaration.members as DeclarationStatement[]) {
      if (!member.is(CommonFlags.Static)) declaredBelow.add(member.name.text);
    }
  }
  return chain;
}

/**
 * Whether an object of the class has members JavaScript can reach that it inherits. Asked of the
 * prototype, which the compiler has linked to its base's before anything is resolved: resolving a
 * class JS never meets could report errors in code the compiler would otherwise never look at.
 */
export function inheritsMembers(prototype: ClassPrototype, members: ReadonlyMap<ClassDeclaration, OwnMembers>): boolean {
  for (let base = prototype.basePrototype; base; base = base.basePrototype) {
    if (members.has(base.declaration as ClassDeclaration)) return true;
  }
  return false;
}

/**
 * AssemblyScript's typings declare its enums `const`, which per-file compilers (esbuild, Vite,
 * tsx) cannot inline. Its JavaScript exports them as ordinary objects, so we read them from there.
 * Only the members as-interop uses are listed, which keeps typos a type error.
 */
import * as assemblyscript from "assemblyscript";

type Enum<Member extends string> = Readonly<Record<Member, number>>;

const enums = assemblyscript as unknown as {
  TypeKind: Enum<"Void" | "Bool" | "I8" | "U8" | "I16" | "U16" | "I32" | "U32" | "I64" | "U64" | "Isize" | "Usize" | "F32" | "F64">;
  NodeKind: Enum<
    | "NamedType" | "FunctionType" | "Identifier" | "Literal" | "Call" | "PropertyAccess" | "Function" | "Parameter" | "ClassDeclaration"
    | "NamespaceDeclaration" | "FunctionDeclaration" | "MethodDeclaration" | "FieldDeclaration" | "Variable"
    | "VariableDeclaration" | "Export" | "ExportDefault" | "New"
  >;
  LiteralKind: Enum<"String">;
  DecoratorKind: Enum<"Custom">;
  CommonFlags: Enum<"Export" | "Static" | "Constructor" | "Get" | "Set" | "Private" | "Protected" | "Readonly" | "Ambient">;
  ParameterKind: Enum<"Default">;
  SourceKind: Enum<"User" | "UserEntry">;
  Token: Enum<"EndOfFile">;
  DiagnosticCode: Enum<"Transform_0_1">;
  TypeFlags: Enum<"Nullable">;
  ElementKind: Enum<"FunctionPrototype" | "ClassPrototype" | "Global">;
  ReportMode: Enum<"Swallow">;
};

export const {
  TypeKind,
  TypeFlags,
  NodeKind,
  LiteralKind,
  DecoratorKind,
  CommonFlags,
  ParameterKind,
  SourceKind,
  Token,
  DiagnosticCode,
  ElementKind,
  ReportMode,
} = enums;

/**
 * What the sandbox's editors complete. AssemblyScript: as-interop's decorators, the managed
 * library's exports (read from assembly/interop/index.ts itself, so the list follows the library)
 * and their static members (`JSRuntime.` → `invoke`, `invokeAsync`, …), and AssemblyScript's
 * types. JavaScript: `DotNet`'s methods, and the identifiers of the assembly compiled last.
 */
import type { Completion, CompletionContext, CompletionResult, CompletionSource } from "@codemirror/autocomplete";

const librarySources = import.meta.glob<string>("../../../assembly/interop/**/*.ts", { query: "?raw", import: "default", eager: true });
const LIBRARY_INDEX = "../../../assembly/interop/index.ts";

const DECORATORS: Completion[] = [
  { label: "@jsInvokable", type: "keyword", detail: "JavaScript calls this function by name" },
  { label: "@dataMember", type: "keyword", detail: "this field or property crosses by value (\"name\": its JS name)" },
  { label: "@scriptableMember", type: "keyword", detail: "a property JavaScript sees on the reference (\"name\": its JS name)" },
  { label: "@serializeToScriptByValue", type: "keyword", detail: "a collection member crosses as a copy" },
];

const TYPES = ["bool", "i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "isize", "usize", "f32", "f64", "string", "Array", "StaticArray", "Map", "Date", "Uint8Array", "Int32Array", "Float64Array"].map(
  (label): Completion => ({ label, type: "type" }),
);

/** The names `index.ts` exports, and each one's static methods, found in the library's sources. */
function libraryApi(): { exports: Completion[]; members: Map<string, Completion[]> } {
  const index = librarySources[LIBRARY_INDEX] ?? "";
  const names = [...index.matchAll(/export\s*\{([^}]*)\}/g)].flatMap((match) => match[1].split(",").map((name) => name.trim()).filter(Boolean));
  const members = new Map<string, Completion[]>();
  for (const source of Object.values(librarySources)) {
    for (const declaration of source.matchAll(/export (?:abstract )?class (\w+)[^{]*\{([\s\S]*?)\n\}/g)) {
      const [, name, body] = declaration;
      const statics = [...body.matchAll(/^\s+static (\w+)\s*[<(]/gm)].map((m): Completion => ({ label: m[1], type: "method" }));
      if (statics.length) members.set(name, statics);
    }
  }
  const exports = names.map((label): Completion => ({
    label,
    type: /^[A-Z]/.test(label) ? "class" : "function",
    detail: "as-interop/assembly/interop",
  }));
  return { exports, members };
}

const api = libraryApi();

/** `Name.` before the cursor: the static members of a library class. */
function memberCompletions(context: CompletionContext, members: Map<string, Completion[]>): CompletionResult | null {
  const before = context.matchBefore(/\b(\w+)\.\w*$/);
  if (!before) return null;
  const owner = /^(\w+)\./.exec(before.text)![1];
  const options = members.get(owner);
  return options ? { from: before.from + owner.length + 1, options } : null;
}

export const assemblyScriptCompletions: CompletionSource = (context) => {
  const member = memberCompletions(context, api.members);
  if (member) return member;
  const word = context.matchBefore(/@?\w*/);
  if (!word || (word.from === word.to && !context.explicit)) return null;
  return { from: word.from, options: word.text.startsWith("@") ? DECORATORS : [...DECORATORS, ...api.exports, ...TYPES] };
};

const DOTNET_MEMBERS: Completion[] = [
  { label: "invokeMethod", type: "method", detail: "(assembly, identifier, ...args) — a result" },
  { label: "invokeMethodAsync", type: "method", detail: "(assembly, identifier, ...args) — a Promise" },
];

/** JavaScript: `DotNet.` and, inside the quotes of its calls, the compiled assembly's name and identifiers. */
export function javaScriptCompletions(compiled: () => { assemblyName: string; identifiers: readonly string[] } | null): CompletionSource {
  return (context) => {
    const member = memberCompletions(context, new Map([["DotNet", DOTNET_MEMBERS]]));
    if (member) return member;
    const quoted = context.matchBefore(/["'][\w$]*$/);
    const current = compiled();
    if (quoted && current) {
      const options = [current.assemblyName, ...current.identifiers].map((label): Completion => ({ label, type: "constant" }));
      return { from: quoted.from + 1, options };
    }
    const word = context.matchBefore(/\w+/);
    if (!word && !context.explicit) return null;
    return { from: word?.from ?? context.pos, options: [{ label: "DotNet", type: "variable", detail: "Blazor's DotNet, bound to this assembly" }] };
  };
}

/**
 * The wire format for composite values; its full description is in the managed half,
 * assembly/interop/wire/format.ts. These constants must match it.
 */
export const TAG_NULL = 0;
export const TAG_VALUE = 1;
export const TAG_REFERENCE = 2;

export const FLAG_PRESERVE = 1;

/** An output buffer starts with the bytes it uses (u32), then the flags byte. */
export const OUTPUT_HEADER = 4;

/** How composite values keep their shape; the assembly's managed half gets the same settings. */
export interface ReferenceOptions {
  /**
   * Keep shared and cyclic references as references (like System.Text.Json's
   * `ReferenceHandler.Preserve`); by default a graph is a tree and a cycle is an error.
   */
  readonly preserveReferences: boolean;
  /** Deepest nesting allowed, as System.Text.Json's `MaxDepth` (default 64). */
  readonly maxDepth: number;
}

/** System.Text.Json's wording; the advice to preserve references only where they are not already. */
export function cycleMessage(maxDepth: number, preserving = false): string {
  return (
    "A possible object cycle was detected. This can either be due to a cycle or if the object depth is larger " +
    `than the maximum allowed depth of ${maxDepth}.` +
    (preserving ? "" : " Consider loading the assembly with { preserveReferences: true } to support cycles.")
  );
}

/** Which descriptor kinds have an identity (get ids when references are preserved; object references have their own). */
export function isTracked(kind: string): boolean {
  return kind === "array" || kind === "staticarray" || kind === "typedarray" || kind === "map" || kind === "struct";
}

/**
 * The first module a sandbox run imports into its assembly's worker (`{ worker: { modules } }`):
 * from here on the program's console goes to the page, through the function the page granted the
 * worker (`{ worker: { expose } }`), formatted here, where the values are (most cannot be copied
 * to the page: functions, errors, managed objects). The grant is taken off the global scope
 * before the user's script runs there.
 */
import type { ConsoleLevel } from "../../app/console-mirror.ts";
import { formatConsoleLine } from "../../app/format.ts";
import { CONSOLE_GRANT, type ConsoleGrant } from "./protocol.ts";

/** `console.debug` stays the browser's: the dev server's client uses it. */
const CONSOLE_LEVELS = ["log", "info", "warn", "error"] as const satisfies readonly ConsoleLevel[];

/** In the worker, a granted page function returns a promise: it answers once the page has run it. */
type GrantedHere<T> = { [K in keyof T]: T[K] extends (...args: infer A) => unknown ? (...args: A) => Promise<unknown> : never };

const scope = globalThis as unknown as Record<typeof CONSOLE_GRANT, GrantedHere<ConsoleGrant> | undefined>;
const { print } = scope[CONSOLE_GRANT]!;
delete scope[CONSOLE_GRANT];

for (const level of CONSOLE_LEVELS) {
  console[level] = (...values: unknown[]) => {
    // The page's answer says nothing; a run stopped meanwhile never gets one.
    print(level, formatConsoleLine(values)).catch(() => undefined);
  };
}

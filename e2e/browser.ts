/**
 * Which Chromium the end-to-end tests drive. Playwright's own browser download does not work
 * everywhere, so the tests prefer a system Chromium and say how to get one when there is none.
 */
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

/** Environment variable naming a Chromium or Chrome executable to use instead of the defaults. */
export const BROWSER_ENV = "CHROMIUM_PATH";

const SYSTEM_CHROMIUMS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** Undefined means "Playwright's own download", used only when it is actually installed. */
export function findChromium(): string | undefined {
  const fromEnv = process.env[BROWSER_ENV];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`${BROWSER_ENV}=${fromEnv}, but there is no such file.`);
    return fromEnv;
  }
  const system = SYSTEM_CHROMIUMS.find((path) => existsSync(path));
  if (system) return system;
  if (existsSync(chromium.executablePath())) return undefined;
  throw new Error(
    [
      "No Chromium found for the end-to-end tests. Either:",
      "  - install Debian's: sudo apt-get install -y chromium   (gives /usr/bin/chromium)",
      `  - or point ${BROWSER_ENV} at a Chromium/Chrome executable`,
      "  - or install Playwright's own: npx playwright install chromium",
    ].join("\n"),
  );
}

/** Flags that keep a root, headless, offline Chromium quiet and quick to start. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

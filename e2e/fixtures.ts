/**
 * A `page` that records what the browser console says and fails the test on any error or
 * warning the page did not expect: the demo must run clean.
 */
import { test as base, expect, type ConsoleMessage } from "@playwright/test";

export interface ConsoleLog {
  messages: ConsoleMessage[];
  /** Resolves with the next `console.log` whose first argument deep-equals `expected`. */
  waitForValue(expected: unknown): Promise<void>;
}

export const test = base.extend<{ consoleLog: ConsoleLog }>({
  consoleLog: async ({ page }, use) => {
    const messages: ConsoleMessage[] = [];
    const problems: string[] = [];
    page.on("console", (message) => {
      messages.push(message);
      if (message.type() === "error" || message.type() === "warning") problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));

    await use({
      messages,
      async waitForValue(expected) {
        await expect
          .poll(async () => {
            for (const message of messages) {
              const [first] = message.args();
              if (first && JSON.stringify(await first.jsonValue()) === JSON.stringify(expected)) return true;
            }
            return false;
          })
          .toBe(true);
      },
    });
    expect(problems, "the browser console shows no errors or warnings").toEqual([]);
  },
});

export { expect };

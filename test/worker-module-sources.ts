/**
 * ES modules the tests import into a worker-hosted assembly's worker, the same in Node
 * (test/worker-modules.test.ts) and in Chromium (e2e/worker/page.ts), with where they throw.
 */

/** Throws a RangeError ("module failed") at line 3, column 7, while it is evaluated. */
export const THROWS_WHILE_EVALUATED = `export const before = 1;\n\nthrow new RangeError("module failed");\n`;

/**
 * Leaves three errors behind once evaluated: a timer's RangeError ("late", thrown at line 2,
 * column 9), and two promises rejected with no handler (a TypeError "unhandled", and 42).
 */
export const LEAVES_ERRORS_BEHIND = `setTimeout(() => {
  throw new RangeError("late");
}, 10);
Promise.reject(new TypeError("unhandled"));
Promise.reject(42);
`;

/**
 * The benchmarks' harness (bench/harness.ts) calibrates how many calls make one timed run. Its
 * figures are the bench's to judge; what is tested here is that a stall while calibrating (a
 * collection, a thread descheduled on a busy machine) does not leave runs too short for the clock.
 */
import { describe, expect, test } from "vitest";
import { runScenario, type Scenario } from "../bench/harness.ts";

/** Keeps the thread busy for `ms`, as a collection or the scheduler would. */
function stall(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe("bench harness", () => {
  test("a stall in the last loop of the warm-up does not shrink the runs: a call is timed over as many calls as fill a run", async () => {
    let calls = 0;
    const scenario: Scenario<() => number> = {
      name: "a call that stalls once",
      args: [],
      // The first loop of calibration is the stalled one, and it outlasts the warm-up: the calls
      // after it are nearly free, and a run must still hold enough of them for the clock to see.
      impls: [{ impl: "raw", fn: () => (++calls === 1 ? (stall(40), calls) : calls) }],
      check: () => {},
    };
    const [measured] = await runScenario(scenario, { runs: 3, runMs: 20, warmupMs: 5 });
    // Taken from the stalled loop alone, a run was 20 ms / (40 ms / 100 calls) = 50 calls: far
    // less than a run of a no-op call holds even on a loaded machine.
    expect(measured.calls).toBeGreaterThan(10_000);
    expect(measured.median).toBeGreaterThan(0);
  });
});

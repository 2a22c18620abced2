/**
 * A sandbox example (web/pages/sandbox): a managed loop that never returns. Nothing can interrupt
 * running wasm, so the sandbox runs each program in a worker, and Stop terminates that worker.
 */

@jsInvokable
export function Spin(): void {
  let turns: u64 = 0;
  while (true) ++turns;
}

/**
 * A sandbox example (web/pages/sandbox): arguments of several types, a result, and an abort that
 * reaches JavaScript as a ManagedError with its file and line while the assembly keeps working.
 */

@jsInvokable
export function Greet(name: string, times: i32): string {
  assert(times > 0, "times must be at least 1");
  const greetings = new Array<string>(times);
  for (let i = 0; i < times; ++i) greetings[i] = "Hello, " + name + "!";
  return greetings.join(" ");
}

@jsInvokable("Average")
export function average(values: f64[]): f64 {
  let sum = 0.0;
  for (let i = 0; i < values.length; ++i) sum += values[i];
  return values.length > 0 ? sum / values.length : 0;
}

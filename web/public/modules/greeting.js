// An ES module that managed code imports by URL (Blazor's JS isolation): its exports reach managed
// code through the handle the import gives it, and never become globals.
export const name = "greeting.js";

export function greet(who) {
  return `Hello from an ES module, ${who}!`;
}

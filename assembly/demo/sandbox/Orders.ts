/**
 * A sandbox example (web/pages/sandbox): values beyond numbers and strings — a class whose
 * `@dataMember` fields cross as a plain object, a Guid, a Date and a Map<string, V>.
 */
import { Guid } from "as-interop/assembly/interop";

class Order {
  @dataMember id: Guid = Guid.empty;
  @dataMember placed: Date = new Date(0);
  @dataMember items: Map<string, i32> = new Map();
}

@jsInvokable
export function CountItems(order: Order): i32 {
  const counts = order.items.values();
  let total = 0;
  for (let i = 0; i < counts.length; ++i) total += counts[i];
  return total;
}

/** The same order, placed a day later, with one more of everything. */
@jsInvokable
export function Repeat(order: Order): Order {
  const next = new Order();
  next.id = order.id;
  next.placed = new Date(order.placed.getTime() + 24 * 60 * 60 * 1000);
  const names = order.items.keys();
  for (let i = 0; i < names.length; ++i) next.items.set(names[i], order.items.get(names[i]) + 1);
  return next;
}

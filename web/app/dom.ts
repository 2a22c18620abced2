/**
 * A tiny element builder, so pages read as the markup they produce:
 *
 *   h("button", { type: "button", onclick: run }, "Trigger")
 *
 * Attributes are set as attributes (`class`, `data-*`, `aria-*`), `on…` functions become event
 * listeners, `true`/`false` toggle boolean attributes, and `null`/`undefined` are left out.
 */
export type Child = Node | string | number | null | undefined | false | readonly Child[];

export type Props = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

export function h<Tag extends keyof HTMLElementTagNameMap>(
  tag: Tag,
  props?: Props | null,
  ...children: Child[]
): HTMLElementTagNameMap[Tag] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (typeof value === "boolean") element.toggleAttribute(name, value);
    else if (value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: ParentNode, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child as Node | string);
  }
}

/** Inline code in prose: `text` between backticks becomes <code>. */
export function prose(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  text.split("`").forEach((part, i) => {
    if (part) fragment.append(i % 2 === 1 ? h("code", null, part) : part);
  });
  return fragment;
}

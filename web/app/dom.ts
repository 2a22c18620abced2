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

/** A URL may hold balanced parentheses, as learn.microsoft.com's `cc645074(v=vs.95)` does. */
const LINK_OR_CODE = /(`[^`]*`|\[[^\]]+\]\(https?:(?:[^()\s]|\([^()\s]*\))+\))/;

/**
 * Prose with a little markup: `text` between backticks becomes <code>, and `[words](https://…)` a
 * link that opens in a new tab (the public documents the demo follows).
 */
export function prose(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const part of text.split(LINK_OR_CODE)) {
    if (!part) continue;
    const link = /^\[([^\]]+)\]\((.+)\)$/.exec(part);
    if (part.startsWith("`") && part.endsWith("`") && part.length > 1) fragment.append(h("code", null, part.slice(1, -1)));
    else if (link) fragment.append(h("a", { href: link[2], target: "_blank", rel: "noopener" }, prose(link[1])));
    else fragment.append(part);
  }
  return fragment;
}

/** The side navigation: the routes by group, with Blazor's samples still to come shown dimmed. */
import { plannedScenarios, SAMPLES_GROUP } from "../pages/scenarios/scenarios.ts";
import { h } from "./dom.ts";
import { hrefOf, type Route } from "./router.ts";

export interface Navigation {
  /** Marks the current page's link (`aria-current`). */
  select(route: Route | null): void;
}

export function renderNavigation(nav: HTMLElement, routes: readonly Route[]): Navigation {
  // The panel stays in view while the page scrolls; the <nav> around it spans the page's height.
  const panel = h("div", { class: "sidebar-panel" });
  nav.append(panel);
  const links = new Map<Route, HTMLAnchorElement>();
  const groups = new Map<string, Route[]>();
  for (const route of routes) groups.set(route.group, [...(groups.get(route.group) ?? []), route]);
  for (const [group, members] of groups) {
    const items = members.map((route) => {
      const link = h("a", { href: hrefOf(route) }, route.title);
      if (route.prefetch) {
        const prefetch = route.prefetch;
        link.addEventListener("pointerenter", prefetch, { once: true });
        link.addEventListener("focus", prefetch, { once: true });
      }
      links.set(route, link);
      return h("li", null, link);
    });
    if (group === SAMPLES_GROUP) {
      items.push(
        ...plannedScenarios.map(({ title, uses }) =>
          h("li", { class: "planned", title: `Coming soon; uses ${uses}` }, title, h("small", null, "soon")),
        ),
      );
    }
    panel.append(h("h2", null, group), h("ul", null, items));
  }
  return {
    select(route) {
      for (const [candidate, link] of links) {
        if (candidate === route) link.setAttribute("aria-current", "page");
        else link.removeAttribute("aria-current");
      }
    },
  };
}

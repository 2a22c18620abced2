/**
 * Hash routing (`#/explorer`): the demo is one static page, so it works from any server and from
 * `vite build` output without rewrite rules. Each page is a module loaded on first visit, mounted
 * into the content element, and told to clean up (stop workers, drop listeners) when left.
 */

export interface Page {
  /** Builds the page into `root`; the returned function, if any, runs when the page is left. */
  mount(root: HTMLElement): (() => void) | void;
}

export interface Route {
  /** The part after `#/`; "" is the landing page. */
  readonly path: string;
  readonly title: string;
  /** The navigation group it is listed under. */
  readonly group: string;
  /** One line for the overview. */
  readonly summary: string;
  /** The page uses the whole width of the content column (tables and editors side by side). */
  readonly wide?: boolean;
  readonly load: () => Promise<Page>;
  /** Starts what the page will need (say, a compiler) when its link is pointed at or focused. */
  readonly prefetch?: () => void;
}

export interface RouterOptions {
  readonly routes: readonly Route[];
  readonly content: HTMLElement;
  /** Called after every navigation, with the route shown (null: not found). */
  readonly onNavigate: (route: Route | null) => void;
  readonly siteTitle: string;
}

export function hrefOf(route: Pick<Route, "path">): string {
  return `#/${route.path}`;
}

export function startRouter({ routes, content, onNavigate, siteTitle }: RouterOptions): void {
  let leave: (() => void) | void;
  let navigation = 0;

  const show = async (): Promise<void> => {
    const current = ++navigation;
    const path = location.hash.replace(/^#\/?/, "");
    const route = routes.find((candidate) => candidate.path === path) ?? null;
    const page = route ? await route.load() : notFound(routes);
    // A later navigation may have started while this page's module was loading.
    if (current !== navigation) return;

    leave?.();
    content.replaceChildren();
    content.dataset.page = route?.path || (route ? "overview" : "not-found");
    document.title = route ? `${route.title} · ${siteTitle}` : siteTitle;
    leave = page.mount(content);
    onNavigate(route);
    window.scrollTo(0, 0);
  };

  window.addEventListener("hashchange", () => void show());
  void show();
}

function notFound(routes: readonly Route[]): Page {
  return {
    mount(root) {
      const heading = document.createElement("h1");
      heading.textContent = "No such page";
      const back = document.createElement("a");
      back.href = hrefOf(routes[0]);
      back.textContent = `Back to ${routes[0].title}`;
      root.append(heading, back);
    },
  };
}

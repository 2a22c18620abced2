/** Hide and Show for the docked console; the choice is kept for the next visit. */
const KEY = "as-interop-demo:console";

export function dockToggle(app: HTMLElement, button: HTMLButtonElement): void {
  const apply = (collapsed: boolean) => {
    app.dataset.console = collapsed ? "collapsed" : "open";
    button.textContent = collapsed ? "Show" : "Hide";
    button.setAttribute("aria-expanded", String(!collapsed));
  };
  apply(localStorage.getItem(KEY) === "collapsed");
  button.addEventListener("click", () => {
    const collapsed = app.dataset.console !== "collapsed";
    localStorage.setItem(KEY, collapsed ? "collapsed" : "open");
    apply(collapsed);
  });
}

/**
 * Blazor's documentation sample `Pages/JSInteropComponent.razor` with an argument ("Component instance method call",
 * the `Sarah Jane` variant), in AssemblyScript. The page loads this file as the assembly
 * `BlazorSample`, in a runtime of its own: the first variant (assembly/demo/JSInteropComponent.ts)
 * has a static `UpdateMessageCaller` without parameters, and one assembly cannot hold both.
 */
import { JSArgs, JSRuntime } from "as-interop/assembly/interop";

/** .NET's `Action<string>`, bound to its instance (AssemblyScript has no closures). */
class Action {
  constructor(
    private readonly target: JSInteropComponent,
    private readonly method: (target: JSInteropComponent, name: string) => void,
  ) {}

  Invoke(name: string): void {
    this.method(this.target, name);
  }
}

class JSInteropComponent {
  private static action: Action | null = null;
  private message: string = "Select the button.";

  OnInitialized(): void {
    JSInteropComponent.action = new Action(this, (component: JSInteropComponent, name: string): void => component.UpdateMessage(name));
  }

  UpdateMessage(name: string): void {
    this.message = `${name}, UpdateMessage Called!`;
    this.StateHasChanged();
  }

  @jsInvokable
  static UpdateMessageCaller(name: string): void {
    JSInteropComponent.action!.Invoke(name);
  }

  /** Blazor's renderer updates the page; here managed code hands the markup's state to the page. */
  StateHasChanged(): void {
    JSRuntime.invokeVoid("renderJSInteropComponent", JSArgs.of(this.message));
  }
}

/** Blazor creates the component, runs `OnInitialized` and renders it; the page calls this to do the same. */
@jsInvokable
export function RenderJSInteropComponent(): void {
  const component = new JSInteropComponent();
  component.OnInitialized();
  component.StateHasChanged();
}

/**
 * Blazor's documentation sample `Pages/JSInteropComponent.razor` ("Component instance method call"), in
 * AssemblyScript. The page loads this file as the assembly `BlazorSample`, in a runtime of its
 * own: the documentation's "Sarah Jane" variant (assembly/demo/JSInteropComponentSarahJane.ts) has a static
 * `UpdateMessageCaller` too, with a parameter, and one assembly cannot hold both.
 */
import { JSArgs, JSRuntime } from "as-interop/assembly/interop";

/**
 * .NET's `Action`, bound to its instance: AssemblyScript has no closures, so the target travels
 * beside a function that captures nothing.
 */
class Action {
  constructor(
    private readonly target: JSInteropComponent,
    private readonly method: (target: JSInteropComponent) => void,
  ) {}

  Invoke(): void {
    this.method(this.target);
  }
}

class JSInteropComponent {
  private static action: Action | null = null;
  private message: string = "Select the button.";

  OnInitialized(): void {
    JSInteropComponent.action = new Action(this, (component: JSInteropComponent): void => component.UpdateMessage());
  }

  UpdateMessage(): void {
    this.message = "UpdateMessage Called!";
    this.StateHasChanged();
  }

  @jsInvokable
  static UpdateMessageCaller(): void {
    JSInteropComponent.action!.Invoke();
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

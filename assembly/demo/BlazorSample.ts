/**
 * The demo's managed code: Blazor's documentation samples ("Call .NET methods from JavaScript
 * functions in ASP.NET Core Blazor"), written in AssemblyScript. The assembly is named
 * `BlazorSample` after this file: the app's assembly, whose name the documentation leaves as a
 * placeholder.
 */
import { DotNetObjectReference, JSArgs, JSObject, JSRuntime, Task } from "as-interop/assembly/interop";

/** Blazor: `[JSInvokable] public static Task<int[]> ReturnArrayAsync()`. */
@jsInvokable
export function ReturnArrayAsync(): i32[] {
  return [1, 2, 3];
}

/** Blazor: `[JSInvokable("DifferentMethodName")]`: JS calls it by that identifier, not its name. */
@jsInvokable("DifferentMethodName")
export function ReturnArrayAsyncRenamed(): i32[] {
  return [1, 2, 3];
}

// --- Instance method call: HelloHelper and ExampleJsInterop -------------------------------------

/** Blazor: `JsInteropClasses/HelloHelper.cs`. `Name` is a property of the JS reference too. */
class HelloHelper {
  @scriptableMember Name: string;

  constructor(name: string) {
    this.Name = name;
  }

  @jsInvokable
  SayHello(): string {
    return `Hello, ${this.Name}!`;
  }
}

/**
 * Blazor: `JsInteropClasses/ExampleJsInterop.cs`, the variant that disposes its reference. The
 * documentation's JavaScript `sayHello` returns a promise that logs the greeting and resolves to nothing,
 * so the result is `string | null` (C#'s `InvokeAsync<string>` gives null there too).
 */
class ExampleJsInterop {
  private objRef: DotNetObjectReference<HelloHelper> | null = null;

  CallHelloHelperSayHello(name: string): Task<string | null> {
    this.objRef = DotNetObjectReference.create(new HelloHelper(name));

    return JSRuntime.invokeAsync<string | null>("exampleJsFunctions.sayHello", JSArgs.of(this.objRef));
  }

  Dispose(): void {
    const objRef = this.objRef;
    if (objRef) objRef.dispose();
  }
}

/** `await exampleJsInterop.CallHelloHelperSayHello(…)`, then `Dispose()`: a continuation, as AssemblyScript has no await. */
function disposeWhenDone(exampleJsInterop: ExampleJsInterop, _call: Task<string | null>): void {
  exampleJsInterop.Dispose();
}

/**
 * Blazor: `Pages/JsInterop.razor`'s `TriggerNetInstanceMethod`, the button's handler. The task
 * completes once JavaScript has logged the greeting and the reference is disposed.
 */
@jsInvokable
export function TriggerNetInstanceMethod(): Task<string | null> {
  const exampleJsInterop = new ExampleJsInterop();
  const call = exampleJsInterop.CallHelloHelperSayHello("Blazor");
  call.continueWithState<ExampleJsInterop>(exampleJsInterop, disposeWhenDone);
  return call;
}

// --- Component instance method helper class: ListItem and MessageUpdateInvokeHelper ------------

/**
 * .NET's `Action`, bound to its instance: AssemblyScript has no closures, so the target travels
 * beside a function that does not capture anything.
 */
class Action<T> {
  constructor(
    private readonly target: T,
    private readonly method: (target: T) => void,
  ) {}

  Invoke(): void {
    this.method(this.target);
  }
}

/** Blazor: `MessageUpdateInvokeHelper.cs`. */
class MessageUpdateInvokeHelper {
  constructor(private action: Action<ListItem>) {}

  @jsInvokable
  UpdateMessageCaller(): void {
    this.action.Invoke();
  }
}

/**
 * Blazor: `Shared/ListItem.razor`. `element` is the `<li>` the page made for it; rendering hands
 * the component's state to the page's `renderListItem` (Blazor's renderer does this for a real
 * component), so the text changes the moment managed code calls `StateHasChanged`.
 */
class ListItem {
  private message: string = "Select one of these list item buttons.";
  private display: string = "inline-block";
  private messageUpdateInvokeHelper!: MessageUpdateInvokeHelper;

  constructor(private readonly element: JSObject) {}

  OnInitialized(): void {
    this.messageUpdateInvokeHelper = new MessageUpdateInvokeHelper(
      new Action<ListItem>(this, (item: ListItem): void => item.UpdateMessage()),
    );
  }

  InteropCall(): void {
    JSRuntime.invokeVoid("updateMessageCallerJS", JSArgs.of(DotNetObjectReference.create(this.messageUpdateInvokeHelper)));
  }

  UpdateMessage(): void {
    this.message = "UpdateMessage Called!";
    this.display = "none";
    this.StateHasChanged();
  }

  StateHasChanged(): void {
    JSRuntime.invokeVoid("renderListItem", JSArgs.of(this.element).and(this.message).and(this.display));
  }

  Dispose(): void {
    this.element.dispose();
  }
}

/** Blazor: `Pages/JSInteropExample.razor`, the list of components; the page mounts four. */
let listItems: ListItem[] = [];

/** Renders a new `ListItem` into `element` (Blazor instantiates components itself); returns its index. */
@jsInvokable
export function MountListItem(element: JSObject): i32 {
  const item = new ListItem(element);
  item.OnInitialized();
  item.StateHasChanged();
  listItems.push(item);
  return listItems.length - 1;
}

/** The `ListItem` button's `@onclick="InteropCall"`, dispatched to the component at `index`. */
@jsInvokable
export function ListItemInteropCall(index: i32): void {
  listItems[index].InteropCall();
}

/** The page was left: the components go, and with them their handles to the page's elements. */
@jsInvokable
export function UnmountListItems(): void {
  for (let i = 0; i < listItems.length; ++i) listItems[i].Dispose();
  listItems = [];
}

// --- JS modules ---------------------------------------------------------------------------------

/** What the continuation needs once the module is loaded (AssemblyScript has no closures). */
class Greeting {
  constructor(
    readonly result: Task<string>,
    readonly who: string,
  ) {}
}

function onModuleImported(greeting: Greeting, imported: Task<JSObject>): void {
  if (imported.isFaulted) {
    greeting.result.reject(imported.errorMessage!);
    return;
  }
  const module = imported.result;
  const text = module.invoke<string>("greet", JSArgs.of(greeting.who));
  module.dispose();
  greeting.result.resolve(text);
}

/**
 * Blazor: `module = await JS.InvokeAsync<IJSObjectReference>("import", "./modules/greeting.js")`,
 * then `module.InvokeAsync<string>("greet", …)` and `module.DisposeAsync()`. As in Blazor, the path
 * is relative to the page: the module is `web/public/modules/greeting.js`, served as is.
 */
@jsInvokable
export function GreetFromModule(): Task<string> {
  const result = new Task<string>();
  JSRuntime.invokeAsync<JSObject>("import", JSArgs.of("./modules/greeting.js"))
    .continueWithState<Greeting>(new Greeting(result, "Blazor"), onModuleImported);
  return result;
}

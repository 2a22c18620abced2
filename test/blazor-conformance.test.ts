/**
 * Blazor's own interop scenarios, run as an outside checker would: the JavaScript exactly as
 * Blazor's documentation and ASP.NET Core's interop test app (BasicTestApp's jsinteroptests.js,
 * checked by its InteropTest E2E test) write it, against managed code translated from their C#
 * (test/fixtures/blazor-conformance.ts). Expected values are those the documentation prints and
 * the E2E test asserts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { InteropRuntime } from "../host/runtime/index.ts";
import { compileFixture, globalInstaller } from "./helpers.ts";

const NAME = "BlazorSample";

let runtime: InteropRuntime;
const install = globalInstaller();

beforeAll(async () => {
  const { module } = await compileFixture("blazor-conformance", { assemblyName: NAME });
  runtime = new InteropRuntime();
  await runtime.loadAssembly(module);
});

/** Blazor's JavaScript sees the runtime as the global `DotNet`. */
function withDotNet(globals: Record<string, unknown> = {}): void {
  install({ DotNet: runtime.DotNet, ...globals });
}

describe("Call .NET methods from JavaScript functions: the documentation's samples", () => {
  it("returnArrayAsync(5) logs [5, 6, 7]", async () => {
    const logged: unknown[] = [];
    withDotNet();
    const returnArrayAsync = (startPosition: number) =>
      runtime.DotNet.invokeMethodAsync("BlazorSample", "ReturnArrayAsync", startPosition).then((data) => {
        logged.push(data);
      });
    await returnArrayAsync(5);
    expect(logged).toEqual([[5, 6, 7]]);
  });

  it("DotNet.createJSObjectReference(window) reaches ReceiveWindowObject, and disposing it after the call is harmless", async () => {
    withDotNet({ someGlobal: "on the window" });
    const DotNet = runtime.DotNet;
    const jsObjectReference = DotNet.createJSObjectReference(globalThis);
    await DotNet.invokeMethodAsync("BlazorSample", "ReceiveWindowObject", jsObjectReference);
    expect(DotNet.invokeMethod("BlazorSample", "WindowValue", "someGlobal")).toBe("on the window");
    DotNet.disposeJSObjectReference(jsObjectReference);
  });

  it("sendByteArray: ReceiveByteArray decodes the Uint8Array", async () => {
    const DotNet = runtime.DotNet;
    const data = new Uint8Array([0x45, 0x76, 0x65, 0x72, 0x79, 0x74, 0x68, 0x69, 0x6e, 0x67, 0x27, 0x73, 0x20, 0x73, 0x68, 0x69, 0x6e, 0x79, 0x2c,
      0x20, 0x43, 0x61, 0x70, 0x74, 0x61, 0x69, 0x6e, 0x2e, 0x20, 0x4e, 0x6f, 0x74, 0x20, 0x74, 0x6f, 0x20, 0x66, 0x72, 0x65, 0x74, 0x2e]);
    const str = await DotNet.invokeMethodAsync("BlazorSample", "ReceiveByteArray", data);
    expect(str).toBe("Everything's shiny, Captain. Not to fret.");
  });

  it("sayHello1 and sayHello2 return the promise of the instance call, which InvokeAsync awaits", async () => {
    withDotNet({
      sayHello1: (dotNetHelper: { invokeMethodAsync(id: string): Promise<string> }) => {
        return dotNetHelper.invokeMethodAsync("GetHelloMessage");
      },
      sayHello2: (dotNetHelper: { invokeMethodAsync(id: string, name: string): Promise<string> }, name: string) => {
        return dotNetHelper.invokeMethodAsync("GetHelloMessage", name);
      },
    });
    expect(await runtime.invokeMethodAsync(NAME, "TriggerDotNetInstanceMethod", "Amy Pond")).toBe("Hello, Amy Pond!");
    expect(await runtime.invokeMethodAsync(NAME, "TriggerDotNetInstanceMethodWithName", "Amy Pond")).toBe("Hello, Amy Pond!");
  });

  it("a DotNetObjectReference passed to a JS class with multiple functions (GreetingHelpers)", async () => {
    const alerts: string[] = [];
    const alert = (message: string) => alerts.push(message);
    class GreetingHelpers {
      static dotNetHelper: { invokeMethodAsync(id: string): Promise<string> };

      static setDotNetHelper(value: typeof GreetingHelpers.dotNetHelper) {
        GreetingHelpers.dotNetHelper = value;
      }

      static async sayHello() {
        const msg = await GreetingHelpers.dotNetHelper.invokeMethodAsync("GetHelloMessage");
        alert(`Message from .NET: "${msg}"`);
      }

      static async welcomeVisitor() {
        const msg = await GreetingHelpers.dotNetHelper.invokeMethodAsync("GetWelcomeMessage");
        alert(`Message from .NET: "${msg}"`);
      }
    }
    withDotNet({ GreetingHelpers });
    await runtime.invokeMethodAsync(NAME, "RenderOneHelper", "Amy Pond");
    await GreetingHelpers.sayHello();
    await GreetingHelpers.welcomeVisitor();
    expect(alerts).toEqual(['Message from .NET: "Hello, Amy Pond!"', 'Message from .NET: "Welcome, Amy Pond!"']);
    runtime.invokeMethod(NAME, "DisposeOneHelper");
  });

  it("invokeMethodsAsync calls Update and UpdateAsync of GenericType<string> and GenericType<int>, synchronously too", async () => {
    const log: string[] = [];
    let counter = 0;
    const randomInt = () => 1000 + counter++;
    type Helper = { invokeMethodAsync(id: string, value: unknown): Promise<unknown>; invokeMethod(id: string, value: unknown): unknown };
    withDotNet({
      invokeMethodsAsync: async (syncInterop: boolean, dotNetHelper1: Helper, dotNetHelper2: Helper) => {
        var n = randomInt();
        log.push(`JS: invokeMethodAsync:Update('string ${n}')`);
        await dotNetHelper1.invokeMethodAsync("Update", `string ${n}`);

        n = randomInt();
        log.push(`JS: invokeMethodAsync:UpdateAsync('string ${n}')`);
        await dotNetHelper1.invokeMethodAsync("UpdateAsync", `string ${n}`);

        if (syncInterop) {
          n = randomInt();
          log.push(`JS: invokeMethod:Update('string ${n}')`);
          dotNetHelper1.invokeMethod("Update", `string ${n}`);
        }

        n = randomInt();
        log.push(`JS: invokeMethodAsync:Update(${n})`);
        await dotNetHelper2.invokeMethodAsync("Update", n);

        n = randomInt();
        log.push(`JS: invokeMethodAsync:UpdateAsync(${n})`);
        await dotNetHelper2.invokeMethodAsync("UpdateAsync", n);

        if (syncInterop) {
          n = randomInt();
          log.push(`JS: invokeMethod:Update(${n})`);
          dotNetHelper2.invokeMethod("Update", n);
        }
      },
    });
    await runtime.invokeMethodAsync(NAME, "InvokeInterop");
    expect(log).toHaveLength(6);
    expect(runtime.invokeMethod(NAME, "GenericValues")).toBe("string 1002|1005");
  });

  it("updateMessageCaller: invokeMethodAsync and then dispose() at once, as the component helper class sample does", async () => {
    withDotNet({
      updateMessageCaller: (dotNetHelper: { invokeMethodAsync(id: string): Promise<unknown>; dispose(): void }) => {
        dotNetHelper.invokeMethodAsync("UpdateMessageCaller");
        dotNetHelper.dispose();
      },
    });
    await runtime.invokeMethodAsync(NAME, "InteropCall");
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(runtime.invokeMethod(NAME, "UpdateMessageCalls")).toBe(1);
    // The reference was disposed by JS: the next InteropCall hands the helper out anew, as Blazor's
    // DotNetObjectReference.Create makes a new reference each time.
    await runtime.invokeMethodAsync(NAME, "InteropCall");
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(runtime.invokeMethod(NAME, "UpdateMessageCalls")).toBe(2);
  });

  it("a reference assigned to an element's property (assignDotNetHelper, interopCall)", async () => {
    const element: Record<string, unknown> = {};
    withDotNet({
      assignDotNetHelper: (element: Record<string, unknown>, dotNetHelper: unknown) => {
        element.dotNetHelper = dotNetHelper;
      },
      interopCall: async (element: { dotNetHelper: { invokeMethodAsync(id: string): Promise<unknown> } }) => {
        await element.dotNetHelper.invokeMethodAsync("UpdateMessage");
      },
    });
    await runtime.invokeMethodAsync(NAME, "RenderListItem2", element);
    await (globalThis as unknown as { interopCall(element: unknown): Promise<void> }).interopCall(element);
    expect(runtime.invokeMethod(NAME, "ListItem2Message")).toBe("UpdateMessage Called!");
  });
});

/** BasicTestApp's jsinteroptests.js `createArgumentList`, as written there. */
function createArgumentList(argumentNumber: number, dotNetObjectByRef: unknown) {
  const array = new Array(argumentNumber);
  if (argumentNumber === 0) {
    return [];
  }
  for (var i = 0; i < argumentNumber; i++) {
    switch (i) {
      case 0:
        array[i] = {
          id: argumentNumber,
          isValid: argumentNumber % 2 === 0,
          data: {
            source: `Some random text with at least ${argumentNumber} characters`,
            start: argumentNumber,
            length: argumentNumber,
          },
        };
        break;
      case 1:
        array[i] = argumentNumber;
        break;
      case 2:
        array[i] = dotNetObjectByRef;
        break;
      case 3:
        array[i] = argumentNumber * 4;
        break;
      case 4:
        array[i] = argumentNumber * 8;
        break;
      case 5:
        array[i] = argumentNumber + 0.25;
        break;
      case 6:
        array[i] = Array.apply(null, Array(argumentNumber)).map((_v, i) => i + 0.5);
        break;
      case 7:
        array[i] = {
          source: `Some random text with at least ${i} characters`,
          start: argumentNumber + 1,
          length: argumentNumber + 1,
        };
        break;
      default:
        throw new Error("Invalid argument count!");
    }
  }
  return array;
}

type Reference = { invokeMethod(id: string, ...args: unknown[]): any; invokeMethodAsync(id: string, ...args: unknown[]): Promise<any> };

describe("ASP.NET Core's interop test app: JavaScript calling .NET", () => {
  const assemblyName = "BlazorSample";
  const eight = `[{"id":8,"isValid":true,"data":{"source":"Some random text with at least 8 characters","start":8,"length":8}},8,123,32,64,8.25,[0.5,1.5,2.5,3.5,4.5,5.5,6.5,7.5],{"source":"Some random text with at least 7 characters","start":9,"length":9}]`;
  const results: Record<string, unknown> = {};

  beforeAll(async () => {
    withDotNet();
    install({
      jsInteropTests: {
        async invokeDotNetInteropMethodsAsync(shouldSupportSyncInterop: boolean, dotNetObjectByRef: Reference, instanceMethodsTarget: Reference, genericDotNetObjectByRef: Reference) {
          const DotNet = runtime.DotNet;
          if (shouldSupportSyncInterop) {
            DotNet.invokeMethod(assemblyName, "VoidParameterless");
            DotNet.invokeMethod(assemblyName, "VoidWithEightParameters", ...createArgumentList(8, dotNetObjectByRef));

            var returnDotNetObjectByRefResult = DotNet.invokeMethod<Record<string, unknown>>(assemblyName, "ReturnDotNetObjectByRef");
            results["resultReturnDotNetObjectByRefSync"] = DotNet.invokeMethod(assemblyName, "ExtractNonSerializedValue", returnDotNetObjectByRefResult["Some sync instance"]);

            var jsObjectReference = DotNet.createJSObjectReference({
              prop: "successful",
              noop: function () {},
            });

            var returnedObject = DotNet.invokeMethod<{ prop: string }>(assemblyName, "RoundTripJSObjectReference", jsObjectReference);
            results["roundTripJSObjectReference"] = returnedObject && returnedObject.prop;

            DotNet.disposeJSObjectReference(jsObjectReference);
            results["invokeDisposedJSObjectReferenceException"] = DotNet.invokeMethod(assemblyName, "InvokeDisposedJSObjectReferenceException", jsObjectReference);

            var byteArray = new Uint8Array([1, 5, 7, 17, 200, 138]);
            var returnedByteArray = DotNet.invokeMethod(assemblyName, "RoundTripByteArray", byteArray);
            results["roundTripByteArrayFromJS"] = returnedByteArray;

            var byteArrayWrapper = { strVal: "Some string", byteArrayVal: byteArray, intVal: 42 };
            var returnedByteArrayWrapper = DotNet.invokeMethod(assemblyName, "RoundTripByteArrayWrapperObject", byteArrayWrapper);
            results["roundTripByteArrayWrapperObjectFromJS"] = returnedByteArrayWrapper;

            var streamRef = DotNet.invokeMethod<{ arrayBuffer(): Promise<ArrayBuffer> }>(assemblyName, "GetDotNetStreamReference");
            results["requestDotNetStreamReference"] = await validateDotNetStreamReference(streamRef);

            var instanceMethodResult = instanceMethodsTarget.invokeMethod("InstanceMethod", {
              stringValue: "My string",
              dtoByRef: dotNetObjectByRef,
            });
            results["instanceMethodThisTypeName"] = instanceMethodResult.thisTypeName;
            results["instanceMethodStringValueUpper"] = instanceMethodResult.stringValueUpper;
            results["instanceMethodIncomingByRef"] = instanceMethodResult.incomingByRef;
            results["instanceMethodOutgoingByRef"] = DotNet.invokeMethod(assemblyName, "ExtractNonSerializedValue", instanceMethodResult.outgoingByRef);
          }

          await DotNet.invokeMethodAsync(assemblyName, "VoidWithEightParametersAsync", ...createArgumentList(8, dotNetObjectByRef));

          const returnDotNetObjectByRefAsync = await DotNet.invokeMethodAsync<Record<string, unknown>>(assemblyName, "ReturnDotNetObjectByRefAsync");
          results["resultReturnDotNetObjectByRefAsync"] = await DotNet.invokeMethodAsync(assemblyName, "ExtractNonSerializedValue", returnDotNetObjectByRefAsync["Some async instance"]);

          var jsObjectReference = DotNet.createJSObjectReference({
            prop: "successful",
            noop: function () {},
          });

          var returnedObject = await DotNet.invokeMethodAsync<{ prop: string }>(assemblyName, "RoundTripJSObjectReferenceAsync", jsObjectReference);
          results["roundTripJSObjectReferenceAsync"] = returnedObject && returnedObject.prop;

          DotNet.disposeJSObjectReference(jsObjectReference);
          results["invokeDisposedJSObjectReferenceExceptionAsync"] = await DotNet.invokeMethodAsync(assemblyName, "InvokeDisposedJSObjectReferenceExceptionAsync", jsObjectReference);

          const largeArray = Array.from({ length: 100000 }).map((_, index) => index % 256);
          const largeByteArray = new Uint8Array(largeArray);
          const jsStreamReference = DotNet.createJSStreamReference(largeByteArray);
          results["jsToDotNetStreamParameterAsync"] = await DotNet.invokeMethodAsync(assemblyName, "JSToDotNetStreamParameterAsync", jsStreamReference);

          var streamWrapper = { strVal: "SomeStr", jsStreamReferenceVal: jsStreamReference, intVal: 5 };
          results["jsToDotNetStreamWrapperObjectParameterAsync"] = await DotNet.invokeMethodAsync(assemblyName, "JSToDotNetStreamWrapperObjectParameterAsync", streamWrapper);

          var streamRef = await DotNet.invokeMethodAsync<{ arrayBuffer(): Promise<ArrayBuffer> }>(assemblyName, "GetDotNetStreamReferenceAsync");
          results["requestDotNetStreamReferenceAsync"] = await validateDotNetStreamReference(streamRef);

          const instanceMethodAsync = await instanceMethodsTarget.invokeMethodAsync("InstanceMethodAsync", {
            stringValue: "My string",
            dtoByRef: dotNetObjectByRef,
          });
          results["instanceMethodThisTypeNameAsync"] = instanceMethodAsync.thisTypeName;
          results["instanceMethodStringValueUpperAsync"] = instanceMethodAsync.stringValueUpper;
          results["instanceMethodIncomingByRefAsync"] = instanceMethodAsync.incomingByRef;
          results["instanceMethodOutgoingByRefAsync"] = await DotNet.invokeMethodAsync(assemblyName, "ExtractNonSerializedValue", instanceMethodAsync.outgoingByRef);

          results["syncGenericInstanceMethod"] = await genericDotNetObjectByRef.invokeMethodAsync("Update", "Updated value 1");
          results["asyncGenericInstanceMethod"] = await genericDotNetObjectByRef.invokeMethodAsync("UpdateAsync", "Updated value 2");
          if (shouldSupportSyncInterop) {
            results["genericInstanceMethod"] = genericDotNetObjectByRef.invokeMethod("Update", "Updated Value 3");
          }

          try {
            shouldSupportSyncInterop && DotNet.invokeMethod(assemblyName, "ThrowException");
          } catch (e) {
            results["ThrowException"] = (e as Error).message;
          }
          try {
            await DotNet.invokeMethodAsync(assemblyName, "AsyncThrowSyncException");
          } catch (e) {
            results["AsyncThrowSyncException"] = (e as Error).message;
          }
          try {
            await DotNet.invokeMethodAsync(assemblyName, "AsyncThrowAsyncException");
          } catch (e) {
            results["AsyncThrowAsyncException"] = (e as Error).message;
          }
        },
      },
    });
    await runtime.invokeMethodAsync(NAME, "InvokeDotNetInteropMethods");
  });

  async function validateDotNetStreamReference(streamRef: { arrayBuffer(): Promise<ArrayBuffer> }) {
    const data = new Uint8Array(await streamRef.arrayBuffer());
    const isValid = data.length == 100000 && data.every((value, index) => value == index % 256);
    return isValid ? "Success" : `Failure, got length ${data.length} with data ${data}`;
  }

  it("methods of eight parameters of every kind, synchronous and asynchronous", () => {
    expect(runtime.invokeMethod(NAME, "Invocation", "VoidParameterless")).toBe("[]");
    expect(runtime.invokeMethod(NAME, "Invocation", "VoidWithEightParameters")).toBe(eight);
    expect(runtime.invokeMethod(NAME, "Invocation", "VoidWithEightParametersAsync")).toBe(eight);
  });

  it("a dictionary of DotNetObjectReferences, whose references come back to the same objects", () => {
    expect(results["resultReturnDotNetObjectByRefSync"]).toBe(1000);
    expect(results["resultReturnDotNetObjectByRefAsync"]).toBe(1001);
  });

  it("a JS object reference round-trips to the object; a disposed one reaches .NET, whose call on it fails", () => {
    expect(results["roundTripJSObjectReference"]).toBe("successful");
    expect(results["roundTripJSObjectReferenceAsync"]).toBe("successful");
    expect(results["invokeDisposedJSObjectReferenceException"]).toMatch(/^JS object instance with ID \d+ does not exist \(has it been disposed\?\)\./);
    expect(results["invokeDisposedJSObjectReferenceExceptionAsync"]).toMatch(/^JS object instance with ID \d+ does not exist \(has it been disposed\?\)\./);
  });

  it("byte arrays, alone and in an object", () => {
    expect(results["roundTripByteArrayFromJS"]).toEqual(new Uint8Array([1, 5, 7, 17, 200, 138]));
    expect(results["roundTripByteArrayWrapperObjectFromJS"]).toEqual({ strVal: "Some string", byteArrayVal: new Uint8Array([1, 5, 7, 17, 200, 138]), intVal: 42 });
  });

  it("streams both ways", () => {
    expect(results["jsToDotNetStreamParameterAsync"]).toBe("Success");
    expect(results["jsToDotNetStreamWrapperObjectParameterAsync"]).toBe("Success");
    expect(results["requestDotNetStreamReference"]).toBe("Success");
    expect(results["requestDotNetStreamReferenceAsync"]).toBe("Success");
  });

  it("an instance method takes and returns references inside objects", () => {
    expect(results).toMatchObject({
      instanceMethodThisTypeName: "JavaScriptInterop",
      instanceMethodStringValueUpper: "MY STRING",
      instanceMethodIncomingByRef: 123,
      instanceMethodOutgoingByRef: 1234,
      instanceMethodThisTypeNameAsync: "JavaScriptInterop",
      instanceMethodStringValueUpperAsync: "MY STRING",
      instanceMethodIncomingByRefAsync: 123,
      instanceMethodOutgoingByRefAsync: 1234,
    });
  });

  it("a generic type's instance methods", () => {
    expect(results["syncGenericInstanceMethod"]).toBe("Initial value");
    expect(results["asyncGenericInstanceMethod"]).toBe("Updated value 1");
    expect(results["genericInstanceMethod"]).toBe("Updated value 2");
  });

  it("exceptions, sync and async", () => {
    expect(results["ThrowException"]).toContain("Threw an exception!");
    expect(results["AsyncThrowSyncException"]).toContain("Threw a sync exception!");
    expect(results["AsyncThrowAsyncException"]).toContain("Threw an async exception!");
  });
});

describe("ASP.NET Core's interop test app: .NET calling JavaScript", () => {
  beforeAll(() => {
    withDotNet();
  });

  it("receiveDotNetObjectByRef: an object holding a reference goes to JS, which calls .NET with it and returns it inside its result", () => {
    install({
      receiveDotNetObjectByRef(incomingData: { stringValue: string; testDto: unknown }) {
        const stringValue = incomingData.stringValue;
        const testDto = incomingData.testDto;
        const testDtoNonSerializedValue = runtime.DotNet.invokeMethod("BlazorSample", "ExtractNonSerializedValue", testDto);
        return {
          stringValueUpper: stringValue.toUpperCase(),
          testDtoNonSerializedValue: testDtoNonSerializedValue,
          testDto: testDto,
        };
      },
    });
    expect(runtime.invokeMethod(NAME, "ReceiveDotNetObjectByRefSync")).toBe("MY STRING|99999|Same");
  });

  it("primitives and arrays of objects, sync and async", async () => {
    const returnArray = () => [{ source: "first" }, { source: "second" }];
    install({
      returnPrimitive: () => 123,
      returnArray,
      returnPrimitiveAsync: () => new Promise((resolve) => setTimeout(() => resolve(123), 10)),
      returnArrayAsync: () => new Promise((resolve) => setTimeout(() => resolve(returnArray()), 10)),
    });
    expect(runtime.invokeMethod(NAME, "ReturnValues")).toBe("123|first,second");
    expect(await runtime.invokeMethodAsync(NAME, "ReturnPrimitiveFromJSAsync")).toBe(123);
    expect(await runtime.invokeMethodAsync(NAME, "ReturnArrayFromJSAsync")).toBe("first,second");
  });

  it("InvokeVoid does not convert what JS returns; a JSObject wanted from undefined or null is an error", () => {
    install({ returnUndefined: () => undefined, returnNull: () => null });
    expect(runtime.invokeMethod(NAME, "InvokeEdgeCases")).toBe("true|true");
  });

  it("a JS object reference JS returns: its functions, nested ones, passed back, a value that is not a function", () => {
    install({
      returnJSObjectReference() {
        return {
          identity: function (value: unknown) {
            return value;
          },
          getWindow: function () {
            return globalThis;
          },
          nonFunction: 123,
          nested: {
            add: function (a: number, b: number) {
              return a + b;
            },
          },
          dispose: function () {
            runtime.DotNet.disposeJSObjectReference(this);
          },
        };
      },
      addViaJSObjectReference(jsObjectReference: { nested: { add(a: number, b: number): number } }, a: number, b: number) {
        return jsObjectReference.nested.add(a, b);
      },
    });
    expect(runtime.invokeMethod(NAME, "JSObjectReferenceScenarios")).toBe("Invoked from JSObjectReference|5|5|The value 'nonFunction' is not a function.");
  });

  it("byte arrays from .NET arrive as Uint8Array, alone and in an object", () => {
    install({
      roundTripByteArray(byteArray: Uint8Array) {
        if (byteArray.constructor !== Uint8Array) {
          throw new Error("roundTripByteArray did not receive a byte array.");
        }
        return byteArray;
      },
      roundTripByteArrayWrapperObject(byteArrayWrapperObject: { byteArrayVal: Uint8Array }) {
        if (byteArrayWrapperObject.byteArrayVal.constructor !== Uint8Array) {
          throw new Error("roundTripByteArrayWrapperObject did not receive a byte array.");
        }
        return byteArrayWrapperObject;
      },
    });
    expect(runtime.invokeMethod(NAME, "RoundTripByteArrayFromDotNet")).toBe("1,5,7,15,35,200|StrVal: Some String, IntVal: 100000, ByteArrayVal: 1,5,7,15,35,200");
  });

  it("JS data read by .NET as a stream: a Uint8Array returned, awaited, or inside an object as a stream reference", async () => {
    const DotNet = runtime.DotNet;
    install({
      jsToDotNetStreamReturnValue() {
        const largeArray = Array.from({ length: 100000 }).map((_, index) => index % 256);
        return new Uint8Array(largeArray);
      },
      jsToDotNetStreamReturnValueAsync() {
        return new Promise((resolve) => {
          setTimeout(function () {
            const largeArray = Array.from({ length: 100000 }).map((_, index) => index % 256);
            resolve(new Uint8Array(largeArray));
          }, 10);
        });
      },
      jsToDotNetStreamWrapperObjectReturnValueAsync() {
        return new Promise((resolve) => {
          setTimeout(function () {
            const largeArray = Array.from({ length: 100000 }).map((_, index) => index % 256);
            const byteArray = new Uint8Array(largeArray);
            const jsStreamReference = DotNet.createJSStreamReference(byteArray);
            const returnValue = { strVal: "SomeStr", intVal: 5, jsStreamReferenceVal: jsStreamReference };
            resolve(returnValue);
          }, 10);
        });
      },
    });
    expect(await runtime.invokeMethodAsync(NAME, "JSToDotNetStreamReturnValue")).toBe("Success");
    expect(await runtime.invokeMethodAsync(NAME, "JSToDotNetStreamReturnValueAsync")).toBe("Success");
    expect(await runtime.invokeMethodAsync(NAME, "JSToDotNetStreamWrapperObjectReturnValueAsync")).toBe("Success");
  });

  it("a .NET stream reference JS reads with arrayBuffer()", async () => {
    install({
      jsInteropTests: {
        async receiveDotNetStreamReference(streamRef: { arrayBuffer(): Promise<ArrayBuffer> }) {
          const data = new Uint8Array(await streamRef.arrayBuffer());
          const isValid = data.length == 100000 && data.every((value, index) => value == index % 256);
          return isValid ? "Success" : `Failure, got length ${data.length} with data ${data}`;
        },
      },
    });
    expect(await runtime.invokeMethodAsync(NAME, "DotNetToJSReceiveDotNetStreamReference")).toBe("Success");
  });

  it("JS exceptions read as Blazor's JSException.Message: the error's toString() after a synchronous call, message and stack after an asynchronous one", async () => {
    let syncError: Error | undefined;
    let asyncError: Error | undefined;
    let getterError: Error | undefined;
    install({
      jsInteropTests: {
        functionThrowsException() {
          throw (syncError = new Error("Function threw an exception!"));
        },
        asyncFunctionThrowsSyncException() {
          throw (asyncError = new Error("Function threw a sync exception!"));
        },
        asyncFunctionThrowsAsyncException() {
          return new Promise((_resolve, reject) => {
            setTimeout(() => reject(new Error("Function threw an async exception!")), 10);
          });
        },
        get throwingGetter() {
          throw (getterError = new Error("Getter threw!"));
        },
      },
    });
    expect(runtime.invokeMethod(NAME, "ExceptionFromSyncMethod")).toBe("Error: Function threw an exception!");
    expect(syncError).toBeDefined();
    expect(await runtime.invokeMethodAsync(NAME, "ExceptionFromAsyncMethod", "jsInteropTests.asyncFunctionThrowsSyncException")).toBe(
      `Function threw a sync exception!\n${asyncError!.stack}`,
    );
    expect(await runtime.invokeMethodAsync(NAME, "ExceptionFromAsyncMethod", "jsInteropTests.asyncFunctionThrowsAsyncException")).toMatch(
      /^Function threw an async exception!\nError: Function threw an async exception!\n/,
    );
    // GetValueAsync is asynchronous in Blazor, even where as-interop reads the value at once.
    expect(await runtime.invokeMethodAsync(NAME, "ExceptionFromGetValueAsync", "jsInteropTests.throwingGetter")).toBe(`Getter threw!\n${getterError!.stack}`);
  });

  it("GetValue, SetValue, InvokeConstructor, and a function held as a JSObject set as a method (.NET 10)", () => {
    install({
      jsInteropTests: {
        testObject: {
          num: 10,
          get getOnlyProperty() {
            return 20;
          },
          set setOnlyProperty(value: number) {
            this.num = value;
          },
        },
        TestClass: class {
          text: string;
          constructor(text: string) {
            this.text = text;
          }
          getTextLength() {
            return this.text.length;
          }
        },
        nonConstructorFunction: () => 42,
      },
    });
    expect(runtime.invokeMethod<string>(NAME, "ValueScenarios").split("|")).toEqual([
      "10",
      "20",
      "The property 'jsInteropTests.testObject.setOnlyProperty' is not defined or is not readable.",
      "The property 'jsInteropTests.testObject.undefinedProperty' is not defined or is not readable.",
      "30",
      "40",
      "50",
      "The property 'jsInteropTests.testObject.getOnlyProperty' is not writable.",
      "abraka",
      "6",
      "true",
      "42",
    ]);
  });
});

describe("Call JavaScript functions from .NET methods: the documentation's samples", () => {
  it("convertArray decodes the array .NET passes", async () => {
    install({
      convertArray: (win1251Array: number[]) => {
        var win1251decoder = new TextDecoder("windows-1251");
        var bytes = new Uint8Array(win1251Array);
        var decodedArray = win1251decoder.decode(bytes);
        return decodedArray;
      },
    });
    expect(await runtime.invokeMethodAsync(NAME, "ConvertArray")).toBe("<em>Can't stop the signal, Mal.</em> - Mr. Universe");
  });

  it("stream from .NET to JavaScript: downloadFileFromStream reads a DotNetStreamReference over a MemoryStream with arrayBuffer()", async () => {
    const clicked: { href: string; download: string; bytes: Uint8Array }[] = [];
    const blobs = new Map<string, Blob>();
    let next = 0;
    // The page's URL.createObjectURL and document.createElement('a'), recording what was downloaded.
    const URL = {
      createObjectURL: (blob: Blob) => {
        const url = `blob:test/${++next}`;
        blobs.set(url, blob);
        return url;
      },
      revokeObjectURL: (url: string) => void blobs.delete(url),
    };
    const pending: Promise<void>[] = [];
    const document = {
      createElement: (_tag: "a") => {
        const anchorElement = {
          href: "",
          download: "",
          click() {
            const blob = blobs.get(anchorElement.href)!;
            pending.push(blob.arrayBuffer().then((buffer) => void clicked.push({ href: anchorElement.href, download: anchorElement.download, bytes: new Uint8Array(buffer) })));
          },
          remove() {},
        };
        return anchorElement;
      },
    };
    install({
      downloadFileFromStream: async (fileName: string, contentStreamReference: { arrayBuffer(): Promise<ArrayBuffer> }) => {
        const arrayBuffer = await contentStreamReference.arrayBuffer();
        const blob = new Blob([arrayBuffer]);
        const url = URL.createObjectURL(blob);
        const anchorElement = document.createElement("a");
        anchorElement.href = url;
        anchorElement.download = fileName ?? "";
        anchorElement.click();
        anchorElement.remove();
        URL.revokeObjectURL(url);
      },
    });
    const trackedBefore = runtime.getAssembly(NAME)!.diagnostics().trackedObjects;
    await runtime.invokeMethodAsync(NAME, "DownloadFileFromStream");
    await Promise.all(pending);
    expect(clicked).toHaveLength(1);
    expect(clicked[0].download).toBe("log.bin");
    expect(clicked[0].bytes).toEqual(Uint8Array.from({ length: 50 * 1024 }, (_, i) => (i * 7) & 0xff));
    // `using var streamRef` disposed the reference once the call had completed.
    expect(runtime.getAssembly(NAME)!.diagnostics().trackedObjects).toBe(trackedBefore);
  });

  it("receiveByteArray gets a Uint8Array", async () => {
    install({
      receiveByteArray: (bytes: Uint8Array) => {
        let utf8decoder = new TextDecoder();
        let str = utf8decoder.decode(bytes);
        return str;
      },
    });
    expect(await runtime.invokeMethodAsync(NAME, "SendByteArray")).toBe("Everything's shiny, Captian. Not to fret.");
  });

  it("abort a long-running function: a JS class with private static members, called by its dotted path, stopped by a callback registered on a CancellationTokenSource's token", async () => {
    const log: string[] = [];
    const console = { log: (line: string) => log.push(line) };
    class Helpers {
      static #controller = new AbortController();

      static async #sleep(ms: number) {
        return new Promise((resolve) => setTimeout(resolve, ms));
      }

      static async longRunningFn() {
        var i = 0;
        while (!this.#controller.signal.aborted) {
          i++;
          console.log(`longRunningFn: ${i}`);
          await this.#sleep(1000);
        }
      }

      static stopFn() {
        this.#controller.abort();
        console.log("longRunningFn aborted!");
      }
    }
    install({ Helpers });
    // The component's CancellationTokenSource: canceling it runs the callback registered on its
    // token, which calls Helpers.stopFn.
    const started = runtime.invokeMethodAsync(NAME, "StartTask");
    runtime.invokeMethod(NAME, "CancelTask");
    await started;
    expect(log).toEqual(["longRunningFn: 1", "longRunningFn aborted!"]);
    runtime.invokeMethod(NAME, "DisposeCancelTask"); // cancels nothing the second time
  });

  it("a module imported with the identifier 'import' and a ./ URL; its export called", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { pathToFileURL } = await import("node:url");
    const dir = mkdtempSync(join(tmpdir(), "blazor-module-"));
    writeFileSync(join(dir, "scripts.js"), "export function showPrompt(message) {\n  return prompt(message, 'Type anything here');\n}\n");
    install({ prompt: (message: string, fallback: string) => `${message} ${fallback}` });
    expect(await runtime.invokeMethodAsync(NAME, "TriggerPrompt", pathToFileURL(join(dir, "scripts.js")).href)).toBe("What's your name? Type anything here");
  });
});

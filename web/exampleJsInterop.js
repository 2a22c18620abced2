// `wwwroot/exampleJsInterop.js` from Blazor's documentation samples, with the app's assembly name
// (`BlazorSample`) where the documentation leaves a placeholder. It uses the global
// `DotNet` exactly as Blazor apps do; main.ts installs as-interop's.
window.exampleJsFunctions = {
  returnArrayAsyncJs: function () {
    DotNet.invokeMethodAsync("BlazorSample", "ReturnArrayAsync").then((data) => {
      data.push(4);
      console.log(data);
    });
  },
  // The documentation's second variant: the same method under the identifier given to [JSInvokable].
  returnArrayDifferentMethodNameJs: function () {
    DotNet.invokeMethodAsync("BlazorSample", "DifferentMethodName").then((data) => {
      data.push(4);
      console.log(data);
    });
  },
  // Called by managed code (ExampleJsInterop.CallHelloHelperSayHello) with a HelloHelper by reference.
  sayHello: function (dotnetHelper) {
    return dotnetHelper.invokeMethodAsync("SayHello").then((r) => console.log(r));
  },
  // JS modules: managed code imports ./modules/greeting.js and calls its exports.
  greetFromModuleJs: function () {
    DotNet.invokeMethodAsync("BlazorSample", "GreetFromModule").then((greeting) => console.log(greeting));
  },
};

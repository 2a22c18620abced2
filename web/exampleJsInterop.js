// The seed's `wwwroot/exampleJsInterop.js`, with `{APP ASSEMBLY}` filled in. It uses the global
// `DotNet` exactly as Blazor apps do; main.ts installs as-interop's.
window.exampleJsFunctions = {
  returnArrayAsyncJs: function () {
    DotNet.invokeMethodAsync("BlazorSample", "ReturnArrayAsync").then((data) => {
      data.push(4);
      console.log(data);
    });
  },
  // The seed's second variant: the same method under the identifier given to [JSInvokable].
  returnArrayDifferentMethodNameJs: function () {
    DotNet.invokeMethodAsync("BlazorSample", "DifferentMethodName").then((data) => {
      data.push(4);
      console.log(data);
    });
  },
};

// Blazor's variant: the method is called by the identifier given to @jsInvokable.
DotNet.invokeMethodAsync("BlazorSample", "DifferentMethodName").then((data) => {
  data.push(4);
  console.log(data);
});

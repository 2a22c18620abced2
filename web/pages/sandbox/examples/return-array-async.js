// Blazor's static call (ReturnArrayAsync): DotNet is bound to the assembly compiled from the editor on the left.
DotNet.invokeMethodAsync("BlazorSample", "ReturnArrayAsync").then((data) => {
  data.push(4);
  console.log(data);
});

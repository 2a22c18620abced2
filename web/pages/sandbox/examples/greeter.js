// Arguments and results are marshaled by the rules of the marshaling table.
console.log(DotNet.invokeMethod("Greeter", "Greet", "Blazor", 2));
console.log(await DotNet.invokeMethodAsync("Greeter", "Average", [1, 2, 3, 4]));

// A value of the wrong type never reaches managed code.
try {
  DotNet.invokeMethod("Greeter", "Greet", "Blazor", 1.5);
} catch (error) {
  console.warn(error);
}

// An abort in managed code arrives with its file and line; the assembly keeps working.
try {
  DotNet.invokeMethod("Greeter", "Greet", "nobody", 0);
} catch (error) {
  console.error(error.name, error.managedMessage, `(line ${error.lineNumber})`);
}
console.log(DotNet.invokeMethod("Greeter", "Greet", "again", 1));

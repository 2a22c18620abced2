// Spin never returns. The page stays responsive: press Stop to terminate the run.
console.log("Calling Spin…");
DotNet.invokeMethod("RunawayLoop", "Spin");
console.log("Never printed: Spin never returns.");

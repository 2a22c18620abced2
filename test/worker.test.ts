import { beforeAll, describe, expect, it } from "vitest";
import { InteropRuntime } from "../host/runtime/index.ts";
import { compileFixture } from "./helpers.ts";

let module: WebAssembly.Module;
beforeAll(async () => {
  module = (await compileFixture("worker")).module;
});

describe("smoke", () => {
  it("adds", async () => {
    const runtime = new InteropRuntime();
    const assembly = await runtime.loadAssembly(module, { worker: true });
    expect(await runtime.invokeMethodAsync(assembly.name, "add", 2, 3)).toBe(5);
    const counter = await runtime.invokeMethodAsync<any>(assembly.name, "makeCounter", "a");
    expect(await counter.invokeMethodAsync("Add", 4)).toBe(4);
    runtime.unloadAssembly(assembly.name);
  });
});

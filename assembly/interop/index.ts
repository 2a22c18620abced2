/**
 * as-interop's managed library (`import … from "as-interop/assembly/interop"`).
 *
 * Calling managed code from JavaScript needs nothing from here but types: mark an exported
 * function `@jsInvokable` (or `@jsInvokable("Identifier")`) and compile with as-interop's
 * transform. Mark the fields of a class `@dataMember` to pass it by value. The transform's
 * generated code uses the wire format below to move composite values.
 */
export { char } from "./char";
export { Guid } from "./guid";
export { Nullable } from "./nullable";
export { DotNetObjectReference, TrackedReference, disposeTracked, target } from "./reference";
export { release, releases, trackedCount } from "./objects";
export { castFunction, functionOf, trackFunction } from "./delegates";
export { MemoryView, MemoryViewBase, memoryViewData, memoryViewSlice, memoryViewTrack } from "./memory-view";
export { ManagedStream, MemoryStream, StreamSink, sinkClose, sinkWrite, streamBuffer, streamRead } from "./streams";
export { configure } from "./wire/format";
export { Reader, decode } from "./wire/reader";
export { Writer, encode } from "./wire/writer";
export { CancellationToken, CancellationTokenRegistration, CancellationTokenSource } from "./cancellation";
export { JSArgs } from "./js/args";
export { JSObject } from "./js/object";
export { JSReadStream, JSStreamReference } from "./js/stream-reference";
export { JSError, JSResult, JSRuntime, readTryResult } from "./js/runtime";
export { TaggedReader, TaggedWriter, readTagged } from "./js/tagged";
export {
  Task,
  TaskBase,
  beginTaskFlow,
  returnTask,
  taskComplete,
  taskError,
  taskFailFlow,
  taskOf,
  taskReject,
  taskRelease,
  taskWatch,
  trackTask,
} from "./task";
export {
  DictionaryReference,
  FixedListReference,
  ListReference,
  dictionaryCopy,
  dictionaryDelete,
  dictionaryGet,
  dictionaryHas,
  dictionaryKeys,
  dictionaryRead,
  dictionarySet,
  dictionaryUpdate,
  decodeElement,
  encodeElement,
  listCopy,
  listGet,
  listIndexOf,
  listInsert,
  listLastIndexOf,
  listLength,
  listRemove,
  listReverse,
  listSet,
  listTarget,
  listToArray,
  scratch,
} from "./collections";

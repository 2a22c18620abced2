/**
 * as-interop's managed library (`import … from "as-interop/assembly"`).
 *
 * Calling managed code from JavaScript needs nothing from here: mark an exported function
 * `@jsInvokable` (or `@jsInvokable("Identifier")`) and compile with as-interop's transform, which
 * checks the decorator and describes the method to the host. This library is where the managed
 * halves of the other features live as they land: object references, calls into JavaScript,
 * and the well-known value types (DateTime, Guid, char).
 */

// The JavaScript the async page's managed code calls: functions that return promises.
window.asyncDemo = {
  /** Resolves with `value` after `ms` milliseconds. */
  echoLater: (value, ms) => new Promise((resolve) => setTimeout(() => resolve(value), ms)),
  /** Rejects after `ms` milliseconds. */
  failLater: (ms) => new Promise((_, reject) => setTimeout(() => reject(new Error("The server said no.")), ms)),
  /** Never settles. */
  never: () => new Promise(() => {}),
};

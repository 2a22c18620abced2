// The client-side JavaScript of Blazor's documentation sample for the helper class ("Component instance method helper
// class"). The page runs install() when it is shown, so window.updateMessageCallerJS is this one
// there (the JSInteropComponent pages install their own), and the returned function when it is left.
//
// The documentation passes the app's assembly name as a first argument to dotnetHelper.invokeMethodAsync, a known
// mistake in that sample: an instance method is called by its identifier alone.
export function install() {
  window.updateMessageCallerJS = (dotnetHelper) => {
    dotnetHelper.invokeMethodAsync('UpdateMessageCaller');
    dotnetHelper.dispose();
  };
  return () => delete window.updateMessageCallerJS;
}

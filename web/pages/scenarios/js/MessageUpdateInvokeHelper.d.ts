/** Installs the documentation sample's window.updateMessageCallerJS; the function returned removes it. */
export function install(): () => void;

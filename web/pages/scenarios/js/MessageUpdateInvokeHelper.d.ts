/** Installs the seed's window.updateMessageCallerJS; the function returned removes it. */
export function install(): () => void;

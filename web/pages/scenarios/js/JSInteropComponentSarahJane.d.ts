/** The documentation sample's function the page's button calls (see the .js file). */
export function updateMessageCallerJS(...args: never[]): void;

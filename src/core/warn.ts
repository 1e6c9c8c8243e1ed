/** Says on the console, prefixed `tracelet:`, what went wrong and what to do. Returns undefined, for `warn(...) || fallback`. */
export const warn = (message: string): undefined => void console.warn(`tracelet: ${message}`);

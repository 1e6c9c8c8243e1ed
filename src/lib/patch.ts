/**
 * Puts `wrappers` in place of the methods of `target` with the same names, and returns the function that puts the
 * originals back. Only what is still ours is put back: a library that wrapped a method after tracelet keeps its
 * wrapper.
 */
export const patch = <T extends object>(target: T, wrappers: Partial<T>): (() => void) => {
  const originals: Partial<T> = {};
  for (const name in wrappers) {
    originals[name] = target[name];
    target[name] = wrappers[name]!;
  }
  return () => {
    for (const name in wrappers) if (target[name] === wrappers[name]) target[name] = originals[name]!;
  };
};

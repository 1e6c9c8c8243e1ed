/**
 * Puts `wrappers` in place of the methods of `target` with the same names, and returns the function that undoes
 * it. Undoing puts the originals back where the wrappers are still in place; where a library wrapped a method
 * after tracelet, its wrapper stays, and ours, still under it, calls the original straight through from then on.
 */
export const patch = <T extends object>(target: T, wrappers: Partial<T>): (() => void) => {
  const installed: Partial<T> = {};
  const originals: Partial<T> = {};
  let active = true;
  for (const name in wrappers) {
    const original = (originals[name] = target[name]) as (...args: unknown[]) => unknown;
    const wrapper = wrappers[name] as (...args: unknown[]) => unknown;
    target[name] = installed[name] = function (this: unknown, ...args: unknown[]) {
      return (active ? wrapper : original).apply(this, args);
    } as T[typeof name];
  }
  return () => {
    active = false;
    for (const name in installed) if (target[name] === installed[name]) target[name] = originals[name]!;
  };
};

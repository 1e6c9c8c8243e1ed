/**
 * A short, stable CSS selector for an element: its tag, id and classes, and those of its ancestors up to one with
 * an id (ids are usually stable) or `maxDepth` levels, such as `form#checkout>button.primary`. No text content,
 * which may hold personal data. Used for interaction targets and web-vitals attribution.
 */
export const selectorOf = (node: unknown, maxDepth = 5): string | undefined => {
  let selector = '';
  for (let el = node as Element | null; el?.nodeType === 1 && maxDepth--; el = el.id ? null : el.parentElement) {
    // SVG elements have no string className (an SVGAnimatedString, without `match`): their classes are left out.
    const classes = ((el.className as string).match?.(/\S+/g) || []).slice(0, 2);
    selector = el.localName + (el.id ? '#' + el.id : '') + classes.map((c) => '.' + c).join('') + (selector && '>' + selector);
  }
  return selector || undefined;
};

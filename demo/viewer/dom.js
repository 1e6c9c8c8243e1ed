// Building DOM and SVG from data without innerHTML: span names and attributes come from the network.

/** Style properties in camelCase, custom properties (`--tick`) as they are written. */
function setStyle(style, properties) {
  for (const [name, value] of Object.entries(properties)) {
    if (name.startsWith('--')) style.setProperty(name, value);
    else style[name] = value;
  }
}

function build(element, attributes, children) {
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'style' && typeof value === 'object') setStyle(element.style, value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.flat(Infinity).filter((child) => child !== undefined && child !== null && child !== false));
  return element;
}

/** An HTML element: h('li', { class: 'row', onclick }, 'text', h('b', null, 'bold')). */
export const h = (tag, attributes, ...children) => build(document.createElement(tag), attributes, children);

/** An SVG element, same signature as h. */
export const svg = (tag, attributes, ...children) =>
  build(document.createElementNS('http://www.w3.org/2000/svg', tag), attributes, children);

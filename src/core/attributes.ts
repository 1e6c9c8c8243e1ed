import type { AttributeValue, Attributes } from '../types';

/** Limits that keep one span from growing without bound. What is dropped is counted on the span. */
export interface SpanLimits {
  /** Most attributes on one span, event or link. Default 128. */
  attributeCount: number;
  /** Longest string attribute value, in characters; longer ones are truncated. Default 4096. */
  attributeLength: number;
  /** Most events on one span. Default 128. */
  eventCount: number;
  /** Most links on one span. Default 128. */
  linkCount: number;
}

export const DEFAULT_LIMITS: SpanLimits = { attributeCount: 128, attributeLength: 4096, eventCount: 128, linkCount: 128 };

const isPrimitive = (type: string) => type === 'string' || type === 'number' || type === 'boolean';

const truncate = (value: unknown, maxLength: number) =>
  typeof value === 'string' && value.length > maxLength ? value.slice(0, maxLength) : value;

/**
 * The value as it will be stored, or undefined when it is not a valid attribute value: primitives and arrays
 * whose non-null items all have one primitive type. Arrays are copied so later changes by the caller don't leak in.
 */
export const cleanValue = (value: unknown, maxLength: number): AttributeValue | undefined => {
  const type = typeof value;
  if (isPrimitive(type)) return truncate(value, maxLength) as AttributeValue;
  if (!Array.isArray(value)) return undefined;
  // The first non-null item sets the type the others must have.
  let itemType: string | undefined;
  for (const item of value) if (item != null && (!isPrimitive(typeof item) || (itemType ??= typeof item) !== typeof item)) return undefined;
  return value.map((item) => truncate(item, maxLength)) as AttributeValue;
};

/** Attributes kept under the limits, with how many were dropped. */
export interface AttributeSet {
  _values: Record<string, AttributeValue>;
  _count: number;
  _dropped: number;
}

export const newAttributeSet = (): AttributeSet => ({ _values: {}, _count: 0, _dropped: 0 });

/** Sets one attribute in `set`; an invalid value, or a new key past the count limit, is dropped and counted. */
export const setAttribute = (set: AttributeSet, key: string, value: unknown, limits: SpanLimits): void => {
  if (value === undefined) return;
  const clean = key ? cleanValue(value, limits.attributeLength) : undefined;
  const isNew = !(key in set._values);
  // Counted as keys are added: Object.keys() on every attribute of every span would allocate each time.
  if (clean === undefined || (isNew && set._count >= limits.attributeCount)) set._dropped++;
  else {
    set._count += +isNew;
    set._values[key] = clean;
  }
};

/** Sets each attribute of `attributes` in `set`. */
export const setAttributes = (set: AttributeSet, attributes: Attributes | undefined, limits: SpanLimits): AttributeSet => {
  if (attributes) for (const key in attributes) setAttribute(set, key, attributes[key], limits);
  return set;
};

/**
 * DynamoDB's AttributeValue JSON ({"S":"x"}, {"N":"30"}, {"M":{...}}...) and the plain JSON a
 * person would rather type and read. Numbers travel as text, as DynamoDB does, so a plain
 * number keeps its digits both ways only within JavaScript's precision: exact numbers beyond it
 * can still be typed as AttributeValues.
 */
export type AttributeValue = Record<string, unknown>;
export type Item = Record<string, AttributeValue>;

const TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS']);

/** True when an object already is one AttributeValue ({"S": "x"}), not a map of them. */
function isAttributeValue(value: unknown): value is AttributeValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const keys = Object.keys(value);
  return keys.length === 1 && TYPES.has(keys[0]);
}

/** One plain JSON value as an AttributeValue. */
export function toAttribute(value: unknown): AttributeValue {
  if (value === null) {
    return { NULL: true };
  }
  if (typeof value === 'string') {
    return { S: value };
  }
  if (typeof value === 'number') {
    return { N: String(value) };
  }
  if (typeof value === 'boolean') {
    return { BOOL: value };
  }
  if (Array.isArray(value)) {
    return { L: value.map(toAttribute) };
  }
  if (isAttributeValue(value)) {
    return value;
  }
  return { M: toItem(value as Record<string, unknown>) };
}

/** A plain JSON object (or one already in AttributeValues, member by member) as an item. */
export function toItem(plain: Record<string, unknown>): Item {
  return Object.fromEntries(Object.entries(plain).map(([name, value]) => [name, toAttribute(value)]));
}

/** One AttributeValue as plain JSON: sets become arrays, numbers numbers, binary its Base64. */
export function fromAttribute(value: AttributeValue): unknown {
  const [type, inner] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'N':
      return Number(inner);
    case 'NS':
      return (inner as string[]).map(Number);
    case 'NULL':
      return null;
    case 'M':
      return fromItem(inner as Item);
    case 'L':
      return (inner as AttributeValue[]).map(fromAttribute);
    default:
      return inner;
  }
}

export function fromItem(item: Item): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, fromAttribute(value)]));
}

/** A key value the user typed, as the AttributeValue of its declared type (S, N or B). */
export function keyAttribute(type: string, text: string): AttributeValue {
  return { [type || 'S']: text };
}

/** Parses the item a person typed: a JSON object, else an error in words. */
export function parseItem(text: string): Item {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('The item is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('The item must be a JSON object, e.g. {"id": "user123", "age": 30}.');
  }
  return toItem(parsed as Record<string, unknown>);
}

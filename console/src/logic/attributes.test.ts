import { describe, expect, it } from 'vitest';
import { fromItem, keyAttribute, parseItem, toItem } from './attributes';

describe('attribute values', () => {
  it('turns plain JSON into AttributeValues and back', () => {
    const plain = { id: 'u1', age: 30, active: true, note: null, tags: ['a', 1], address: { city: 'Oslo' } };
    const item = toItem(plain);
    expect(item).toEqual({
      id: { S: 'u1' },
      age: { N: '30' },
      active: { BOOL: true },
      note: { NULL: true },
      tags: { L: [{ S: 'a' }, { N: '1' }] },
      address: { M: { city: { S: 'Oslo' } } },
    });
    expect(fromItem(item)).toEqual(plain);
  });

  it('keeps members already written as AttributeValues, sets included', () => {
    expect(toItem({ big: { N: '12345678901234567890' }, ss: { SS: ['x', 'y'] } })).toEqual({
      big: { N: '12345678901234567890' },
      ss: { SS: ['x', 'y'] },
    });
    expect(fromItem({ ns: { NS: ['1', '2.5'] } })).toEqual({ ns: [1, 2.5] });
  });

  it('types a key value as its definition says', () => {
    expect(keyAttribute('N', '42')).toEqual({ N: '42' });
    expect(keyAttribute('S', '42')).toEqual({ S: '42' });
  });

  it('refuses what is not a JSON object, in words', () => {
    expect(() => parseItem('{id: 1}')).toThrow('not valid JSON');
    expect(() => parseItem('[1]')).toThrow('must be a JSON object');
  });
});

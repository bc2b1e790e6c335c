import { describe, expect, it } from 'vitest';
import { batchEntries, sourcesOf, type Queue } from './queue';

describe('queue helpers', () => {
  it('makes a batch of the lines typed, blank lines skipped, at most 10', () => {
    expect(batchEntries('one\n\n two \nthree\n')).toEqual([
      { id: 'm1', messageBody: 'one' },
      { id: 'm2', messageBody: ' two ' },
      { id: 'm3', messageBody: 'three' },
    ]);
    expect(() => batchEntries(Array.from({ length: 11 }, (_, i) => `m${i}`).join('\n'))).toThrow('at most 10 messages; this one has 11');
  });

  it('finds the queues that dead-letter into a queue', () => {
    const q = (queueName: string, deadLetterQueueName?: string) => ({ queueName, deadLetterQueueName }) as Queue;
    expect(sourcesOf([q('a', 'dlq'), q('dlq'), q('b', 'dlq'), q('c', 'other')], 'dlq')).toEqual(['a', 'b']);
    expect(sourcesOf([q('a')], 'a')).toEqual([]);
  });
});

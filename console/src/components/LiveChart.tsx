import { Group, Paper, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { chartPoints, niceMax, pushSample } from '../logic/series';

const WIDTH = 300;
const HEIGHT = 80;

export interface SeriesSpec {
  label: string;
  /** A Mantine colour name, e.g. "blue". */
  color: string;
}

/**
 * Calls `tick` every `intervalMs` while mounted and the browser tab is visible: a hidden tab
 * spends none of the tenant's request budget.
 */
export function useEvery(tick: () => unknown, intervalMs: number) {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState !== 'hidden') {
        latest.current();
      }
    }, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
}

/** One sample, picked from `source`, each time the panel's data is loaded again; the newest `keep`. */
export function useSeries<T>(source: T | null, pick: (source: T) => number[], keep: number): number[][] {
  const [samples, setSamples] = useState<number[][]>([]);
  const picker = useRef(pick);
  picker.current = pick;
  useEffect(() => {
    if (source !== null) {
      setSamples((s) => pushSample(s, picker.current(source), keep));
    }
  }, [source, keep]);
  return samples;
}

interface Props {
  title: string;
  series: SeriesSpec[];
  samples: number[][];
  keep: number;
  intervalMs: number;
  /** What one sample is, for the accessible name: "reading" (default), "minute"... */
  point?: string;
  /** How a value reads: a count as it is (default), bytes in binary units... */
  format?: (value: number) => string;
}

/** A small line chart of live samples; its accessible name says the latest values and the peak. */
export function LiveChart({ title, series, samples, keep, intervalMs, point = 'reading', format = String }: Props) {
  const max = niceMax(samples);
  const last = samples[samples.length - 1];
  const peak = Math.max(0, ...samples.flat());
  const summary = last
    ? `${title}: ${series.map((s, i) => `${s.label} ${format(last[i])}`).join(', ')} now; peak ${format(peak)} in the last ${samples.length} ${point}${samples.length === 1 ? '' : 's'}`
    : `${title}: no sample yet`;
  return (
    <Paper withBorder p="xs">
      <Stack gap={4}>
        <Group justify="space-between">
          <Text size="sm" fw={600}>
            {title}
          </Text>
          <Text size="xs" c="dimmed">
            read every {intervalMs / 1000} s · top {format(max)}
          </Text>
        </Group>
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" height={HEIGHT} role="img" aria-label={summary} preserveAspectRatio="none">
          <line x1={0} y1={HEIGHT} x2={WIDTH} y2={HEIGHT} stroke="var(--mantine-color-default-border)" />
          {series.map((s, i) => (
            <polyline
              key={s.label}
              fill="none"
              stroke={`var(--mantine-color-${s.color}-6)`}
              strokeWidth={2}
              vectorEffect="non-scaling-stroke"
              points={chartPoints(samples.map((sample) => sample[i] ?? 0), WIDTH, HEIGHT, max, keep)}
            />
          ))}
        </svg>
        <Group gap="md">
          {series.map((s, i) => (
            <Text key={s.label} size="xs" c={`${s.color}.7`}>
              ● {s.label} {last ? format(last[i]) : '—'}
            </Text>
          ))}
        </Group>
      </Stack>
    </Paper>
  );
}

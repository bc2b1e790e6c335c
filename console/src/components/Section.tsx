import { Paper, Stack, Title } from '@mantine/core';
import { useId, type ReactNode } from 'react';
import { Problem } from './Problem';

/** A titled panel of a page, named by its title for screen readers, with its failure shown. */
export function Section({
  title,
  error,
  onDismiss,
  children,
}: {
  title: ReactNode;
  error?: string | null;
  onDismiss?: () => void;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={id}>
      <Stack>
        <Title order={3} id={id}>
          {title}
        </Title>
        <Problem error={error ?? null} onClose={onDismiss} />
        {children}
      </Stack>
    </Paper>
  );
}

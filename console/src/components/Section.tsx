import { Group, Paper, Stack, Title } from '@mantine/core';
import { useId, type ReactNode } from 'react';
import { Problem } from './Problem';

interface Props {
  title: ReactNode;
  /** Shown beside the title: buttons for the whole section, a badge. */
  actions?: ReactNode;
  error?: string | null;
  onDismiss?: () => void;
  children: ReactNode;
}

/** A titled panel of a page, named by its title for screen readers, with its failure shown. */
export function Section({ title, actions, error, onDismiss, children }: Props) {
  const id = useId();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={id}>
      <Stack>
        <Group justify="space-between" wrap="wrap">
          <Title order={3} id={id}>
            {title}
          </Title>
          {actions && <Group>{actions}</Group>}
        </Group>
        <Problem error={error ?? null} onClose={onDismiss} />
        {children}
      </Stack>
    </Paper>
  );
}

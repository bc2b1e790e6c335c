import { Alert } from '@mantine/core';

/** An API failure in words, announced to screen readers. */
export function Problem({ error, onClose }: { error: string | null; onClose?: () => void }) {
  if (!error) {
    return null;
  }
  return (
    <Alert color="red" role="alert" title="Something went wrong" withCloseButton={!!onClose} onClose={onClose}>
      {error}
    </Alert>
  );
}

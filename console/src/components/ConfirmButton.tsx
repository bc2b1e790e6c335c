import { Button, Group, Modal, Text, type ButtonProps } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState, type ReactNode } from 'react';

interface Props extends ButtonProps {
  /** What the button says, e.g. "Delete". */
  children: ReactNode;
  /** The accessible name when the button's text alone is ambiguous in a table row. */
  ariaLabel?: string;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown>;
}

/** A destructive action that asks first, in a modal dialog that keeps focus inside. */
export function ConfirmButton({ children, ariaLabel, title, message, confirmLabel, onConfirm, ...button }: Props) {
  const [opened, { open, close }] = useDisclosure(false);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
      close();
    }
  };
  return (
    <>
      <Button color="red" variant="light" size="xs" aria-label={ariaLabel} onClick={open} {...button}>
        {children}
      </Button>
      <Modal opened={opened} onClose={close} title={title} centered>
        <Text mb="lg">{message}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button color="red" loading={busy} onClick={confirm}>
            {confirmLabel}
          </Button>
        </Group>
      </Modal>
    </>
  );
}

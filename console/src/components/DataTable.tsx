import { Table, Text, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';

export interface Column<T> {
  /** The column's heading; read to screen readers even when `hideHeader` hides it on screen. */
  header: string;
  cell: (row: T) => ReactNode;
  /** For an actions column: the heading is there for screen readers only. */
  hideHeader?: boolean;
  align?: 'left' | 'right';
}

interface Props<T> {
  /** The table's accessible name, e.g. "Queues". */
  label: string;
  /** null while loading: nothing is shown. */
  rows: T[] | null | undefined;
  rowKey: (row: T) => string;
  columns: Column<T>[];
  /** What an empty list says, e.g. "No queues yet." */
  empty: string;
  minWidth?: number;
  rowTestId?: (row: T) => string;
}

/** The console's list of things: a labelled, striped table that scrolls sideways on a phone. */
export function DataTable<T>({ label, rows, rowKey, columns, empty, minWidth = 480, rowTestId }: Props<T>) {
  if (!rows) {
    return null;
  }
  if (rows.length === 0) {
    return <Text c="dimmed">{empty}</Text>;
  }
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table striped aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => (
              <Table.Th key={column.header} ta={column.align}>
                {column.hideHeader ? <VisuallyHidden>{column.header}</VisuallyHidden> : column.header}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={rowKey(row)} data-testid={rowTestId?.(row)}>
              {columns.map((column) => (
                <Table.Td key={column.header} ta={column.align}>
                  {column.cell(row)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

import { Alert, List, Paper, Stack, Text, Title } from '@mantine/core';
import { servicePage } from '../logic/planned';

/** A built service whose console page is still to come: what it will let you do. */
export function Planned({ id }: { id: string }) {
  const service = servicePage(id);
  if (!service) {
    return <NotFound />;
  }
  return (
    <Stack gap="lg">
      <Title order={2}>{service.title}</Title>
      <Alert color="blue" title="Coming to the console">
        The service runs and its API works today; this page is not built yet.
      </Alert>
      <Paper withBorder p="md">
        <Text mb="sm">This page will let you:</Text>
        <List>
          {service.tasks.map((task) => (
            <List.Item key={task}>{task}</List.Item>
          ))}
        </List>
        <Text mt="md" size="sm" c="dimmed">
          Meanwhile, the API and its examples are in <code>{service.doc}</code>.
        </Text>
      </Paper>
    </Stack>
  );
}

export function NotFound() {
  return (
    <Stack>
      <Title order={2}>Page not found</Title>
      <Text>There is no such page in the console. Choose one from the menu.</Text>
    </Stack>
  );
}

import { Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { ApiKeys } from './home/ApiKeys';
import { Instances } from './home/Instances';
import { UsageCard } from './home/UsageCard';

/** The tenant's home: plan and usage, service instances, API keys. */
export function Home() {
  // Creating or deleting instances and keys changes what the usage card counts.
  const [changes, setChanges] = useState(0);
  const changed = () => setChanges((n) => n + 1);
  return (
    <Stack gap="xl">
      <Title order={2}>Home</Title>
      <UsageCard changes={changes} />
      <Instances onChange={changed} />
      <ApiKeys onChange={changed} />
    </Stack>
  );
}

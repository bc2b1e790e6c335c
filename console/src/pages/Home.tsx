import { Stack, Title } from '@mantine/core';
import { ApiKeys } from './home/ApiKeys';
import { Instances } from './home/Instances';
import { UsageCard } from './home/UsageCard';

/** The tenant's home: plan and usage, service instances, API keys. */
export function Home() {
  return (
    <Stack gap="xl">
      <Title order={2}>Home</Title>
      <UsageCard />
      <Instances />
      <ApiKeys />
    </Stack>
  );
}

import { Select, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { getInstance, listInstances, type Instance } from '../api/identity';
import { useConsole } from '../console';
import { typeKey, typeLabel } from '../logic/format';
import type { Route } from '../logic/route';
import { InstanceTrafficCharts } from './InstanceTrafficCharts';
import { Problem } from './Problem';
import { useLoad } from './useLoad';

interface Props {
  title: string;
  /** The instances this page works on, e.g. `queue`. */
  type: string;
  instanceId?: string;
  /** The address of this page showing an instance. */
  routeTo: (instanceId: string) => Route;
  children: (instance: Instance) => ReactNode;
}

/**
 * A service's page: choose one of the tenant's instances of its type, then work on it; below the
 * page's own panels, the instance's traffic charts.
 */
export function InstancePage({ title, type, instanceId, routeTo, children }: Props) {
  const { api, navigate } = useConsole();
  const instances = useLoad(
    async () => (await listInstances(api)).filter((i) => typeKey(i.serviceType) === type),
    [api, type],
  );
  const selected = useLoad(async () => (instanceId ? getInstance(api, instanceId) : null), [api, instanceId]);
  const instance = selected.data;

  return (
    <Stack gap="lg">
      <Title order={2}>{title}</Title>
      <Problem error={instances.error ?? selected.error} />
      {instances.data && instances.data.length === 0 && (
        <Text c="dimmed">No instances yet: create one of type {typeLabel(type)} on the home page.</Text>
      )}
      {instances.data && instances.data.length > 0 && (
        <Select
          label={`${typeLabel(type)} instance`}
          placeholder="Choose an instance"
          maw={420}
          data={instances.data.map((i) => ({ value: i.id, label: `${i.serviceName} (${i.status})` }))}
          value={instanceId ?? null}
          onChange={(id) => id && navigate(routeTo(id))}
          allowDeselect={false}
        />
      )}
      {instance && typeKey(instance.serviceType) !== type && (
        <Problem error={`${instance.serviceName} is not a ${typeLabel(type)} instance.`} />
      )}
      {instance && typeKey(instance.serviceType) === type && instance.status === 'provisioning' && (
        <Text c="dimmed" role="status">
          This instance is still being provisioned; come back once it is running.
        </Text>
      )}
      {instance && typeKey(instance.serviceType) === type && (
        <Stack key={instance.id} gap="lg">
          {children(instance)}
          <InstanceTrafficCharts instanceId={instance.id} name={instance.serviceName} />
        </Stack>
      )}
    </Stack>
  );
}

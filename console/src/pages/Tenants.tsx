import { Badge, Button, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { createTenant, listTenants, PLANS } from '../api/identity';
import { DataTable } from '../components/DataTable';
import { Section } from '../components/Section';
import { useLoad } from '../components/useLoad';
import { useConsole } from '../console';

/** Platform administrators: every tenant, a new one, and acting on one. */
export function Tenants() {
  const { api, tenantDomain, switchTenant, navigate } = useConsole();
  const tenants = useLoad(() => listTenants(api), [api]);
  const [id, setId] = useState('');
  const [domain, setDomain] = useState('');
  const [name, setName] = useState('');
  const [plan, setPlan] = useState('free');

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const tenant = { id: id.trim(), domain: domain.trim() || id.trim(), name: name.trim() || id.trim(), plan };
    if (await tenants.act(() => createTenant(api, tenant))) {
      setId('');
      setDomain('');
      setName('');
    }
  };
  // The other tenant's token first (auth-service's act-as): a refusal stays on this page, in words.
  const actOn = async (domain: string, tenantId: string) => {
    if (await tenants.act(async () => switchTenant(domain, tenantId), { reload: false })) {
      navigate({ page: 'home' });
    }
  };

  return (
    <Stack gap="lg">
      <Title order={2}>Tenants</Title>
      <Section title="Every tenant" error={tenants.error} onDismiss={() => tenants.setError(null)}>
        <form onSubmit={create} aria-label="Create a tenant">
          <Group align="flex-end" wrap="wrap">
            <TextInput label="Tenant id" description="e.g. acme" required value={id} onChange={(e) => setId(e.currentTarget.value)} style={{ flex: '1 1 140px' }} />
            <TextInput label="Domain" description="Empty: the id" value={domain} onChange={(e) => setDomain(e.currentTarget.value)} style={{ flex: '1 1 160px' }} />
            <TextInput label="Display name" description="Empty: the id" value={name} onChange={(e) => setName(e.currentTarget.value)} style={{ flex: '1 1 160px' }} />
            <Select label="Plan" data={PLANS} value={plan} onChange={(p) => p && setPlan(p)} allowDeselect={false} w={130} />
            <Button type="submit" loading={tenants.busy}>
              Create tenant
            </Button>
          </Group>
        </form>
        <Text size="sm" c="dimmed">
          A new tenant has no users yet: act on it, then add its first administrator under Users and organizations.
        </Text>
        <DataTable
          label="Tenants"
          rows={tenants.data}
          rowKey={(t) => t.id}
          rowTestId={(t) => `tenant-${t.id}`}
          empty="No tenants."
          columns={[
            { header: 'Id', cell: (t) => t.id },
            { header: 'Domain', cell: (t) => t.domain },
            { header: 'Name', cell: (t) => t.name },
            { header: 'Plan', cell: (t) => <Badge variant="light">{t.plan}</Badge> },
            {
              header: 'Actions',
              hideHeader: true,
              align: 'right',
              cell: (t) =>
                t.domain === tenantDomain ? (
                  <Text size="sm" c="dimmed">
                    Acting on it
                  </Text>
                ) : (
                  <Button size="xs" variant="default" aria-label={`Act on ${t.domain}`} onClick={() => void actOn(t.domain, t.id)}>
                    Act on it
                  </Button>
                ),
            },
          ]}
        />
      </Section>
    </Stack>
  );
}

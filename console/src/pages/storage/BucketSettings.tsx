import { Badge, Button, Checkbox, Group, NumberInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import {
  CORS_METHODS,
  corsRule,
  expirationRule,
  getCors,
  getLifecycle,
  lifecycleActions,
  lifecycleScope,
  putCors,
  putLifecycle,
  type CorsRule,
  type LifecycleRule,
} from '../../api/storage';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { Section } from '../../components/Section';
import { useLoad } from '../../components/useLoad';
import { useConsole } from '../../console';

interface Props {
  base: string;
  bucket: string;
  onBack: () => void;
}

/**
 * A bucket's lifecycle rules and CORS rules, through storage-service's REST API (the same rules
 * S3's `?lifecycle` and `?cors` read and write). A change puts the whole configuration back, the
 * rules as read (with what the console cannot edit) and the new one; removing the last rule
 * deletes the configuration.
 */
export function BucketSettings({ base, bucket, onBack }: Props) {
  const { api } = useConsole();
  const settings = useLoad(async () => {
    const [lifecycle, cors] = await Promise.all([getLifecycle(api, base, bucket), getCors(api, base, bucket)]);
    return { lifecycle, cors };
  }, [api, base, bucket]);
  const [ruleId, setRuleId] = useState('');
  const [prefix, setPrefix] = useState('');
  const [days, setDays] = useState<number | string>(30);
  const [origins, setOrigins] = useState('');
  const [methods, setMethods] = useState<string[]>(['GET']);
  const [headers, setHeaders] = useState('');
  const [maxAge, setMaxAge] = useState<number | string>('');

  const lifecycle = settings.data?.lifecycle ?? [];
  const cors = settings.data?.cors ?? [];
  const saveLifecycle = (rules: LifecycleRule[]) => putLifecycle(api, base, bucket, rules);
  const saveCors = (rules: CorsRule[]) => putCors(api, base, bucket, rules);

  const addRule = async (event: FormEvent) => {
    event.preventDefault();
    if (await settings.act(() => saveLifecycle([...lifecycle, expirationRule(ruleId, prefix, Number(days))]))) {
      setRuleId('');
      setPrefix('');
    }
  };
  const addCors = async (event: FormEvent) => {
    event.preventDefault();
    const rule = () => corsRule(origins, methods, headers, maxAge === '' ? null : Number(maxAge));
    if (await settings.act(() => saveCors([...cors, rule()]))) {
      setOrigins('');
      setHeaders('');
    }
  };

  return (
    <Section
      title={`Settings of ${bucket}`}
      error={settings.error}
      onDismiss={() => settings.setError(null)}
      actions={
        <Button variant="default" onClick={onBack}>
          All buckets
        </Button>
      }
    >
      <Stack gap="xs">
        <Title order={4}>Lifecycle rules</Title>
        <Text size="sm" c="dimmed">
          Applied by storage-service&apos;s lifecycle worker (every hour by default): expired objects are deleted.
        </Text>
        <DataTable
          label={`Lifecycle rules of ${bucket}`}
          rows={settings.data && lifecycle}
          rowKey={(r) => r.id ?? ''}
          rowTestId={(r) => `lifecycle-${r.id}`}
          empty="No lifecycle rules."
          columns={[
            { header: 'ID', cell: (r) => r.id },
            { header: 'Status', cell: (r) => <Badge variant="light" color={r.status === 'Enabled' ? 'green' : 'gray'}>{r.status}</Badge> },
            { header: 'Applies to', cell: lifecycleScope },
            { header: 'Does', cell: lifecycleActions },
            {
              header: 'Actions',
              hideHeader: true,
              align: 'right',
              cell: (r) => (
                <ConfirmButton
                  ariaLabel={`Delete lifecycle rule ${r.id}`}
                  title={`Delete rule ${r.id}?`}
                  message="The rule stops applying; what it deleted stays deleted."
                  confirmLabel="Delete rule"
                  onConfirm={() => settings.act(() => saveLifecycle(lifecycle.filter((x) => x !== r)))}
                >
                  Delete
                </ConfirmButton>
              ),
            },
          ]}
        />
        <form onSubmit={addRule} aria-label="Add a lifecycle rule">
          <Group align="flex-end" wrap="wrap">
            <TextInput label="Rule ID" required value={ruleId} onChange={(e) => setRuleId(e.currentTarget.value)} w={180} />
            <TextInput label="Prefix" placeholder="whole bucket" value={prefix} onChange={(e) => setPrefix(e.currentTarget.value)} w={180} />
            <NumberInput label="Expire after days" min={1} required value={days} onChange={setDays} w={150} />
            <Button type="submit" loading={settings.busy}>
              Add rule
            </Button>
          </Group>
        </form>
      </Stack>
      <Stack gap="xs">
        <Title order={4}>CORS rules</Title>
        <Text size="sm" c="dimmed">
          Which web pages may call this bucket from a browser: the first rule matching the origin, method and headers answers.
        </Text>
        <DataTable
          label={`CORS rules of ${bucket}`}
          rows={settings.data && cors}
          rowKey={(r) => JSON.stringify(r)}
          empty="No CORS rules."
          columns={[
            { header: 'Origins', cell: (r) => r.allowedOrigins.join(', ') },
            { header: 'Methods', cell: (r) => r.allowedMethods.join(', ') },
            { header: 'Headers', cell: (r) => r.allowedHeaders?.join(', ') || '—' },
            { header: 'Max age', cell: (r) => (r.maxAgeSeconds == null ? '—' : `${r.maxAgeSeconds} s`) },
            {
              header: 'Actions',
              hideHeader: true,
              align: 'right',
              cell: (r) => (
                <ConfirmButton
                  ariaLabel={`Delete CORS rule for ${r.allowedOrigins.join(' ')}`}
                  title="Delete this CORS rule?"
                  message="Browsers on these origins are refused from now on."
                  confirmLabel="Delete rule"
                  onConfirm={() => settings.act(() => saveCors(cors.filter((x) => x !== r)))}
                >
                  Delete
                </ConfirmButton>
              ),
            },
          ]}
        />
        <form onSubmit={addCors} aria-label="Add a CORS rule">
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label="Allowed origins"
              placeholder="https://app.example.com"
              required
              value={origins}
              onChange={(e) => setOrigins(e.currentTarget.value)}
              w={240}
            />
            <Checkbox.Group label="Methods" value={methods} onChange={setMethods}>
              <Group gap="xs" mt={4}>
                {CORS_METHODS.map((m) => (
                  <Checkbox key={m} value={m} label={m} />
                ))}
              </Group>
            </Checkbox.Group>
            <TextInput label="Allowed headers" placeholder="*" value={headers} onChange={(e) => setHeaders(e.currentTarget.value)} w={160} />
            <NumberInput label="Max age (s)" min={0} value={maxAge} onChange={setMaxAge} w={120} />
            <Button type="submit" loading={settings.busy}>
              Add CORS rule
            </Button>
          </Group>
        </form>
      </Stack>
    </Section>
  );
}

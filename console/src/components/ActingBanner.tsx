import { Alert, Button, Text } from '@mantine/core';
import { useConsole } from '../console';

/** Says when a platform admin acts on another tenant, and what still is their own. */
export function ActingBanner() {
  const { tenantDomain, homeDomain, switchTenant } = useConsole();
  if (!tenantDomain || !homeDomain || tenantDomain === homeDomain) {
    return null;
  }
  return (
    <Alert color="orange" mb="md" title={`Acting on tenant ${tenantDomain}`}>
      <Text size="sm">
        Home, users, organizations, the audit log and instance pages show {tenantDomain}. Webhooks, containers and orders
        cannot follow yet (their services take the tenant from your sign-in alone), so they show nothing until you go back.
      </Text>
      <Button mt="xs" size="xs" variant="default" onClick={() => switchTenant(homeDomain)}>
        Back to {homeDomain}
      </Button>
    </Alert>
  );
}

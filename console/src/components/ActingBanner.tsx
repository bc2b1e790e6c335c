import { Alert, Button, Text } from '@mantine/core';
import { useConsole } from '../console';

/** Says when a platform admin acts on another tenant, and offers the way back. */
export function ActingBanner() {
  const { tenantDomain, homeDomain, switchTenant } = useConsole();
  if (!tenantDomain || !homeDomain || tenantDomain === homeDomain) {
    return null;
  }
  return (
    <Alert color="orange" mb="md" title={`Acting on tenant ${tenantDomain}`}>
      <Text size="sm">
        Every page shows and changes {tenantDomain}, as its administrator: the console uses a short-lived token of{' '}
        {tenantDomain} that names you as the one acting, and both tenants' audit logs record it.
      </Text>
      <Button mt="xs" size="xs" variant="default" onClick={() => switchTenant(homeDomain)}>
        Back to {homeDomain}
      </Button>
    </Alert>
  );
}

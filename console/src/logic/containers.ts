import type { ContainerDetails, NewContainer } from '../api/updater';

/** What updater-service accepts (docs/updater.md, ContainerRules). */
export const UPDATE_POLICIES = ['auto', 'approve', 'manual'];
export const STRATEGIES = ['rolling', 'recreate'];
export const RESTART_POLICIES = ['no', 'always', 'unless-stopped', 'on-failure'];

/** The container form's fields, as typed. */
export interface ContainerForm {
  name: string;
  image: string;
  hostPort: string;
  containerPort: string;
  /** KEY=VALUE, one a line. */
  environment: string;
  memoryLimit: string;
  cpuLimit: string;
  restartPolicy: string;
  policy: string;
  strategy: string;
  schedule: string;
  rollbackOnFailure: boolean;
  /** The health-check command's words, separated by spaces; empty: no health check. */
  healthCommand: string;
  startImmediately: boolean;
}

export const EMPTY_FORM: ContainerForm = {
  name: '',
  image: '',
  hostPort: '',
  containerPort: '',
  environment: '',
  memoryLimit: '',
  cpuLimit: '',
  restartPolicy: 'unless-stopped',
  policy: 'manual',
  strategy: 'rolling',
  schedule: '',
  rollbackOnFailure: true,
  healthCommand: '',
  startImmediately: true,
};

/** `KEY=VALUE` lines to an object; blank lines and `#` comments skipped; a line without `=` is an error naming it. */
export function parseEnvironment(text: string): Record<string, string> {
  const environment: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) {
      return;
    }
    const equals = line.indexOf('=');
    if (equals <= 0) {
      throw new Error(`Environment line ${index + 1} is not KEY=VALUE: “${line}”.`);
    }
    environment[line.slice(0, equals).trim()] = line.slice(equals + 1);
  });
  return environment;
}

export const formatEnvironment = (environment: Record<string, string> | undefined) =>
  Object.entries(environment ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');

function port(text: string, which: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`The ${which} port must be a whole number from 1 to 65535.`);
  }
  return value;
}

/** The settings both create and change send: config (without ports) and the update policy. */
function settings(form: ContainerForm) {
  const config: Record<string, unknown> = {
    environment: parseEnvironment(form.environment),
    restart_policy: form.restartPolicy,
    memory_limit: form.memoryLimit.trim() || null,
    cpu_limit: form.cpuLimit.trim() || null,
  };
  const policy: Record<string, unknown> = { policy: form.policy, strategy: form.strategy, rollback_on_failure: form.rollbackOnFailure };
  if (form.schedule.trim()) {
    policy.schedule = form.schedule.trim();
  }
  return { config, update_policy: policy };
}

/** Seed 002's create body; throws, in words, for what the form can tell is wrong. */
export function newContainerBody(form: ContainerForm): NewContainer {
  const { config, update_policy } = settings(form);
  if (form.hostPort.trim() || form.containerPort.trim()) {
    config.ports = [{ host: port(form.hostPort, 'host'), container: port(form.containerPort, 'container'), protocol: 'tcp' }];
  }
  const body: NewContainer = { name: form.name.trim(), image: form.image.trim(), config, update_policy, start_immediately: form.startImmediately };
  const command = form.healthCommand.trim().split(/\s+/).filter(Boolean);
  if (command.length > 0) {
    body.health_check = { enabled: true, interval: 10, timeout: 5, retries: 3, command };
  }
  return body;
}

/** `PUT /api/containers/{id}`'s body: the settings the edit form shows (ports, name and image stay). */
export const changeBody = (form: ContainerForm) => settings(form);

/** The edit form filled from the container as the service has it. */
export function formOf(container: ContainerDetails): ContainerForm {
  const config = container.config ?? {};
  const policy = container.update_policy ?? {};
  const published = config.ports?.[0];
  return {
    ...EMPTY_FORM,
    name: container.name,
    image: container.image,
    hostPort: published?.host ? String(published.host) : '',
    containerPort: published?.container ? String(published.container) : '',
    environment: formatEnvironment(config.environment),
    memoryLimit: config.memory_limit ?? '',
    cpuLimit: config.cpu_limit ?? '',
    restartPolicy: config.restart_policy ?? EMPTY_FORM.restartPolicy,
    policy: policy.policy ?? EMPTY_FORM.policy,
    strategy: policy.strategy ?? EMPTY_FORM.strategy,
    schedule: policy.schedule ?? '',
    rollbackOnFailure: policy.rollback_on_failure ?? true,
  };
}

import type { ApiClient } from './client';
import { seg } from './service';

/** Seed 000's Kafka API of one `kafka` instance (docs/kafka.md): the instance's own names. */
export interface Topic {
  name: string;
  partitions: number;
  replicationFactor: number;
}

export interface KafkaRecord {
  partition: number;
  offset: number;
  timestamp: string;
  key?: string | null;
  value?: string | null;
  headers?: Record<string, string>;
  encoding?: string;
}

export interface ConsumerGroup {
  groupId: string;
  state: string;
  memberCount: number;
  partitions: { topic: string; partition: number; committedOffset: number; endOffset: number; lag: number }[];
  totalLag: number;
}

const topicPath = (base: string, topic: string) => `${base}/topics/${seg(topic)}`;

export async function listTopics(api: ApiClient, base: string): Promise<Topic[]> {
  return (await api.json<{ topics: Topic[] }>('GET', `${base}/topics`)).topics;
}

export const createTopic = (api: ApiClient, base: string, name: string, partitions: number, retentionHours: number) =>
  api.json<Topic>('POST', `${base}/topics`, {
    name,
    partitions,
    replicationFactor: 1,
    retentionMs: retentionHours * 3_600_000,
  });

export const deleteTopic = (api: ApiClient, base: string, name: string) => api.json<void>('DELETE', topicPath(base, name));

/** One record; an empty key is left out, so the broker spreads such records over partitions. */
export const produce = (api: ApiClient, base: string, topic: string, key: string, value: string) =>
  api.json<{ partition: number; offset: number }>('POST', `${topicPath(base, topic)}/messages`, {
    ...(key ? { key } : {}),
    value,
  });

export interface ConsumeOptions {
  /** A group reads from its committed offsets and commits past what it got; none just looks. */
  group?: string;
  from: 'earliest' | 'latest';
  max: number;
  /** The longest wait for the first records (default 2 s); the call returns as soon as some come. */
  timeoutMs?: number;
}

export async function consume(api: ApiClient, base: string, topic: string, options: ConsumeOptions): Promise<KafkaRecord[]> {
  const query = new URLSearchParams({
    maxMessages: String(options.max),
    timeoutMs: String(options.timeoutMs ?? 2000),
    from: options.from,
  });
  if (options.group) {
    query.set('consumerGroup', options.group);
  }
  return (await api.json<{ messages: KafkaRecord[] }>('GET', `${topicPath(base, topic)}/messages?${query}`)).messages;
}

export async function listConsumerGroups(api: ApiClient, base: string): Promise<ConsumerGroup[]> {
  return (await api.json<{ consumerGroups: ConsumerGroup[] }>('GET', `${base}/consumer-groups`)).consumerGroups;
}

/** Deletes a consumer group of the instance and its committed offsets (404 when there is none). */
export const deleteConsumerGroup = (api: ApiClient, base: string, group: string) =>
  api.json<void>('DELETE', `${base}/consumer-groups/${seg(group)}`);

/** A SASL/SCRAM user for native Kafka clients; `password` only in the answer that set it. */
export interface KafkaCredential {
  username: string;
  password?: string;
  mechanism: string;
  securityProtocol: string;
  bootstrapServers: string;
  topicPrefix: string;
  groupPrefix: string;
  description?: string | null;
  createdAt: string;
  rotatedAt?: string | null;
}

export async function listCredentials(api: ApiClient, base: string): Promise<KafkaCredential[]> {
  return (await api.json<{ credentials: KafkaCredential[] }>('GET', `${base}/credentials`)).credentials;
}

export const createCredential = (api: ApiClient, base: string, description: string) =>
  api.json<KafkaCredential>('POST', `${base}/credentials`, { description });

export const rotateCredential = (api: ApiClient, base: string, username: string) =>
  api.json<KafkaCredential>('POST', `${base}/credentials/${seg(username)}/rotate`);

export const revokeCredential = (api: ApiClient, base: string, username: string) =>
  api.json<void>('DELETE', `${base}/credentials/${seg(username)}`);

/** A client's settings for a credential: what a Kafka client's properties file needs. */
export function clientProperties(credential: KafkaCredential): string {
  const module =
    credential.mechanism.startsWith('SCRAM') ? 'org.apache.kafka.common.security.scram.ScramLoginModule' : 'org.apache.kafka.common.security.plain.PlainLoginModule';
  return [
    `bootstrap.servers=${credential.bootstrapServers}`,
    `security.protocol=${credential.securityProtocol}`,
    `sasl.mechanism=${credential.mechanism}`,
    `sasl.jaas.config=${module} required username="${credential.username}" password="${credential.password ?? '<password>'}";`,
  ].join('\n');
}

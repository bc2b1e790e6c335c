import type { ApiClient } from './client';
import { seg } from './service';

/** Seed 000's queues of one `queue` instance (docs/queue.md); `base` from serviceBase('queue', ...). */
export interface Queue {
  queueName: string;
  queueType: 'Standard' | 'FIFO' | string;
  visibilityTimeoutSeconds: number;
  messageRetentionPeriod: number;
  delaySeconds: number;
  maxReceiveCount?: number | null;
  deadLetterQueueName?: string | null;
  createdAt: string;
  approximateNumberOfMessages?: number;
  approximateNumberOfMessagesNotVisible?: number;
  approximateNumberOfMessagesDelayed?: number;
}

export interface QueueMessage {
  messageId: string;
  receiptHandle: string;
  messageBody: string;
  receiveCount: number;
  sentAt: string;
  messageGroupId?: string | null;
}

export interface NewQueue {
  queueName: string;
  queueType: 'Standard' | 'FIFO';
  visibilityTimeoutSeconds?: number;
  deadLetterQueueName?: string;
  maxReceiveCount?: number;
}

const queuePath = (base: string, name: string) => `${base}/queues/${seg(name)}`;

export async function listQueues(api: ApiClient, base: string): Promise<Queue[]> {
  return (await api.json<{ queues: Queue[] }>('GET', `${base}/queues`)).queues;
}

/** One queue with its approximate counts (the list does not carry them). */
export const getQueue = (api: ApiClient, base: string, name: string) => api.json<Queue>('GET', queuePath(base, name));

/** A FIFO queue's name must end in `.fifo`: added here rather than refused. */
export function createQueue(api: ApiClient, base: string, queue: NewQueue) {
  const queueName =
    queue.queueType === 'FIFO' && !queue.queueName.endsWith('.fifo') ? `${queue.queueName}.fifo` : queue.queueName;
  return api.json<Queue>('POST', `${base}/queues`, { ...queue, queueName });
}

export const deleteQueue = (api: ApiClient, base: string, name: string) =>
  api.json<void>('DELETE', queuePath(base, name));

export const purgeQueue = (api: ApiClient, base: string, name: string) =>
  api.json<void>('POST', `${queuePath(base, name)}/purge`);

/** FIFO queues need a group (the console uses one, "console") and dedupe by content or id. */
export function sendMessage(api: ApiClient, base: string, queue: Queue, body: string) {
  const fifo = queue.queueType === 'FIFO';
  return api.json<{ messageId: string }>('POST', `${queuePath(base, queue.queueName)}/messages`, {
    messageBody: body,
    ...(fifo ? { messageGroupId: 'console', messageDeduplicationId: crypto.randomUUID() } : {}),
  });
}

/**
 * Receives up to `max` messages without waiting. `peek` receives with a visibility timeout of 0,
 * so the messages stay visible to other consumers (their receive count still goes up, as SQS's).
 */
export async function receiveMessages(
  api: ApiClient,
  base: string,
  name: string,
  max: number,
  peek: boolean,
): Promise<QueueMessage[]> {
  const query = new URLSearchParams({ maxNumberOfMessages: String(max), waitTimeSeconds: '0' });
  if (peek) {
    query.set('visibilityTimeoutSeconds', '0');
  }
  const body = await api.json<{ messages: QueueMessage[] }>('GET', `${queuePath(base, name)}/messages?${query}`);
  return body.messages;
}

export const deleteMessage = (api: ApiClient, base: string, name: string, receiptHandle: string) =>
  api.json<void>('DELETE', `${queuePath(base, name)}/messages/${seg(receiptHandle)}`);

export interface BatchResult {
  successful: { id: string; messageId: string }[];
  failed: { id: string; code: string; message: string; senderFault?: boolean }[];
}

/**
 * The lines of a batch the user typed, one message each (blank lines skipped), as SendMessageBatch
 * entries: at most 10, as SQS allows in one batch.
 */
export function batchEntries(text: string): { id: string; messageBody: string }[] {
  const bodies = text.split('\n').filter((line) => line.trim() !== '');
  if (bodies.length > 10) {
    throw new Error(`A batch holds at most 10 messages; this one has ${bodies.length}.`);
  }
  return bodies.map((messageBody, i) => ({ id: `m${i + 1}`, messageBody }));
}

/** One SendMessageBatch call: each entry succeeds or fails on its own. */
export function sendMessageBatch(api: ApiClient, base: string, queue: Queue, entries: { id: string; messageBody: string }[]) {
  const fifo = queue.queueType === 'FIFO';
  return api.json<BatchResult>('POST', `${queuePath(base, queue.queueName)}/messages/batch`, {
    entries: entries.map((e) => (fifo ? { ...e, messageGroupId: 'console', messageDeduplicationId: crypto.randomUUID() } : e)),
  });
}

/** A dead-letter redrive (SQS's message move task) of one queue, docs/queue.md. */
export interface MoveTask {
  taskHandle: string;
  status: 'RUNNING' | 'COMPLETED' | 'CANCELLED' | 'FAILED' | string;
  sourceArn: string;
  destinationArn?: string | null;
  maxNumberOfMessagesPerSecond?: number | null;
  approximateNumberOfMessagesMoved: number;
  approximateNumberOfMessagesToMove: number;
  failureReason?: string | null;
  startedAt: string;
}

const movePath = (base: string, name: string) => `${queuePath(base, name)}/move-tasks`;

/** Moves the dead-letter queue's messages back to their source queues, or to `destination`. */
export const startRedrive = (api: ApiClient, base: string, name: string, destination?: string | null, maxPerSecond?: number | null) =>
  api.json<MoveTask>('POST', movePath(base, name), {
    ...(destination ? { destinationQueueName: destination } : {}),
    ...(maxPerSecond ? { maxNumberOfMessagesPerSecond: maxPerSecond } : {}),
  });

export async function listMoveTasks(api: ApiClient, base: string, name: string): Promise<MoveTask[]> {
  return (await api.json<{ tasks: MoveTask[] }>('GET', movePath(base, name))).tasks;
}

export const cancelMoveTask = (api: ApiClient, base: string, name: string, handle: string) =>
  api.json<MoveTask>('POST', `${movePath(base, name)}/${seg(handle)}/cancel`);

/** The queues that dead-letter into `name`: a queue is a dead-letter queue when one names it. */
export const sourcesOf = (queues: Queue[], name: string) =>
  queues.filter((q) => q.deadLetterQueueName === name).map((q) => q.queueName);

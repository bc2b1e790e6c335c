// The console's Kafka page in Debian's chromium, against the tenant-Kafka stack: a Kafka instance,
// a topic created, a record produced and read back from the earliest offset, then the live view:
// following the topic, a record produced meanwhile shows up, and stopping deletes the live view's
// consumer group. Run by e2e's TenantEventsConsoleConsumerIT (the stack that has kafka-service),
// which then reads the topic, its records and the consumer groups back through the API.
import { randomBytes } from 'node:crypto';
import { inBrowser, newInstance, shot, signIn, step, untilDone, writeResult } from './harness.mjs';

const suffix = randomBytes(3).toString('hex');
const instance = `console-kafka-${suffix}`;
const topic = `console-topic-${suffix}`;

await inBrowser(async (context, page) => {
  step('sign in');
  await signIn(page);

  step('Kafka: an instance and a topic');
  const instanceId = await newInstance(page, instance, 'Kafka');
  await page.getByRole('heading', { name: `Topics of ${instance}` }).waitFor();
  await page.getByLabel('Topic name').fill(topic);
  await untilDone(
    page,
    `Topics of ${instance}`,
    () => page.getByRole('button', { name: 'Create topic' }).click(),
    page.getByTestId(`topic-${topic}`),
    'create the topic',
  );

  step('Kafka: produce a record and read it from the earliest offset');
  await page.getByTestId(`topic-${topic}`).getByRole('button', { name: topic, exact: true }).click();
  await page.getByRole('heading', { name: `Topic ${topic}` }).waitFor();
  await page.getByLabel('Key (optional)').fill('first');
  await page.getByLabel('Value').fill(`hello kafka ${suffix}`);
  await page.getByRole('button', { name: 'Produce' }).click();
  await page.getByText('Produced at partition').waitFor();
  await page.getByRole('button', { name: 'Consume' }).click();
  await page.getByRole('table', { name: `Records of ${topic}` }).getByText(`hello kafka ${suffix}`).waitFor();

  step('Kafka: follow the topic live; a record produced meanwhile shows up');
  await page.getByRole('button', { name: 'Follow live' }).click();
  await page.getByText(`Following ${topic}`).waitFor();
  // The live view starts at the end once its group has joined: produce until one arrives.
  const live = page.getByRole('table', { name: `Live records of ${topic}` });
  const until = Date.now() + 30_000;
  let sent = 0;
  while (!(await live.getByText(`live ${suffix}`, { exact: false }).first().isVisible())) {
    if (Date.now() > until) {
      throw new Error(`the live view showed none of ${sent} records produced while following`);
    }
    await page.getByLabel('Key (optional)').fill('live');
    await page.getByLabel('Value').fill(`live ${suffix} #${++sent}`);
    await page.getByRole('button', { name: 'Produce' }).click();
    await page.waitForTimeout(1500);
  }
  await shot(page, '30-kafka-live');
  // Stopping deletes the live view's group once the read in flight ends: wait for that call, or
  // closing the browser would cancel it.
  const groupDeleted = page.waitForResponse(
    (r) => r.request().method() === 'DELETE' && r.url().includes('/consumer-groups/console-tail-'),
    { timeout: 30_000 },
  );
  await page.getByRole('button', { name: 'Stop following' }).click();
  await page.getByRole('button', { name: 'Follow live' }).waitFor();
  const deleted = await groupDeleted;
  if (deleted.status() !== 204) {
    throw new Error(`deleting the live view's group answered ${deleted.status()}: ${await deleted.text()}`);
  }

  writeResult({ instanceId, topic, value: `hello kafka ${suffix}`, liveSent: sent });
});

// The console's data features in Debian's chromium (see harness.mjs): a second access key of a
// storage instance made (its secret shown once, kept nowhere); a share link of an uploaded object,
// presigned by storage-service with that key (no secret in the browser); a lifecycle rule and a CORS rule set on a bucket; a queue's batch send, its messages
// dead-lettered and redriven back from the dead-letter queue; the queue instance's traffic chart
// showing the requests just made. Run by e2e's ConsoleBrowserIT, which then checks through the
// APIs what it wrote to its result file; by hand:
// CONSOLE_URL=http://127.0.0.1:8080 CONSOLE_PASSWORD=... node e2e/data-flow.mjs
import { randomBytes } from 'node:crypto';
import { base, inBrowser, shot, signIn, step, writeResult } from './harness.mjs';

const suffix = randomBytes(3).toString('hex');
const storageName = `data-e2e-${suffix}`;
const bucket = `data-e2e-${suffix}`;
const fileName = 'shared.txt';
const content = `shared by the console ${suffix}\n`;
const queueInstance = `data-e2e-q-${suffix}`;
const dlq = `dlq-${suffix}`;
const work = `work-${suffix}`;
const ruleId = `expire-logs-${suffix}`;
const corsOrigin = `https://app-${suffix}.example.test`;

/** Creates an instance on Home and opens it; its id from the page's address. */
async function createInstance(page, name, option) {
  await page.getByRole('link', { name: 'Home' }).click();
  await page.getByLabel('Instance name').fill(name);
  if (option) {
    await page.getByRole('combobox', { name: 'Type' }).click();
    await page.getByRole('option', { name: option }).click();
  }
  await page.getByRole('button', { name: 'Create instance' }).click();
  await page.getByRole('dialog').getByTestId('secret-API key').waitFor();
  await page.getByRole('dialog').getByRole('button', { name: 'I have saved them' }).click();
  const row = page.getByTestId(`instance-${name}`);
  await row.getByText('running').waitFor({ timeout: 60_000 });
  await row.getByRole('link', { name }).click();
  return page.url().split('/').pop();
}

await inBrowser(async (context, page) => {
  step('sign in');
  await signIn(page);

  step('a storage instance, and a second access key (its secret shown once, never kept)');
  const storageId = await createInstance(page, storageName);
  await page.getByRole('heading', { name: `Buckets of ${storageName}` }).waitFor();
  await page.getByRole('button', { name: 'Create access key' }).click();
  const keyDialog = page.getByRole('dialog');
  const accessKeyId = (await keyDialog.getByTestId('secret-Access key ID').textContent())?.trim();
  await keyDialog.getByTestId('secret-Secret access key').waitFor();
  await keyDialog.getByRole('button', { name: 'I have saved it' }).click();
  await page.getByTestId(`access-key-${accessKeyId}`).waitFor();

  step('a bucket and an object, shared by a link storage-service presigns with the new key');
  await page.getByLabel('Bucket name').fill(bucket);
  await page.getByRole('button', { name: 'Create bucket' }).click();
  await page.getByRole('button', { name: bucket, exact: true }).click();
  await page.locator('input[type=file]').setInputFiles({ name: fileName, mimeType: 'text/plain', buffer: Buffer.from(content) });
  await page.getByTestId(`object-${fileName}`).waitFor();
  await page.getByRole('button', { name: `Share ${fileName}` }).click();
  await page.getByRole('combobox', { name: 'Signed with' }).click();
  await page.getByRole('option', { name: accessKeyId }).click();
  await page.getByRole('button', { name: 'Make link' }).click();
  const link = (await page.getByTestId('secret-Share link').textContent())?.trim();
  if (!link.startsWith(`${new URL(base).origin}/s3/${bucket}/`) || !link.includes(`X-Amz-Credential=${accessKeyId}%2F`)) {
    throw new Error(`the share link is not the gateway's, signed with ${accessKeyId}: ${link}`);
  }
  await shot(page, 'data-01-share-link');
  const anonymous = await fetch(link);
  if (anonymous.status !== 200 || (await anonymous.text()) !== content) {
    throw new Error(`the share link did not return the object: ${anonymous.status}`);
  }
  await page.keyboard.press('Escape');

  step('bucket settings: a lifecycle rule and a CORS rule');
  await page.getByRole('button', { name: 'All buckets' }).click();
  await page.getByRole('button', { name: `Settings of ${bucket}` }).click();
  await page.getByText('No lifecycle rules.').waitFor();
  await page.getByLabel('Rule ID').fill(ruleId);
  await page.getByLabel('Prefix').fill('logs/');
  await page.getByLabel('Expire after days').fill('7');
  await page.getByRole('button', { name: 'Add rule' }).click();
  await page.getByTestId(`lifecycle-${ruleId}`).getByText('expire after 7 days').waitFor();
  await page.getByLabel('Allowed origins').fill(corsOrigin);
  await page.getByRole('checkbox', { name: 'PUT' }).check();
  await page.getByRole('button', { name: 'Add CORS rule' }).click();
  await page.getByRole('table', { name: `CORS rules of ${bucket}` }).getByText(corsOrigin).waitFor();
  await shot(page, 'data-02-bucket-settings');

  step('queues: a dead-letter queue and a queue that dead-letters after one receive');
  const queueId = await createInstance(page, queueInstance, 'Queue (SQS)');
  await page.getByRole('heading', { name: `Queues of ${queueInstance}` }).waitFor();
  await page.getByLabel('Queue name').fill(dlq);
  await page.getByRole('button', { name: 'Create queue' }).click();
  await page.getByTestId(`queue-${dlq}`).waitFor();
  await page.getByLabel('Queue name').fill(work);
  await page.getByRole('combobox', { name: 'Dead-letter queue' }).click();
  await page.getByRole('option', { name: dlq }).click();
  await page.getByLabel('Receives before dead-lettering').fill('1');
  await page.getByRole('button', { name: 'Create queue' }).click();
  await page.getByTestId(`queue-${work}`).getByRole('button', { name: work, exact: true }).click();

  step('a batch of three, received once each, dead-lettered by the next receive');
  await page.getByRole('textbox', { name: 'Batch' }).fill(`one ${suffix}\ntwo ${suffix}\nthree ${suffix}`);
  await page.getByRole('button', { name: 'Send batch' }).click();
  await page.getByText('3 sent').waitFor();
  await page.getByRole('button', { name: 'Peek' }).click();
  const messages = page.getByRole('table', { name: `Messages of ${work}` });
  await messages.getByText(`three ${suffix}`).waitFor();
  await page.getByRole('button', { name: 'Peek' }).click();
  await page.getByText('No messages were visible.').waitFor();

  step('redrive the dead-letter queue back to its source');
  await page.getByTestId(`queue-${dlq}`).getByRole('button', { name: dlq, exact: true }).click();
  const redrive = page.getByRole('group', { name: `Redrive of ${dlq}` });
  await redrive.getByText(`dead-letter queue of ${work}`).waitFor();
  await redrive.getByRole('button', { name: 'Redrive messages' }).click();
  const tasks = page.getByRole('table', { name: `Redrives of ${dlq}` });
  await tasks.getByText('COMPLETED').waitFor({ timeout: 30_000 });
  await tasks.getByText('3 of 3').waitFor();
  await shot(page, 'data-03-redrive');

  step('the traffic chart of the queue instance shows the requests just made');
  let requests = 0;
  for (let attempt = 0; attempt < 15 && requests === 0; attempt++) {
    await page.reload();
    const status = page.getByRole('region', { name: `Traffic of ${queueInstance}` }).getByRole('status');
    const text = (await status.textContent()) ?? '';
    requests = Number(/Last hour: (\d+) requests/.exec(text)?.[1] ?? 0);
    if (requests === 0) {
      await page.waitForTimeout(1000);
    }
  }
  if (requests === 0) {
    throw new Error('the traffic chart shows no requests');
  }
  const chart = await page.getByRole('img', { name: /^Requests a minute/ }).getAttribute('aria-label');
  await shot(page, 'data-04-traffic');

  writeResult({ storageId, bucket, fileName, content: content.trim(), link, accessKeyId, ruleId, corsOrigin, queueId, dlq, work, requests, chart });
});

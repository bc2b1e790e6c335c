// The console's end-to-end flow in Debian's chromium, driven by playwright-core (no browser
// download): sign in, create a storage instance, create a bucket, upload a file, download it
// and compare; reload and stay signed in (the HttpOnly refresh-token cookie); create a queue
// instance, a queue, send and peek a message; add a webhook endpoint; add an organization;
// filter the audit log; visit the containers page; as platform admin, act on another tenant
// (its organization shows, the admin's own does not) and come back; create an order and open
// it; dark mode, a phone's width, sign out (the
// cookie goes, a reload asks to sign in). Screenshots of the main pages go to
// $CONSOLE_SCREENSHOTS. Run by e2e's ConsoleBrowserIT against a running gateway+auth+storage;
// by hand: CONSOLE_URL=http://127.0.0.1:8080 CONSOLE_PASSWORD=... node e2e/browser-flow.mjs
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { base, email, env, fillSignIn, inBrowser, password, screenshots, shot, step, tenantDomain, writeResult } from './harness.mjs';

const suffix = randomBytes(3).toString('hex');
const instanceName = `console-e2e-${suffix}`;
const bucket = `console-e2e-${suffix}`;
const fileName = 'hello-console.txt';
const queueInstance = `console-e2e-q-${suffix}`;
const queueName = `console-e2e-${suffix}`;
const organization = `Console e2e ${suffix}`;
// A loopback port nothing listens on (the e2e stack allows 127.0.0.0/8 as webhook targets).
const hookUrl = `http://127.0.0.1:9/console-e2e-${suffix}`;
// A tenant the Java test created, with an organization of its own, for the tenant switch.
const otherTenant = env('CONSOLE_OTHER_TENANT');
const otherOrganization = env('CONSOLE_OTHER_ORGANIZATION');
const orderCustomer = `Console e2e ${suffix}`;
// A tenant the flow creates on the Tenants page.
const newTenant = `console-new-${suffix}`;
// Over 32 KB, so the object is stored as a file rather than inline (docs/storage.md).
const content = Buffer.from(`hello from the console ${suffix}\n`.repeat(4000));

await inBrowser(async (context, page) => {
  step('open the console');
  const response = await page.goto(`${base}/console`);
  const csp = response.headers()['content-security-policy'] ?? '';
  if (!csp.includes("script-src 'self'")) {
    throw new Error(`no Content-Security-Policy on the console: ${csp}`);
  }
  await page.getByRole('heading', { name: 'Sign in to Cumulus' }).waitFor();

  step('a wrong password shows the API message');
  await fillSignIn(page, `${password}-wrong`);
  const refusal = await page.getByRole('alert').textContent();
  if (!/invalid|password|credentials/i.test(refusal ?? '')) {
    throw new Error(`unexpected sign-in error: ${refusal}`);
  }
  await shot(page, '01-sign-in');

  step('sign in');
  await fillSignIn(page, password);
  await page.getByRole('heading', { name: 'Home' }).waitFor();

  step('create a storage instance');
  await page.getByLabel('Instance name').fill(instanceName);
  await page.getByRole('button', { name: 'Create instance' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('shown only now').waitFor();
  const apiKey = await dialog.getByTestId('secret-API key').textContent();
  if (!apiKey?.startsWith('ck_')) {
    throw new Error(`no API key shown once: ${apiKey}`);
  }
  await dialog.getByTestId('secret-Secret access key').waitFor();
  await shot(page, '02-instance-created');
  await dialog.getByRole('button', { name: 'I have saved them' }).click();
  const row = page.getByTestId(`instance-${instanceName}`);
  await row.getByText('running').waitFor({ timeout: 60_000 });
  await shot(page, '03-home');

  step('open its storage, create a bucket');
  await row.getByRole('link', { name: instanceName }).click();
  await page.getByRole('heading', { name: `Buckets of ${instanceName}` }).waitFor();
  const instanceId = page.url().split('/').pop();
  await page.getByLabel('Bucket name').fill(bucket);
  await page.getByRole('button', { name: 'Create bucket' }).click();
  await page.getByRole('button', { name: bucket, exact: true }).click();
  await page.getByRole('heading', { name: `Bucket ${bucket}` }).waitFor();

  step('upload a file');
  await page.locator('input[type=file]').setInputFiles({ name: fileName, mimeType: 'text/plain', buffer: content });
  await page.getByTestId(`object-${fileName}`).waitFor();
  await shot(page, '04-bucket');

  step('download it');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: `Download ${fileName}` }).click(),
  ]);
  const downloaded = join(screenshots, `downloaded-${fileName}`);
  await download.saveAs(downloaded);
  if (!readFileSync(downloaded).equals(content)) {
    throw new Error('the downloaded file differs from the uploaded one');
  }

  step('tokens stay out of web storage');
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }) + document.cookie);
  if (stored.includes('eyJ')) {
    throw new Error(`a token is in web storage or a cookie: ${stored}`);
  }

  step('a reload keeps the session: the refresh token is an HttpOnly cookie for its one path');
  const refreshCookie = (await context.cookies()).find((c) => c.name === 'cumulus_refresh');
  if (!refreshCookie || !refreshCookie.httpOnly || refreshCookie.sameSite !== 'Strict' || refreshCookie.path !== '/api/auth/refresh') {
    throw new Error(`no HttpOnly, SameSite=Strict refresh cookie for /api/auth/refresh: ${JSON.stringify(refreshCookie)}`);
  }
  if ((await page.evaluate(() => document.cookie)).includes('cumulus_refresh')) {
    throw new Error('the page can read the refresh cookie');
  }
  await page.reload();
  await page.getByRole('heading', { name: `Buckets of ${instanceName}` }).waitFor();
  await page.getByTestId('signed-in-as').getByText(email).waitFor();
  const rotated = (await context.cookies()).find((c) => c.name === 'cumulus_refresh');
  if (!rotated || rotated.value === refreshCookie.value) {
    throw new Error('the reload did not rotate the refresh cookie');
  }

  step('queues: an instance, a queue, a message sent and peeked');
  await page.getByRole('link', { name: 'Home' }).click();
  await page.getByLabel('Instance name').fill(queueInstance);
  await page.getByRole('combobox', { name: 'Type' }).click();
  await page.getByRole('option', { name: 'Queue (SQS)' }).click();
  await page.getByRole('button', { name: 'Create instance' }).click();
  await page.getByRole('dialog').getByTestId('secret-API key').waitFor();
  await page.getByRole('dialog').getByRole('button', { name: 'I have saved them' }).click();
  const queueRow = page.getByTestId(`instance-${queueInstance}`);
  await queueRow.getByText('running').waitFor({ timeout: 60_000 });
  await queueRow.getByRole('link', { name: queueInstance }).click();
  await page.getByRole('heading', { name: `Queues of ${queueInstance}` }).waitFor();
  await page.getByLabel('Queue name').fill(queueName);
  await page.getByRole('button', { name: 'Create queue' }).click();
  await page.getByTestId(`queue-${queueName}`).getByRole('button', { name: queueName, exact: true }).click();
  await page.getByLabel('Message body').fill(`hello ${suffix}`);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await page.getByText('Sent message').waitFor();
  await page.getByRole('button', { name: 'Peek' }).click();
  await page.getByRole('table', { name: `Messages of ${queueName}` }).getByText(`hello ${suffix}`).waitFor();
  await shot(page, '05-queue');

  step('webhooks: an endpoint, its secret once');
  await page.getByRole('link', { name: 'Webhooks' }).click();
  await page.getByLabel('Endpoint URL').fill(hookUrl);
  // An event no service sends: nothing is delivered to the closed port.
  await page.getByLabel('Events').fill('console-e2e.none');
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  const signing = await page.getByRole('dialog').getByTestId('secret-Signing secret').textContent();
  if (!signing?.startsWith('whsec_')) {
    throw new Error(`no signing secret shown once: ${signing}`);
  }
  await page.getByRole('dialog').getByRole('button', { name: 'I have saved it' }).click();
  await page.getByTestId(`webhook-${hookUrl}`).waitFor();

  step('users and organizations: an organization');
  await page.getByRole('link', { name: 'Users and organizations' }).click();
  await page.getByRole('table', { name: 'Users', exact: true }).waitFor();
  await page.getByLabel('Organization name').fill(organization);
  await page.getByRole('button', { name: 'Add organization' }).click();
  await page.getByTestId(`organization-${organization}`).waitFor();

  step('audit log: the instances created, filtered by action');
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('table', { name: 'Audit entries' }).waitFor();
  await page.getByRole('combobox', { name: 'Action' }).click();
  await page.getByRole('option', { name: 'CREATE', exact: true }).click();
  const audit = page.getByRole('table', { name: 'Audit entries' });
  await audit.getByText('CREATE').first().waitFor();
  // The unfiltered page shows CREATE rows too: give the filtered one time to replace it.
  const filteredBy = Date.now() + 10_000;
  while ((await audit.getByText('LOGIN', { exact: true }).count()) > 0) {
    if (Date.now() > filteredBy) {
      throw new Error('the action filter left other actions in the audit log');
    }
    await page.waitForTimeout(200);
  }
  await shot(page, '06-audit');

  // updater-service's route is the stack's own, started or not.
  step('the containers page answers (updater-service may not run in this stack)');
  await page.getByRole('link', { name: 'Containers and updates' }).click();
  await page.getByRole('heading', { name: 'Containers and updates' }).waitFor();
  await page
    .getByRole('table', { name: 'Containers', exact: true })
    .or(page.getByText('No containers yet.'))
    .or(page.getByRole('alert'))
    .first()
    .waitFor();
  await shot(page, '07-containers');

  step('a platform admin creates a tenant, acts on another one and sees its data, then comes back');
  await page.getByRole('link', { name: 'Tenants' }).click();
  await page.getByRole('table', { name: 'Tenants', exact: true }).waitFor();
  await page.getByLabel('Tenant id').fill(newTenant);
  await page.getByLabel('Display name').fill(`New tenant ${suffix}`);
  await page.getByRole('button', { name: 'Create tenant' }).click();
  await page.getByTestId(`tenant-${newTenant}`).getByText(`New tenant ${suffix}`).waitFor();
  await page.getByRole('button', { name: `Act on ${otherTenant}`, exact: true }).click();
  await page.getByText(`Acting on tenant ${otherTenant}`).waitFor();
  await page.getByRole('link', { name: 'Users and organizations' }).click();
  await page.getByTestId(`organization-${otherOrganization}`).waitFor();
  if ((await page.getByTestId(`organization-${organization}`).count()) > 0) {
    throw new Error('acting on another tenant still shows the admin tenant\'s organization');
  }
  await shot(page, '10-acting');
  await page.getByRole('button', { name: `Back to ${tenantDomain}` }).click();
  await page.getByTestId(`organization-${organization}`).waitFor();
  if ((await page.getByText(`Acting on tenant ${otherTenant}`).count()) > 0) {
    throw new Error('the banner stayed after going back');
  }
  if ((await page.getByTestId(`organization-${otherOrganization}`).count()) > 0) {
    throw new Error('back on the admin tenant, the other tenant\'s organization still shows');
  }

  step('orders: create one and open it');
  await page.getByRole('link', { name: 'Orders and payments' }).click();
  await page.getByRole('heading', { name: 'Orders and payments' }).waitFor();
  await page.getByLabel('Customer e-mail').fill(`buyer-${suffix}@example.com`);
  await page.getByLabel('Customer name').fill(orderCustomer);
  await page.getByLabel('Item').fill('Console e2e widget');
  await page.getByLabel('Quantity').fill('2');
  await page.getByLabel('Unit price').fill('12.50');
  await page.getByRole('button', { name: /^Create order \(25\.00/ }).click();
  const orders = page.getByRole('table', { name: 'Orders', exact: true });
  const orderRow = orders.getByRole('row').filter({ hasText: orderCustomer });
  await orderRow.waitFor();
  const orderButton = orderRow.getByRole('button', { name: /^Order / });
  const orderId = (await orderButton.getAttribute('aria-label')).replace(/^Order /, '');
  await orderButton.click();
  const details = page.getByTestId('order-details');
  await details.getByText(`Customer: ${orderCustomer}`, { exact: false }).waitFor();
  await details.getByText('Total: 25', { exact: false }).waitFor();
  await shot(page, '11-order');

  step('dark mode');
  await page.getByRole('button', { name: 'Switch to dark mode' }).click();
  await page.getByRole('link', { name: 'Home' }).click();
  await page.getByTestId(`instance-${instanceName}`).waitFor();
  await shot(page, '08-home-dark');

  step('small screen');
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, '09-home-phone');

  step('sign out');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in to Cumulus' }).waitFor();
  const leftOver = (await context.cookies()).find((c) => c.name === 'cumulus_refresh');
  if (leftOver) {
    throw new Error(`sign-out left the refresh cookie: ${JSON.stringify(leftOver)}`);
  }
  await page.reload();
  await page.getByRole('heading', { name: 'Sign in to Cumulus' }).waitFor();

  const sha256 = createHash('sha256').update(content).digest('hex');
  writeResult({
    instanceId,
    bucket,
    key: fileName,
    size: content.length,
    sha256,
    refreshCookie: `httpOnly:${refreshCookie.httpOnly};sameSite:${refreshCookie.sameSite};path:${refreshCookie.path}`,
    reloadKeptSession: true,
    orderId,
    orderCustomer,
    newTenant,
  });
});

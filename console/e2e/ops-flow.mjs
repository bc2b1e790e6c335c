// The console's operations pages in Debian's chromium (harness.mjs): edit a user's names,
// e-mail, role and permissions (the change that ends their tokens is confirmed first); create an
// order of two items and see its total and the monitoring views; save a private-registry login
// (its password is never shown back); and, when the Java test could push an image to the local
// registry ($CONSOLE_CONTAINER_IMAGE: podman's Docker API and the registry are there), create a
// container from the form, follow its log live (Server-Sent Events) and delete it. Run by e2e's
// ConsoleBrowserIT, which reads the results back through the API.
import { randomBytes } from 'node:crypto';
import { inBrowser, shot, signIn, step, writeResult } from './harness.mjs';

const suffix = randomBytes(3).toString('hex');
const username = `console-ops-${suffix}`;
const newEmail = `ops-${suffix}@example.com`;
const permissions = ['container:read', 'container:write', 'image:read', 'image:write'];
const orderCustomer = `Console ops ${suffix}`;
const registry = `registry-${suffix}.example.com`;
const registryPassword = `console-ops-secret-${suffix}`;
const image = process.env.CONSOLE_CONTAINER_IMAGE ?? '';
const hostPort = process.env.CONSOLE_CONTAINER_PORT ?? '';
const containerName = `console-ops-${suffix}`;
/** A field's label exactly, with or without the asterisk Mantine adds to a required one. */
const label = (text) => new RegExp(`^${text}( \\*)?$`);

await inBrowser(async (context, page) => {
  await signIn(page);

  step('users: add a viewer, then edit names, e-mail, role and permissions');
  await page.getByRole('link', { name: 'Users and organizations' }).click();
  const addUser = page.getByRole('form', { name: 'Add a user' });
  await addUser.getByLabel('Username').fill(username);
  await addUser.getByLabel('E-mail').fill(`${username}@example.com`);
  await addUser.getByRole('textbox', { name: 'Password' }).fill(`a long passphrase ${suffix}`);
  await addUser.getByRole('button', { name: 'Add user' }).click();
  await page.getByTestId(`user-${username}`).waitFor();
  await page.getByRole('button', { name: `Edit ${username}`, exact: true }).click();
  const edit = page.getByRole('form', { name: `Edit ${username}` });
  const permissionField = edit.getByLabel('Permissions');
  // The viewer's defaults, read from the API, fill the field once loaded.
  for (let waited = 0; !(await permissionField.inputValue()).includes('update:read'); waited += 100) {
    if (waited > 10_000) {
      throw new Error('the user\'s permissions were not loaded into the edit form');
    }
    await page.waitForTimeout(100);
  }
  await edit.getByLabel('First name').fill('Olive');
  await edit.getByLabel('Last name').fill('Ops');
  await edit.getByLabel('E-mail').fill(newEmail);
  await edit.getByRole('combobox', { name: 'Role' }).click();
  await page.getByRole('option', { name: 'operator', exact: true }).last().click();
  await permissionField.fill(permissions.join('\n'));
  await edit.getByRole('button', { name: 'Save' }).click();
  // update:read is taken away: the dialog asks first.
  await page.getByTestId('removed-permissions').getByText('update:read').waitFor();
  await shot(page, '20-user-confirm');
  await page.getByRole('button', { name: 'Save and end their tokens' }).click();
  const userRow = page.getByTestId(`user-${username}`);
  await userRow.getByText('Olive Ops').waitFor();
  await userRow.getByText(newEmail).waitFor();
  await userRow.getByText('operator').waitFor();

  step('orders: two items, their total, the monitoring views');
  await page.getByRole('link', { name: 'Orders and payments' }).click();
  await page.getByLabel('Customer e-mail').fill(`buyer-${suffix}@example.com`);
  await page.getByLabel('Customer name').fill(orderCustomer);
  await page.getByLabel(label('Item')).fill('Console ops widget');
  await page.getByLabel(label('Quantity')).fill('2');
  await page.getByLabel(label('Unit price')).fill('12.50');
  await page.getByRole('button', { name: 'Add item' }).click();
  await page.getByLabel(label('Item 2')).fill('Console ops gadget');
  await page.getByLabel(label('Quantity 2')).fill('3');
  await page.getByLabel(label('Unit price 2')).fill('4.25');
  await page.getByRole('button', { name: /^Create order \(37\.75 USD\)/ }).click();
  const details = page.getByTestId('order-details');
  await details.getByText(`Customer: ${orderCustomer}`, { exact: false }).waitFor();
  await details.getByText('Total: 37.75 USD', { exact: false }).waitFor();
  const orderSection = page.getByRole('region', { name: /^Order / });
  const orderId = (await page.getByRole('table', { name: 'Orders', exact: true }).getByRole('row').filter({ hasText: orderCustomer }).getByRole('button', { name: /^Order / }).getAttribute('aria-label')).replace(/^Order /, '');
  await orderSection.getByRole('table').getByText('Console ops gadget').waitFor();
  await page.getByRole('button', { name: 'Refresh' }).last().click();
  await page.getByTestId('order-metrics').waitFor();
  await page.getByRole('table', { name: 'Integrations' }).getByText('Stripe', { exact: false }).first().waitFor();
  await shot(page, '21-order-items-monitoring');

  step('containers: a registry login, its password never shown back');
  await page.getByRole('link', { name: 'Containers and updates' }).click();
  const login = page.getByRole('form', { name: 'Add a registry login' });
  await login.getByLabel(label('Registry')).fill(registry);
  await login.getByLabel('Registry username').fill('console-robot');
  await login.getByLabel('Registry password').fill(registryPassword);
  await login.getByRole('button', { name: 'Save login' }).click();
  await page.getByTestId(`registry-${registry}`).getByText('console-robot').waitFor();
  if ((await page.content()).includes(registryPassword)) {
    throw new Error('the registry password is on the page after saving');
  }

  let container = 'skipped';
  if (!image) {
    step('containers: creating one and its log skipped (no podman Docker API or local registry; see ConsoleBrowserIT)');
  } else {
    step(`containers: create ${containerName} from ${image}, follow its log, delete it`);
    await page.getByRole('button', { name: 'New container' }).click();
    const form = page.getByRole('form', { name: 'Create a container' });
    await form.getByLabel(label('Name')).fill(containerName);
    await form.getByLabel(label('Image')).fill(image);
    await form.getByLabel('Host port').fill(hostPort);
    await form.getByLabel('Container port').fill('8080');
    await form.getByLabel('Memory limit').fill('64MB');
    await form.getByLabel('Environment').fill(`ENV=console\nSUFFIX=${suffix}`);
    await form.getByLabel('Health check command').fill('/bin/busybox wget -q -O /dev/null http://127.0.0.1:8080/health');
    await form.getByRole('button', { name: 'Create container' }).click();
    const row = page.getByTestId(`container-${containerName}`);
    await row.getByText('running').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: `Log of ${containerName}`, exact: true }).click();
    await page.getByRole('button', { name: 'Follow live' }).click();
    await page.getByTestId('log-live').waitFor();
    // busybox httpd -v logs each answer ("[client]:port: response:200"): ask it for /health (from
    // here, not the page) until the live log shows one.
    const logged = page.getByTestId('container-log').getByText('response:200', { exact: false }).first();
    const until = Date.now() + 30_000;
    while (!(await logged.isVisible())) {
      if (Date.now() > until) {
        throw new Error(`the live log showed no request to http://127.0.0.1:${hostPort}/health in 30 s`);
      }
      await fetch(`http://127.0.0.1:${hostPort}/health`).catch(() => {});
      await page.waitForTimeout(1000);
    }
    await shot(page, '22-container-log');
    await page.getByRole('button', { name: 'Stop following' }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: `Delete ${containerName}`, exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete container' }).click();
    await row.waitFor({ state: 'detached' });
    container = containerName;
  }
  await shot(page, '23-containers');

  writeResult({ username, newEmail, permissions: permissions.join(','), orderId, orderCustomer, registry, registryPassword, container });
});

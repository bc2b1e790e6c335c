// The console's compute pages in Debian's chromium: a NoSQL instance with a table that has a
// global secondary index, an item put and found by a query of that index; a relational database
// instance with a table created, a row inserted and read back by SQL; a function instance with a
// function deployed from a zip ($CONSOLE_FUNCTION_ZIP), invoked, a version published, an alias
// pointed at it, invoked through the alias and as an Event. Run by e2e's ConsoleBrowserIT, which
// then reads what it wrote back through the API. Kafka is not here: its stack is another one
// (Cumulus.withTenantKafka), so the Kafka page is tested with Vitest only.
import { randomBytes } from 'node:crypto';
import { env, inBrowser, newInstance, shot, signIn, step, untilDone, writeResult } from './harness.mjs';

const suffix = randomBytes(3).toString('hex');
const zip = env('CONSOLE_FUNCTION_ZIP');
const names = {
  nosql: `console-nosql-${suffix}`,
  rds: `console-rds-${suffix}`,
  functions: `console-fn-${suffix}`,
};
const table = `things_${suffix}`;

await inBrowser(async (context, page) => {
  step('sign in');
  await signIn(page);

  step('NoSQL: a table with a global secondary index');
  const nosqlId = await newInstance(page, names.nosql, 'NoSQL (DynamoDB)');
  await page.getByRole('heading', { name: `Tables of ${names.nosql}` }).waitFor();
  await page.getByLabel('Table name').fill(table);
  await page.getByRole('button', { name: 'Add a secondary index' }).click();
  await page.getByLabel('Name of index 1', { exact: true }).fill('by-color');
  await page.getByLabel('Partition key of index 1', { exact: true }).fill('color');
  await untilDone(
    page,
    `Tables of ${names.nosql}`,
    () => page.getByRole('button', { name: 'Create table' }).click(),
    page.getByTestId(`table-${table}`),
    'create the table',
  );
  await page.getByTestId(`table-${table}`).getByText('by-color (global)').waitFor();
  await page.getByRole('button', { name: table, exact: true }).click();
  await page.getByLabel('Item (JSON)').fill(JSON.stringify({ id: 'a1', color: 'red', size: 3 }));
  await page.getByRole('button', { name: 'Put item' }).click();
  const found = page.getByRole('table', { name: `Items found in ${table}` });
  await found.getByText('a1', { exact: true }).waitFor();

  step('NoSQL: query the index');
  await page.getByRole('combobox', { name: 'Read from' }).click();
  await page.getByRole('option', { name: 'by-color: color (S)' }).click();
  await page.getByLabel('color =').fill('red');
  await page.getByRole('button', { name: 'Query', exact: true }).click();
  await found.getByText('"size": 3').waitFor();
  await shot(page, '20-nosql-index-query');

  step('RDS: SQL in the browser (the database is provisioned first)');
  const rdsId = await newInstance(page, names.rds, 'Relational database');
  const statement = page.getByLabel('Statement');
  const run = async (sql, readOnly) => {
    await statement.fill(sql);
    const box = page.getByLabel('Read only');
    if ((await box.isChecked()) !== readOnly) {
      await box.click();
    }
    await page.getByRole('button', { name: 'Run', exact: true }).click();
  };
  await untilDone(
    page,
    'SQL',
    () => run('CREATE TABLE IF NOT EXISTS notes (id int PRIMARY KEY, body text)', false),
    page.getByText(/rows affected in/),
    'create a table',
    90_000,
  );
  await run(`INSERT INTO notes VALUES (1, 'from the console ${suffix}')`, false);
  await page.getByText('1 rows affected in').waitFor();
  await run('SELECT id, body FROM notes', true);
  await page.getByRole('table', { name: 'Result' }).getByText(`from the console ${suffix}`).waitFor();
  await shot(page, '21-rds-sql');

  step('functions: deploy from a zip and invoke');
  const functionsId = await newInstance(page, names.functions, 'Functions (Lambda)');
  await page.getByLabel('Function name').fill('hello');
  await page.locator('input[type=file]').setInputFiles(zip);
  await untilDone(
    page,
    `Functions of ${names.functions}`,
    () => page.getByRole('button', { name: 'Deploy', exact: true }).click(),
    page.getByTestId('function-hello'),
    'deploy',
  );
  await page.getByRole('button', { name: 'hello', exact: true }).click();
  await page.getByLabel('Payload (JSON)').fill('{"n": 20}');
  await page.getByRole('button', { name: 'Invoke', exact: true }).click();
  await page.getByTestId('invocation').getByText('"doubled": 40').waitFor({ timeout: 30_000 });

  step('functions: publish a version, point an alias at it, invoke through it');
  await page.getByLabel('Version description').fill('first');
  await page.getByRole('button', { name: 'Publish version' }).click();
  await page.getByTestId('version-1').waitFor();
  await page.getByRole('textbox', { name: /^Alias\s*\*?$/ }).fill('live');
  await page.getByRole('combobox', { name: 'Points at' }).click();
  await page.getByRole('option', { name: '1', exact: true }).click();
  await page.getByRole('button', { name: 'Create alias' }).click();
  await page.getByTestId('alias-live').waitFor();
  await page.getByRole('combobox', { name: 'Version or alias' }).click();
  await page.getByRole('option', { name: 'live → 1' }).click();
  await page.getByLabel('Payload (JSON)').fill('{"n": 5}');
  await page.getByRole('button', { name: 'Invoke', exact: true }).click();
  await page.getByTestId('invocation').getByText('"version": "1"').waitFor({ timeout: 30_000 });

  step('functions: an Event invocation, followed until it succeeded');
  await page.getByText('Event (asynchronous)').click();
  await page.getByRole('button', { name: 'Invoke', exact: true }).click();
  await page.getByTestId('event-invocation').getByText('succeeded').waitFor({ timeout: 30_000 });
  await shot(page, '22-functions');

  writeResult({ nosqlId, table, rdsId, rdsBody: `from the console ${suffix}`, functionsId });
});

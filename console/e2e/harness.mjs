// What every console browser flow shares: its settings from the environment, a headless
// Debian chromium (no browser download), sign-in, steps in the log and screenshots. Each flow
// (browser-flow.mjs, ...) is its own script, run by one test method of e2e's ConsoleBrowserIT.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) {
    throw new Error(`${name} is not set`);
  }
  return value;
};

export const base = env('CONSOLE_URL');
export const email = env('CONSOLE_EMAIL', 'admin@cumulus.local');
export const password = env('CONSOLE_PASSWORD');
export const tenantDomain = env('CONSOLE_TENANT', 'default');
export const screenshots = env('CONSOLE_SCREENSHOTS', 'target/e2e-screenshots');
const chromiumPath = env('CHROMIUM', '/usr/bin/chromium');
const resultFile = env('CONSOLE_RESULT', join(screenshots, 'result.properties'));

mkdirSync(screenshots, { recursive: true });
export const shot = (page, name) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
export const step = (text) => console.log(`[console-e2e] ${text}`);

/** Writes what the Java test checks afterwards through the API, as a properties file. */
export const writeResult = (properties) =>
  writeFileSync(resultFile, Object.entries(properties).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');

/**
 * Runs flow(context, page) in a fresh headless chromium with a 1280x860 page (20 s default
 * timeout); fails if the page reported a Content-Security-Policy violation.
 */
export async function inBrowser(flow) {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const started = Date.now();
  try {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const cspViolations = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
        cspViolations.push(message.text());
      }
    });
    page.setDefaultTimeout(20_000);
    await flow(context, page);
    if (cspViolations.length > 0) {
      throw new Error(`Content-Security-Policy violations: ${cspViolations.join('; ')}`);
    }
    step(`passed in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${screenshots}`);
  } finally {
    await browser.close();
  }
}

/** Opens the console and signs in as $CONSOLE_EMAIL of $CONSOLE_TENANT; ends on Home. */
export async function signIn(page) {
  await page.goto(`${base}/console`);
  await page.getByRole('heading', { name: 'Sign in to Cumulus' }).waitFor();
  await fillSignIn(page, password);
  await page.getByRole('heading', { name: 'Home' }).waitFor();
}

/** Fills the sign-in form with the given password and submits it. */
export async function fillSignIn(page, withPassword) {
  await page.getByLabel('E-mail').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(withPassword);
  await page.getByLabel('Tenant domain').fill(tenantDomain);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Creates an instance from Home and opens its page once it runs; its id is the page's last segment. */
export async function newInstance(page, name, typeLabel) {
  await page.getByRole('link', { name: 'Home' }).click();
  await page.getByLabel('Instance name').fill(name);
  await page.getByRole('combobox', { name: 'Type' }).click();
  await page.getByRole('option', { name: typeLabel }).click();
  await page.getByRole('button', { name: 'Create instance' }).click();
  await page.getByRole('dialog').getByTestId('secret-API key').waitFor();
  await page.getByRole('dialog').getByRole('button', { name: /I have saved/ }).click();
  const row = page.getByTestId(`instance-${name}`);
  await row.getByText('running').waitFor({ timeout: 60_000 });
  await row.getByRole('link', { name }).click();
  return page.url().split('/').pop();
}

/**
 * Does `act` until `done` shows: a service learns of a new instance from an event a moment after
 * auth-service says it runs (and a database is provisioned), so a first try may be refused with
 * an alert in the `section` (a page region, by its title); that alert is closed and the act done again.
 */
export async function untilDone(page, section, act, done, what, timeoutMs = 60_000) {
  const alert = page.getByRole('region', { name: section }).getByRole('alert');
  const until = Date.now() + timeoutMs;
  for (;;) {
    await act();
    const outcome = await Promise.race([
      done.waitFor({ timeout: 15_000 }).then(() => 'done'),
      alert.waitFor({ timeout: 15_000 }).then(() => 'refused'),
    ]).catch(() => 'nothing');
    if (outcome === 'done') {
      return;
    }
    if (Date.now() > until) {
      throw new Error(`${what}: still not done after ${timeoutMs / 1000} s`);
    }
    if (await alert.isVisible()) {
      step(`${what}: ${(await alert.textContent())?.trim()}; trying again`);
      await alert.getByRole('button').click();
      await alert.waitFor({ state: 'detached' });
    }
    await page.waitForTimeout(1000);
  }
}

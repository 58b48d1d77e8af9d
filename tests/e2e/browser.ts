/** Debian's Chromium driven by playwright-core, plus small helpers shared by the console scenarios. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');

/** Headless Chromium with the flags every scenario needs, plus `extraArgs` (e.g. fake media devices for the softphone). */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', ...extraArgs],
  });
}

/** A fake microphone and an auto-accepted permission prompt: the softphones' getUserMedia succeeds headless. */
export const FAKE_MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

/** A page in its own context (own cookies), English UI, failing loudly on page errors. */
export async function newPage(browser: Browser, viewport = { width: 1280, height: 720 }): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'en-US' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

export async function loginConsole(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('[data-test=login-form] button[type=submit]');
  await page.waitForURL(/\/inbox\//);
}

/** The demo shop's visitor: opens the widget, passes the pre-chat form, writes. */
export async function visitorWrites(page: Page, text: string, name?: string): Promise<void> {
  const input = page.locator('textarea[aria-label="Message"]');
  if (!(await input.isVisible().catch(() => false))) {
    const prechat = page.locator('form.prechat');
    if (await prechat.isVisible().catch(() => false)) {
      if (name) await prechat.locator('input[name=name]').fill(name);
      await prechat.locator('button[type=submit]').click();
    }
  }
  await input.fill(text);
  await input.press('Enter');
}

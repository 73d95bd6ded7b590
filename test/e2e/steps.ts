import type { Locator, Page } from 'playwright-core';
import type { Role } from '@zdec/shared';
import { TEST_PASSWORD } from '../helpers/factories';
import type { E2E } from './browser';

/*
 * Steps the browser tests share: signing in and registering through the forms, and reading what a
 * locator shows once it is there (playwright-core has no test-runner `expect`, so every wait is a
 * `locator.waitFor()` and every check a jest `expect` on text or attributes).
 */

/** The element carrying `data-testid="<id>"`, optionally narrowed by its other data attributes. */
export function byTestId(scope: Page | Locator, id: string, attrs: Record<string, string> = {}): Locator {
  const extra = Object.entries(attrs)
    .map(([k, v]) => `[data-${k}="${v}"]`)
    .join('');
  return scope.locator(`[data-testid="${id}"]${extra}`);
}

/** Waits until the locator is visible and returns its trimmed text. */
export async function visibleText(locator: Locator): Promise<string> {
  await locator.waitFor({ state: 'visible' });
  return (await locator.innerText()).trim();
}

/** Screenshots of the page in both languages (Chinese first), back in Chinese afterwards. */
export async function shotBoth(e: E2E, page: Page, name: string, ready: () => Promise<unknown>): Promise<void> {
  await ready();
  await e.shot(page, `${name}-zh`);
  await byTestId(page, 'lang-toggle').click();
  await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
  await ready();
  await e.shot(page, `${name}-en`);
  await byTestId(page, 'lang-toggle').click();
  await page.locator('html[lang="zh-CN"]').waitFor({ state: 'attached' });
}

/** Signs in through the form and waits until the header shows the session of `role`. */
export async function signIn(e: E2E, page: Page, email: string, role: Role, password = TEST_PASSWORD): Promise<void> {
  await page.goto(`${e.baseUrl}/signin`);
  await byTestId(page, 'signin-email').fill(email);
  await byTestId(page, 'signin-password').fill(password);
  await byTestId(page, 'signin-submit').click();
  await byTestId(page, 'user-box', { role }).waitFor();
}

export interface Registration {
  role: 'buyer' | 'provider';
  email: string;
  password: string;
  displayName: string;
  orgName: string;
  creditCode: string;
}

/** Fills the self-registration form and submits it (the caller waits for the outcome it expects). */
export async function fillRegistration(e: E2E, page: Page, r: Registration): Promise<void> {
  await page.goto(`${e.baseUrl}/register`);
  await byTestId(page, `register-role-${r.role}`).check();
  await byTestId(page, 'register-email').fill(r.email);
  await byTestId(page, 'register-password').fill(r.password);
  await byTestId(page, 'register-display-name').fill(r.displayName);
  await byTestId(page, 'register-org-name').fill(r.orgName);
  await byTestId(page, 'register-credit-code').fill(r.creditCode);
  await byTestId(page, 'register-submit').click();
}

/** Registers through the form and waits until the new user is signed in. */
export async function register(e: E2E, page: Page, r: Registration): Promise<void> {
  await fillRegistration(e, page, r);
  await byTestId(page, 'user-box', { role: r.role }).waitFor();
}

let n = 0;
/** An e-mail address no other test uses. */
export const freshEmail = (who: string) => `${who}-${Date.now()}-${++n}@e2e.example.cn`;

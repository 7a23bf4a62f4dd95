// The log doctor page in Chromium: pasted text, a dropped .gz file, findings with
// page links and highlighted lines, a large file in the virtualised view, and no
// request that carries the log (the fixture also fails any request to another host).
import { gzipSync } from 'node:zlib';
import type { Page, Request } from '@playwright/test';
import { fixtureLog } from '../support/doctor-fixtures.ts';
import { blockingViolations, expect, test } from './fixtures.ts';

const ADMIRAL = fixtureLog('healthy/core.log', 'excerpts/admiral-url-not-set--helm-226.log', 'healthy/jobservice.log');
const REGISTRY = fixtureLog('healthy/registry.log', 'excerpts/zero-byte-tag-undeletable--distribution-2514.log');
const CORE = fixtureLog('healthy/core.log', 'excerpts/core-downgrade-schema--helm-1246.log');

/** Every request the page makes; none may carry log text in its URL or body. */
function recordRequests(page: Page): Request[] {
  const requests: Request[] = [];
  page.on('request', (request) => requests.push(request));
  return requests;
}

function expectNoLogSent(requests: Request[], marker: string) {
  for (const request of requests) {
    expect(request.method(), request.url()).toBe('GET');
    expect(request.postData()).toBeNull();
    expect(decodeURIComponent(request.url())).not.toContain(marker);
  }
}

async function dropFile(page: Page, name: string, bytes: Buffer) {
  await page.evaluate(
    ({ name, base64 }) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], name));
      const zone = document.querySelector('[data-dropzone]') as HTMLElement;
      for (const type of ['dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    { name, base64: bytes.toString('base64') },
  );
}

test('pasted log: findings link to the page, matching lines are highlighted, nothing is uploaded', async ({ page }) => {
  const requests = recordRequests(page);
  await page.goto('/doctor/');
  await expect(page.locator('[data-privacy]')).toContainText('nothing is uploaded');
  await page.getByLabel('Log text').fill(ADMIRAL);
  await page.getByRole('button', { name: 'Check pasted text' }).click();
  await expect(page.locator('[data-doctor]')).toHaveAttribute('data-state', 'done');

  const findings = page.locator('li[data-finding]');
  await expect(findings).toHaveCount(1);
  const finding = findings.first();
  await expect(finding).toHaveAttribute('data-finding', 'admiral-url-not-set');
  await expect(finding.getByRole('link')).toHaveAttribute('href', '/issues/admiral-url-not-set/');
  await expect(finding).toContainText('4 matching lines');
  await expect(finding).toContainText('2019-05-07T09:23:43.000Z');
  await expect(finding).toContainText('2019-05-07T09:23:45.000Z');
  await expect(finding).toContainText('>=1.8.0 <1.9.0');

  await finding.getByRole('button', { name: /Show line/ }).click();
  const current = page.locator('.log-row[data-current]');
  await expect(current).toBeVisible();
  await expect(current.locator('mark')).toContainText('failed to get key admiral_url');
  await expect(page.locator('[data-match-status]')).toContainText('Match 1 of 4');
  await page.getByRole('button', { name: 'Next match' }).click();
  await expect(page.locator('[data-match-status]')).toContainText('Match 2 of 4');

  expectNoLogSent(requests, 'admiral_url');
  expect(requests.map((request) => new URL(request.url()).pathname)).toContain('/signatures.json');
});

test('dropped .gz and plain files are read in the page, in Chinese too', async ({ page }) => {
  const requests = recordRequests(page);
  await page.goto('/zh/doctor/');
  await dropFile(page, 'registry.log.gz', gzipSync(REGISTRY));
  await expect(page.locator('[data-doctor]')).toHaveAttribute('data-state', 'done');
  await expect(page.locator('li[data-finding]')).toHaveCount(1);
  const finding = page.locator('li[data-finding="zero-byte-tag-undeletable"]');
  await expect(finding.getByRole('link')).toHaveAttribute('href', '/zh/issues/zero-byte-tag-undeletable/');
  await expect(finding).toContainText('registry.log.gz');

  await dropFile(page, 'core.log', Buffer.from(CORE));
  await expect(page.locator('[data-status]')).toContainText('core.log');
  const downgrade = page.locator('li[data-finding]').first();
  await expect(downgrade).toHaveAttribute('data-finding', 'core-downgrade-schema');
  await downgrade.locator('[data-show-line]').click();
  await expect(page.locator('.log-row[data-current] mark')).toContainText('no migration found for version 80');
  expectNoLogSent(requests, 'current/link');
  expectNoLogSent(requests, 'file does not exist');
});

test('a 100 MB log: progress while reading, a handful of rows in the view, every match reachable', async ({ page }) => {
  test.setTimeout(180_000);
  const healthy = fixtureLog('healthy/core.log', 'healthy/registry.log', 'healthy/jobservice.log');
  await page.goto('/doctor/');
  // The file is made in the page (100 MB of healthy lines, the excerpt at the end) and dropped.
  await page.evaluate(
    ({ healthy, tail }) => {
      const parts: string[] = new Array(Math.ceil(100e6 / healthy.length)).fill(healthy);
      const transfer = new DataTransfer();
      transfer.items.add(new File([...parts, tail], 'big-core.log'));
      const zone = document.querySelector('[data-dropzone]') as HTMLElement;
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    { healthy, tail: CORE },
  );
  // The page reports progress as it goes: it yields between blocks instead of freezing. The first
  // report waits for the signatures and the first block: over 5 s on two busy cores.
  await expect(page.locator('[data-status]')).toContainText(/Reading big-core\.log: [0-9.]+ MiB read/, { timeout: 60_000 });
  await expect(page.locator('[data-doctor]')).toHaveAttribute('data-state', 'done', { timeout: 170_000 });
  await expect(page.locator('[data-status]')).toContainText(/from big-core\.log checked/);
  await expect(page.locator('li[data-finding]').first()).toHaveAttribute('data-finding', 'core-downgrade-schema');
  expect(await page.locator('.log-row').count()).toBeLessThan(100);
  await page.getByRole('button', { name: 'Next match' }).click();
  await expect(page.locator('.log-row[data-current] mark')).toContainText('no migration found for version 80');
  await expect(page.locator('[data-match-status]')).toContainText('big-core.log');
  await page.getByRole('button', { name: 'Previous match' }).click();
  await expect(page.locator('[data-match-status]')).toContainText('Match 3 of 3');
});

test('clear empties the page', async ({ page }) => {
  await page.goto('/doctor/');
  await page.getByLabel('Log text').fill(CORE);
  await page.getByRole('button', { name: 'Check pasted text' }).click();
  await expect(page.locator('li[data-finding]').first()).toBeVisible();
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(page.locator('li[data-finding]')).toHaveCount(0);
  await expect(page.getByLabel('Log text')).toHaveValue('');
  await expect(page.locator('[data-doctor]')).toHaveAttribute('data-state', 'idle');
});

for (const path of ['/doctor/', '/zh/doctor/']) {
  test(`axe finds no serious or critical violation on ${path} with results, light and dark`, async ({ page }) => {
    await page.goto(path);
    await page.locator('textarea').fill(CORE);
    await page.locator('[data-paste-form] [data-analyse]').click();
    await expect(page.locator('[data-doctor]')).toHaveAttribute('data-state', 'done');
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      expect(await blockingViolations(page, colorScheme)).toEqual([]);
    }
  });
}

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  for (const path of ['/doctor/', '/zh/doctor/']) {
    test(`${path} says it needs JavaScript and sends nothing of the pasted text`, async ({ page }) => {
      const requests = recordRequests(page);
      await page.goto(path);
      await expect(page.locator('[data-needs-script]')).toBeVisible();
      await expect(page.locator('[data-needs-script]')).toContainText('JavaScript');
      const pageUrl = page.url();
      await page.locator('textarea').fill(CORE);
      // Every way a form could be sent: the button, Enter on it, and Enter in the text box.
      // Each waits for any navigation it starts, so a submission is recorded before the checks.
      const check = page.locator('[data-paste-form] [data-analyse]');
      for (const send of [() => check.click(), () => check.press('Enter'), () => page.locator('textarea').press('Enter')]) {
        await send();
        // Words without spaces: a form would encode spaces as "+", which decoding leaves as is.
        expectNoLogSent(requests, 'harbor_core_2');
        expectNoLogSent(requests, 'sslmode-');
        expect(page.url()).toBe(pageUrl);
      }
      expect(requests.filter((request) => request.isNavigationRequest()).map((request) => request.url())).toEqual([pageUrl]);
    });
  }
});

import { expect, it } from 'vitest';
import { redact, registerSecret } from './secrets.ts';
import { chartFullname } from './targets.ts';

it('redacts URL credentials and every registered secret, raw or URL-encoded', () => {
  registerSecret('p@ss word/1');
  expect(redact('postgres://postgres:hunter2@db:5432/registry')).toBe('postgres://postgres:***@db:5432/registry');
  expect(redact('auth failed for p@ss word/1 and p%40ss%20word%2F1')).toBe('auth failed for *** and ***');
});

it('names chart objects the way harbor-helm does', () => {
  expect(chartFullname('prod')).toBe('prod-harbor');
  expect(chartFullname('my-harbor')).toBe('my-harbor');
  expect(chartFullname('harbor', 'harbor-harbor')).toBe('harbor-harbor');
});

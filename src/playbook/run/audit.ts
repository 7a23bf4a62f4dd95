// The audit trail: one JSON line per run that changed something or wrote a backup, in
// <backup-dir>/audit.jsonl. Parameters are recorded with URL passwords and secret-named
// fields masked (secrets.ts redactValue); passwords never are.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { redactValue } from '../secrets.ts';

export interface AuditRecord {
  time: string;
  playbook: string;
  target: string;
  mode: 'dry-run' | 'apply';
  harbor?: string;
  parameters: Record<string, unknown>;
  changes: { description: string; expected?: number; changed?: number; backup?: string; verified?: string }[];
  ok: boolean;
  exitCode: number;
  error?: string;
  changedBeforeFailure?: string[];
  restore?: string[];
}

export const AUDIT_FILE = 'audit.jsonl';

export function appendAudit(backupDir: string, record: AuditRecord): string {
  const path = join(backupDir, AUDIT_FILE);
  appendFileSync(path, JSON.stringify(redactValue(record)) + '\n', { mode: 0o600 });
  return path;
}

// Says who holds the database's connections and whether Harbor's pools fit the server's limit
// (content/issues/en/postgres-too-many-clients.mdx). Read-only: it counts pg_stat_activity
// against max_connections and superuser_reserved_connections and compares the pool settings
// (harbor.yml database.max_open_conns, the chart's database.maxOpenConns) with what is left.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { definePlaybook } from '../src/playbook/define.ts';
import { refuse } from '../src/playbook/errors.ts';
import { exclusive, integer, path } from '../src/playbook/flags.ts';
import { sql, type Database } from '../src/playbook/sql/sql.ts';
import type { PlanFinding } from '../src/playbook/types.ts';

const PAGE = '/issues/postgres-too-many-clients/';
const WHO = `${PAGE}#1-see-who-holds-the-connections`;
const BUDGET = `${PAGE}#2-compute-the-budget`;
const SETTINGS = `${PAGE}#3-lower-the-pools-or-raise-the-server-limit`;

/** What the server allows: all sessions, and how many of them only superusers may take. */
interface Limits {
  maxConnections: number;
  reserved: number;
}

/** Sessions of one kind: same application, role, client and database. */
interface Holder {
  application: string;
  user: string;
  superuser: boolean;
  client: string;
  database: string;
  total: number;
  states: Record<string, number>;
}

async function limits(db: Database): Promise<Limits> {
  const [row] = await db.query(
    sql`SELECT current_setting('max_connections') AS max_connections, current_setting('superuser_reserved_connections') AS reserved`,
  );
  return { maxConnections: Number(row?.max_connections), reserved: Number(row?.reserved) };
}

/**
 * Client sessions, this diagnosis's own excluded, grouped by who holds them. Background
 * processes have no client_port (PostgreSQL 10+ lists them; 9.6, Harbor 1.6–2.2, does not).
 */
async function holders(db: Database): Promise<Holder[]> {
  const rows = await db.query(sql`
    SELECT coalesce(nullif(a.application_name, ''), '(no application_name)') AS application,
           coalesce(a.usename::text, '?') AS usename, coalesce(r.rolsuper, false) AS superuser,
           coalesce(host(a.client_addr), 'local socket') AS client, coalesce(a.datname::text, '?') AS datname,
           coalesce(a.state, 'unknown') AS state, count(*) AS n
      FROM pg_stat_activity a LEFT JOIN pg_roles r ON r.oid = a.usesysid
     WHERE a.pid <> pg_backend_pid() AND a.client_port IS NOT NULL
     GROUP BY 1, 2, 3, 4, 5, 6`);
  const byHolder = new Map<string, Holder>();
  for (const row of rows) {
    const holder: Holder = {
      application: String(row.application),
      user: String(row.usename),
      superuser: row.superuser === true || row.superuser === 't',
      client: String(row.client),
      database: String(row.datname),
      total: 0,
      states: {},
    };
    const key = JSON.stringify([holder.application, holder.user, holder.client, holder.database]);
    const known = byHolder.get(key) ?? holder;
    known.total += Number(row.n);
    known.states[String(row.state)] = (known.states[String(row.state)] ?? 0) + Number(row.n);
    byHolder.set(key, known);
  }
  return [...byHolder.values()].sort((a, b) => b.total - a.total);
}

const describeHolder = (holder: Holder) =>
  `${holder.application} (user ${holder.user}${holder.superuser ? ', superuser' : ''}, from ${holder.client}, database ${holder.database}): ${holder.total} connections (${Object.entries(
    holder.states,
  )
    .sort(([, a], [, b]) => b - a)
    .map(([state, n]) => `${n} ${state}`)
    .join(', ')})`;

/** The pool settings of a harbor.yml: `database:` for harbor-db, `external_database.harbor:` for an external one. */
export function poolSettings(file: string): { where: string; maxOpen?: number; maxIdle?: number } {
  let document: unknown;
  try {
    document = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw refuse(`--harbor-yml ${file} cannot be read as YAML (${(error as Error).message.split('\n')[0]})`);
  }
  const config = (document ?? {}) as { database?: Record<string, unknown>; external_database?: { harbor?: Record<string, unknown> } };
  const external = config.external_database?.harbor;
  const section = external ?? config.database;
  if (!section) throw refuse(`--harbor-yml ${file} has neither database: nor external_database.harbor:`);
  // prepare writes the value into core's environment as text, so a quoted "50" is 50 as well.
  const number = (value: unknown) => {
    const read = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
    return typeof read === 'number' && Number.isInteger(read) ? read : undefined;
  };
  return { where: external ? 'external_database.harbor' : 'database', maxOpen: number(section.max_open_conns), maxIdle: number(section.max_idle_conns) };
}

const FLAGS = {
  'harbor-yml': path({
    help: "Compose: the harbor.yml the install was prepared from, to read database.max_open_conns / max_idle_conns (or external_database.harbor's).",
  }),
  'max-open-conns': integer({
    min: 0,
    max: 1000000,
    help: "The pool limit per process when there is no harbor.yml to read: the chart's database.maxOpenConns (0 = no limit).",
    example: '900',
  }),
  pools: integer({
    default: 2,
    min: 1,
    max: 1000,
    help: 'How many processes keep a pool: core replicas + jobservice replicas (+1 with the exporter).',
  }),
};

interface Pools {
  source: string;
  setting: string;
  maxOpen?: number;
  maxIdle?: number;
}

function poolsFrom(values: { 'harbor-yml'?: string; 'max-open-conns'?: number }): Pools | undefined {
  const file = values['harbor-yml'];
  if (file !== undefined) {
    const settings = poolSettings(file);
    return { source: file, setting: `${settings.where}.max_open_conns in harbor.yml`, maxOpen: settings.maxOpen, maxIdle: settings.maxIdle };
  }
  const maxOpen = values['max-open-conns'];
  if (maxOpen !== undefined) return { source: '--max-open-conns', setting: 'database.maxOpenConns (chart) or max_open_conns (harbor.yml)', maxOpen };
  return undefined;
}

/** What a new connection gets now: PostgreSQL refuses other roles once only the reserved slots are free, everyone once none is. */
function refusalNow(others: number, limit: Limits): string {
  if (others + 1 >= limit.maxConnections) return ': the server is refusing new connections ("sorry, too many clients already")';
  if (others >= limit.maxConnections - limit.reserved)
    return ': roles without SUPERUSER are refused ("remaining connection slots are reserved for non-replication superuser connections")';
  return '';
}

function usageFindings(limit: Limits, held: readonly Holder[]): PlanFinding[] {
  const others = held.reduce((sum, holder) => sum + holder.total, 0);
  const usable = limit.maxConnections - limit.reserved;
  const refusal = refusalNow(others, limit);
  const level = refusal ? 'problem' : others >= usable * 0.8 ? 'warn' : 'info';
  const findings: PlanFinding[] = [
    {
      level,
      message: `${others + 1} of max_connections ${limit.maxConnections} in use, this session included (${limit.reserved} reserved for superusers, so ${usable} for other roles)${refusal}: see ${WHO}`,
      data: { used: others + 1, ...limit },
    },
  ];
  const top = held[0];
  if (top && level !== 'info') {
    findings.push({ level, message: `${top.application} holds the most: ${describeHolder(top)}: see ${WHO}`, data: { holder: top } });
  }
  for (const holder of held.slice(level !== 'info' ? 1 : 0)) findings.push({ level: 'info', message: describeHolder(holder), data: { holder } });
  const superusers = held.filter((holder) => holder.superuser && holder.total > 1);
  if (superusers.length > 0 && level !== 'info') {
    findings.push({
      level: 'warn',
      message: `${superusers.map((holder) => holder.application).join(', ')} connect as a superuser (${[...new Set(superusers.map((holder) => holder.user))].join(', ')}): they can take the ${limit.reserved} reserved slots too, and then nobody gets in to look. Give Harbor a role without SUPERUSER (external database), or free a slot by stopping jobservice for a moment: see ${WHO}`,
    });
  }
  return findings;
}

function budgetFindings(limit: Limits, pools: Pools | undefined, processes: number): PlanFinding[] {
  const usable = limit.maxConnections - limit.reserved;
  if (!pools) {
    return [
      {
        level: 'info',
        message: `Pool settings not checked: pass --harbor-yml (compose) or --max-open-conns (the chart's database.maxOpenConns) and --pools: see ${BUDGET}`,
      },
    ];
  }
  const fitting = Math.max(1, Math.floor((usable * 0.9) / processes));
  const unlimited = pools.maxOpen === undefined || pools.maxOpen === 0;
  const change = `${unlimited ? 'set' : 'lower'} ${pools.setting} to at most ${fitting} (${processes} pools × ${fitting} fits ${usable} with room for admin sessions), or raise max_connections (harbor-db: POSTGRES_MAX_CONNECTIONS): see ${SETTINGS}`;
  if (unlimited || pools.maxOpen === undefined) {
    return [
      {
        level: 'problem',
        message: `${pools.setting} is ${pools.maxOpen === 0 ? '0' : 'not set, which prepare turns into 0'}: no limit, so ${processes} pools can grow past max_connections ${limit.maxConnections}; ${change}`,
        data: { ...pools, processes },
      },
    ];
  }
  const budget = processes * pools.maxOpen;
  const findings: PlanFinding[] = [];
  if (budget > usable) {
    findings.push({
      level: 'problem',
      message: `${processes} pools × ${pools.setting} ${pools.maxOpen} = ${budget} connections at peak, more than the ${usable} max_connections leaves for them; ${change}`,
      data: { ...pools, processes, budget, usable },
    });
  } else {
    findings.push({
      level: 'info',
      message: `${processes} pools × max_open_conns ${pools.maxOpen} = ${budget}, within the ${usable} the server allows: see ${BUDGET}`,
    });
  }
  if (pools.maxIdle !== undefined && pools.maxIdle > pools.maxOpen) {
    findings.push({ level: 'warn', message: `max_idle_conns ${pools.maxIdle} is above max_open_conns ${pools.maxOpen}; keep it no higher: see ${SETTINGS}` });
  }
  return findings;
}

/**
 * harbor-db's own limit: PostgreSQL's default (100) until the image sets 1024 from
 * POSTGRES_MAX_CONNECTIONS (2.1.0, #12437; backported to 2.0.2 and 1.10.18).
 */
function harborDbFinding(limit: Limits): PlanFinding | undefined {
  if (limit.maxConnections >= 1024) return undefined;
  return {
    level: 'info',
    message: `max_connections is ${limit.maxConnections}: harbor-db images set 1024 only from 2.1.0 (and 2.0.2, 1.10.18); older ones keep PostgreSQL's default 100. On 2.1+ POSTGRES_MAX_CONNECTIONS raises it: see ${SETTINGS}`,
  };
}

export const diagnoseDbConnections = definePlaybook({
  name: 'diagnose-db-connections',
  title: 'Diagnose exhausted database connections',
  summary:
    "Read-only: counts the database's sessions by application, user, client, database and state against max_connections and superuser_reserved_connections, names who holds them, and checks Harbor's pool settings (harbor.yml max_open_conns, the chart's database.maxOpenConns) times the number of pools against the limit. One line per finding, with the page section and the setting to change.",
  remediates: ['postgres-too-many-clients'],
  flags: FLAGS,
  // One source of the pool limit: with both, one of them would be ignored without a word.
  groups: [exclusive('pool limit', 'harbor-yml', 'max-open-conns')],
  mutates: false,
  requires: ['database'],
  targets: ['compose', 'k8s', 'direct'],
  async plan(context) {
    const { db, harbor } = context;
    if (harbor.engine === 'mariadb') throw refuse('refusing: Harbor ≤1.5 runs MariaDB; this diagnosis reads PostgreSQL (Harbor 1.6+)');
    const limit = await limits(db);
    const held = await holders(db);
    const pools = poolsFrom(context.values);
    const findings = [...usageFindings(limit, held), ...budgetFindings(limit, pools, context.values.pools)];
    // The direct target may be any PostgreSQL (external databases set their own limit).
    const harborDb = context.target.kind === 'direct' ? undefined : harborDbFinding(limit);
    if (harborDb) findings.push(harborDb);
    return { findings, steps: [], facts: { ...limit, holders: held } };
  },
});

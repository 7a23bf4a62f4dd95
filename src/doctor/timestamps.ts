/**
 * Timestamps of the log formats Harbor's components write, as epoch milliseconds.
 * Plain TypeScript: the doctor page and the CLI share it.
 *
 * - core / jobservice / registryctl: `2019-09-16T14:02:03Z [ERROR] ...`
 * - beego access log and ORM: `2019/05/07 09:23:35 [D] ...`, `[ORM]2019/09/16 14:02:03 ...`
 * - registry (logrus): `time="2018-12-11T07:48:59.125019435Z" level=error ...`
 * - docker logs -t, kubectl logs --timestamps: `2020-05-17T15:32:52.123456789Z ...` before the line
 * - PostgreSQL: `2020-05-17 15:32:52.123 UTC [42] ERROR: ...`
 * - nginx access log: `... [17/May/2020:15:32:52 +0000] "GET ...`
 * - harbor-log (syslog files under /var/log/harbor/): `Dec 11 15:48:59 172.18.0.1 registry[3597772]: ...`,
 *   which carries no year: the year is the one that puts the time closest before the reference time.
 *
 * A timestamp without a zone is read as UTC. Only the head of a line is searched.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(${MONTHS.join('|')})`;
const HEAD_LENGTH = 200;

const DATED = /(\d{4})[-/](\d{2})[-/](\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?: ?(Z|UTC|GMT|[+-]\d{2}:?\d{2}))?/;
const NGINX = new RegExp(`\\[(\\d{2})/${MONTH}/(\\d{4}):(\\d{2}):(\\d{2}):(\\d{2}) ([+-]\\d{4})\\]`);
const SYSLOG = new RegExp(`^${MONTH} +(\\d{1,2}) (\\d{2}):(\\d{2}):(\\d{2}) `);

/** Milliseconds east of UTC for Z, UTC, GMT, +08:00, -0530 or none. */
function zoneOffset(zone: string | undefined): number {
  if (!zone || zone === 'Z' || zone === 'UTC' || zone === 'GMT') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}

const num = (value: string | undefined) => Number(value ?? 0);

/**
 * The time a log line was written, or undefined when the line carries none.
 * `reference` (default now) places yearless syslog times in a year.
 */
export function parseTimestamp(line: string, reference: number = Date.now()): number | undefined {
  const head = line.length > HEAD_LENGTH ? line.slice(0, HEAD_LENGTH) : line;
  const dated = DATED.exec(head);
  if (dated) {
    const millis = num((dated[7] ?? '').padEnd(3, '0').slice(0, 3));
    return Date.UTC(num(dated[1]), num(dated[2]) - 1, num(dated[3]), num(dated[4]), num(dated[5]), num(dated[6]), millis) - zoneOffset(dated[8]);
  }
  const nginx = NGINX.exec(head);
  if (nginx) {
    return Date.UTC(num(nginx[3]), MONTHS.indexOf(nginx[2] ?? ''), num(nginx[1]), num(nginx[4]), num(nginx[5]), num(nginx[6])) - zoneOffset(nginx[7]);
  }
  const syslog = SYSLOG.exec(head);
  if (syslog) {
    const at = (year: number) => Date.UTC(year, MONTHS.indexOf(syslog[1] ?? ''), num(syslog[2]), num(syslog[3]), num(syslog[4]), num(syslog[5]));
    const year = new Date(reference).getUTCFullYear();
    // A log line is not from the future: a December line read in January is last year's.
    return at(year) > reference + 86_400_000 ? at(year - 1) : at(year);
  }
  return undefined;
}

import { describe, expect, it } from 'vitest';
import { parseTimestamp } from './timestamps.ts';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const reference = Date.UTC(2026, 0, 10);

describe('parseTimestamp', () => {
  it.each([
    ['core/jobservice', '2019-09-16T14:02:03Z [FATAL] [/core/main.go:103]: failed to initialize database: file does not exist', '2019-09-16T14:02:03.000Z'],
    [
      'beego access log',
      '2019/05/07 09:23:35 [D] [server.go:2619] |     10.112.0.1| 200 |    846.014µs|   match| GET      /api/ping   r:/api/ping',
      '2019-05-07T09:23:35.000Z',
    ],
    [
      'beego ORM',
      '[ORM]2019/09/16 14:02:03 Detect DB timezone: UCT open /usr/local/go/lib/time/zoneinfo.zip: no such file or directory',
      '2019-09-16T14:02:03.000Z',
    ],
    ['registry logrus', 'time="2018-12-11T07:48:59.125019435Z" level=error msg="response completed with error"', '2018-12-11T07:48:59.125Z'],
    [
      'docker logs -t prefix',
      '2020-05-17T15:32:52.987654321Z 2020-05-17T15:32:52Z [ERROR] [/replication/operation/controller.go:108]: boom',
      '2020-05-17T15:32:52.987Z',
    ],
    ['offset zone', '2021-03-01T10:00:00+08:00 [INFO] started', '2021-03-01T02:00:00.000Z'],
    ['postgres', '2020-05-17 15:32:52.123 UTC [42] ERROR:  relation "quota" does not exist', '2020-05-17T15:32:52.123Z'],
    ['nginx access log', '172.18.0.1 - - [17/May/2020:15:32:52 +0200] "GET /api/ping HTTP/1.1" 200 4', '2020-05-17T13:32:52.000Z'],
    ['harbor-log syslog', 'Dec 11 15:48:59 172.18.0.1 registry[3597772]: level=error', '2025-12-11T15:48:59.000Z'],
    ['harbor-log syslog, this year', 'Jan  9 08:00:00 172.18.0.1 core[12]: ping', '2026-01-09T08:00:00.000Z'],
  ])('reads %s lines', (_format, line, expected) => {
    expect(iso(parseTimestamp(line, reference))).toBe(expected);
  });

  it('prefers a dated timestamp inside a syslog line over the yearless prefix', () => {
    expect(iso(parseTimestamp('Sep 16 22:02:03 172.18.0.1 core[1]: 2019-09-16T14:02:03Z [ERROR] x', reference))).toBe('2019-09-16T14:02:03.000Z');
  });

  it('returns undefined for a line without a timestamp', () => {
    expect(parseTimestamp('    at goroutine 1 [running]:', reference)).toBeUndefined();
  });
});

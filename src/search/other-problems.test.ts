import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadIssuePages } from '../lib/content/node.ts';
import { readQuerySet } from '../../test/support/search-eval.ts';
import { nearMisses } from './near-misses.ts';
import { OTHER_PROBLEMS, otherProblemPatterns, otherProblemPatternsFrom, otherProblemPatternsText } from './other-problems.ts';

/**
 * Error lines as people posted them in each entry's source thread (shortened where a line runs
 * on): the catalogue must answer each with the entry that cites that thread.
 */
const THREAD_LINES: Record<string, string[]> = {
  'https://github.com/goharbor/harbor/issues/13398': ['[FATAL] failed to migrate: Please upgrade to version 1.10 first'],
  'https://github.com/goharbor/harbor/issues/10978': ['failed to migrate: pq: column "data_version" does not exist'],
  'https://github.com/goharbor/harbor/issues/15823': [
    `error parsing HTTP 413 response body: invalid character '<' looking for beginning of value: "<html>\\r\\n<head><title>413 Request Entity Too Large</title></head>`,
  ],
  'https://github.com/goharbor/harbor/issues/12676': ['it says CSRF token invalid'],
  'https://github.com/goharbor/harbor/issues/18068': [
    '{"errors":[{"code":"UNKNOWN","message":"unknown: Get \\"https://10.251.227.157/api/version\\": tls: first record does not look like a TLS handshake"}]}',
  ],
  'https://github.com/goharbor/harbor/issues/12295': [
    '[ERROR] [/common/api/base.go:233]: LDAP connect fail, error: LDAP Result Code 49 "Invalid Credentials":',
  ],
  'https://github.com/goharbor/harbor/issues/12982': [
    '[ERROR] [/core/controllers/oidc.go:76]: State mismatch, in session: %!s(<nil>), in url: 2pG0sDHtGx32UgFPRlDCag8CVdR17Qkf',
  ],
  'https://github.com/goharbor/harbor/issues/9088': [
    '[ERROR] [/common/utils/oidc/helper.go:148]: Failed to get OAuth configuration, error: failed to create OIDC provider, error: 404 Not Found: <!DOCTYPE html>#015',
  ],
  'https://github.com/goharbor/harbor/issues/18293': ['[ERROR] [/pkg/token/token.go:66]: parse token error, token is not valid yet'],
  'https://github.com/goharbor/harbor/issues/15236': [
    'unauthorized: unauthorized to access repository: devsecops/java-sample-webapp, action: push: unauthorized to access repository: devsecops/java-sample-webapp, action: push',
  ],
  'https://github.com/goharbor/harbor/issues/2383': ['denied: requested access to the resource is denied'],
  'https://github.com/goharbor/harbor/issues/9553': ['The user name of a robot account currently looks like `robot$account_name`.'],
  'https://github.com/goharbor/harbor/issues/17390': [
    'denied: adding 29.0 MiB of storage resource, which when updated to current usage of 152.4 MiB will exceed the configured upper limit of 10.0 MiB.',
  ],
  'https://github.com/goharbor/harbor/issues/18016': [
    '[ERROR] [/lib/cache/cache.go:114]: failed to ping redis://redis:6379?idle_timeout_seconds=30, retry after 500ms : dial tcp 172.25.0.6:6379: connect: no route to host',
  ],
  'https://github.com/goharbor/harbor/issues/16873': [
    'Failed opening the RDB file dump.rdb (in server root dir /var/lib/redis) for saving: No space left on device',
  ],
  'https://github.com/goharbor/harbor/issues/4903': ["ERROR: worker.fetch - CROSSSLOT Keys in request don't hash to the same slot"],
  'https://github.com/goharbor/harbor/issues/12158': [
    '[ERROR] [/lib/http/error.go:57]: {"errors":[{"code":"UNKNOWN","message":"unknown: crypto/aes: invalid key size 18"}]}',
  ],
  'https://github.com/goharbor/harbor-helm/issues/713': [
    '[ERROR] [/common/config/store/driver/db.go:53]: decrypt password failed, error illegal base64 data at input byte 0',
  ],
  'https://github.com/goharbor/harbor-helm/issues/115': [
    '[FATAL] [main.go:87]: failed to initialize configurations: http error: code 401, message Unauthorized',
  ],
  'https://github.com/goharbor/harbor/pull/9427': ['The tag:library/nginx:v1 is immutable, cannot be overwrite.'],
  'https://github.com/goharbor/harbor/issues/19983': [
    `Error response from daemon: unknown: current image with 4 vulnerabilities cannot be pulled due to configured policy in 'Prevent images with vulnerability severity of "Critical" or higher from running.'`,
  ],
  'https://github.com/goharbor/harbor/issues/11504': ['Error response from daemon: unknown: The image is not signed in Notary.'],
  'https://github.com/goharbor/harbor/issues/4916': ['Error: error contacting notary server: received unexpected HTTP status: 500 Internal Server Error'],
  'https://github.com/goharbor/harbor/issues/13446': [
    '[WARNING] [/server/middleware/repoproxy/proxy.go:119]: Proxy to remote failed, fallback to local repo, error: http status code: 401',
    'Error response from daemon: unknown: repository cache/memcached not found',
  ],
  'https://github.com/goharbor/harbor/issues/19067': [
    'Error response from daemon: unknown: artifact dockerhub/sharelatex/sharelatex@sha256:77dce64de0d78f9d5830cdeaf251b28d32a36777630404ef935ae21979377f56 not found',
  ],
  'https://github.com/goharbor/harbor/issues/14792': ['Harbor registry - s3aws: AccessDenied'],
  'https://github.com/goharbor/harbor/issues/18897': [
    'registry panic: storage: service returned error: StatusCode=403, ErrorCode=AccountSizeOverQuota, ErrorMessage=The account permission has been restricted as account storage usage is over quota.',
  ],
  'https://github.com/goharbor/harbor/issues/6959': ['panic: StorageDriver not registered: gcs'],
  'https://github.com/goharbor/harbor/issues/13959': [
    'Error: PUT https://harbor-01a.livefire.solutions/v2/library/tanzu-buildpacks_go/manifests/latest: UNKNOWN: unknown error; map[DriverName:filesystem Enclosed:map[Err:28 Op:write Path:/storage/docker/registry/v2/repositories/library/tanzu-buildpacks_go/_manifests/revisions/sha256/ed99e73df43380c86c983e09d97151caf1952e8f423053a6e0a15de526515f4c/link]]',
  ],
  'https://github.com/goharbor/harbor-helm/issues/528': [
    '[WARNING] [/core/systeminfo/imagestorage/filesystem/driver.go:51]: The path /data is not found, will return zero value of capacity',
  ],
  'https://github.com/goharbor/harbor/issues/18677': ['helm repo add error: is not a valid chart repository or cannot be reached: object required'],
  'https://github.com/goharbor/harbor/issues/16632': [
    "Job 'WEBHOOK:0490888e0d6e06a2ba632b98' exit with error: run error: webhook job(target: https://URL/hooks/xxxx) response code is 400",
  ],
  'https://github.com/goharbor/harbor/issues/13268': [
    '[ERROR] [/replication/operation/controller.go:108]: the execution 299 failed: failed to do the prepare work for pushing/uploading resources: AccessDeniedException: User: arn:aws:iam::<redacted>:user/<redacted> is not authorized to perform: ec',
  ],
  'https://github.com/goharbor/harbor/issues/19240': [
    '[ERROR] [/controller/registry/controller.go:234]: failed to check health of registry 20: Get "https://test/api/version": dial tcp 10.6.232.5:30010: connect: connection refused',
  ],
  'https://github.com/goharbor/harbor/issues/12839': [
    '[ERROR] [/replication/transfer/image/transfer.go:307]: failed to check the existence of the manifest of artifact bdgp/minimap2:latest on the destination registry',
  ],
  'https://github.com/goharbor/harbor/issues/10504': [
    "[ERROR] [/pkg/scan/api/scanner/base_controller.go:229]: api controller: get project scanner: scanner controller: ping: v1 client: get metadata: invalid character '<' looking for beginning of value",
  ],
  'https://github.com/goharbor/harbor/issues/14460': ['initdb: could not change permissions of directory "/var/lib/postgresql/data": Operation not permitted'],
  'https://github.com/goharbor/harbor/issues/15512': ['initdb: error: directory "/var/lib/postgresql/data" exists but is not empty'],
  'https://github.com/goharbor/harbor/issues/14354': [
    'FATAL: data directory "/var/lib/postgresql/data/pgdata" has group or world access',
    'DETAIL: Permissions should be u=rwx (0700).',
  ],
  'https://github.com/goharbor/harbor/issues/14642': [
    'FATAL:  database files are incompatible with server',
    'DETAIL:  The data directory was initialized by PostgreSQL version 9.6, which is not compatible with this version 13.2.',
  ],
  'https://github.com/goharbor/harbor/issues/15401': [
    '[ERROR] [/lib/orm/orm.go:72]: begin transaction failed: write tcp 100.96.28.147:59496->10.144.60.29:5432: write: connection reset by peer',
  ],
  'https://github.com/goharbor/harbor/issues/18085': [
    "[ERROR] [/jobservice/runner/redis.go:123]: Job 'RETENTION:b44bf1a595b942e0ddda455e' exit with error: run error: retention job: get processor for algorithm: : no processor registered with algorithm:",
  ],
  'https://github.com/goharbor/harbor/issues/9394': [
    '2019/10/14 07:38:43 http: proxy error: unexpected EOF',
    'level=error msg="client disconnected during blob PATCH" auth.user.name=xxx contentLength=1122948737 copied=590280627 error="unexpected EOF"',
  ],
  'https://github.com/goharbor/harbor/issues/11687': ['registry[637]: fatal error: runtime: out of memory'],
  'https://github.com/goharbor/harbor-helm/issues/1747': [
    `Error: UPGRADE FAILED: cannot patch "myrelease-harbor-database" with kind StatefulSet: StatefulSet.apps "myrelease-harbor-database" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden`,
  ],
  'https://github.com/goharbor/harbor/issues/11550': ['pod has unbound immediate PersistentVolumeClaims (repeated 7 times)'],
  'https://github.com/octohelm/harbor/issues/436': [
    'Error response from daemon: driver failed programming external connectivity on endpoint harbor-log (f73cadf15f456358b579e76a3248754e5e452e55666d4853e3e0f50976e22e65): Bind for 127.0.0.1:1514 failed: port is already allocated',
  ],
  'https://github.com/goharbor/harbor/issues/2444': ['Error response from daemon: configured logging driver does not support reading'],
  'https://github.com/goharbor/harbor/issues/12226': ['✖ Need to install docker-compose(1.18.0+) by yourself first and run this script again.'],
  'https://github.com/goharbor/harbor/issues/10680': ['no config file: /root/harbor/harbor.yml'],
  'https://github.com/octohelm/harbor/issues/431': [
    '[ERROR] [/pkg/config/rest/rest.go:50]: Failed on load rest config err:Get "http://core:8080/api/v2.0/internalconfig": dial tcp 172.23.0.3:8080: connect: connection refused, url:http://core:8080/api/v2.0/internalconfig',
  ],
  'https://github.com/goharbor/harbor/issues/17266': [
    'FATAL\timage scan error: scan error: image scan failed: failed analysis: analyze error: timeout: context deadline exceeded',
    'WARN\tIncrease --timeout value',
  ],
  'https://github.com/goharbor/harbor/issues/11932': [
    'Error uploading manifest v0.3.7 to harbor.zhangguanzhang.com/admin/gcr.io_k8s-staging-metrics-server_metrics-server: unknown: Manifest.list is not supported.',
  ],
  'https://github.com/goharbor/harbor/issues/10615': [
    'Harbor is set to read-only mode, Deleting repository, tag and pushing image will be disabled under read-only mode.',
  ],
  'https://github.com/goharbor/harbor/issues/21617': ['Ping: registration trivy 2:http://10.1.0.225:4954/ is unreachable'],
  'https://github.com/goharbor/harbor/issues/15977': [
    "Job 'IMAGE_SCAN:6c1dc43125847fc451892d10' exit with error: run error: check scan report with mime type application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0: running trivy wrapper: running trivy: signal: killed",
  ],
  'https://github.com/goharbor/harbor/issues/16759': [
    `[ERROR] [/controller/replication/transfer/chart/transfer.go:98]: failed to create client for destination registry: the adapter doesn't implement the "ChartRegistry" interface`,
  ],
  'https://github.com/goharbor/harbor/issues/15074': [
    '[ERROR] [/controller/replication/transfer/chart/transfer.go:142]: failed to check the existence of chart no_flat2/library/aerospike:0.2.3 on the destination registry: invalid chart name format: no_flat2/library/aerospike',
  ],
  'https://github.com/goharbor/harbor/issues/10811': [
    '[ERROR] [/server/error/error.go:54]: {"errors":[{"code":"UNKNOWN","message":"descriptor for media type application/vnd.docker.plugin.v1+json not found"}]}',
  ],
  'https://github.com/goharbor/harbor/issues/18530': [
    'err="rpc error: code = NotFound desc = failed to pull and unpack image \\"docker.io/library/node:latest\\": failed to unpack image on snapshotter overlayfs: unexpected media type text/html for sha256:1a2ff2f511abbd3a7923669b27454b8572a120e94e2870a4bd',
  ],
  'https://github.com/goharbor/harbor/issues/20447': [
    'Error: failed commit on ref "": unexpected commit digest sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855, expected sha256:fdea341faa6d680f01ba9cf61975f8c59dfc5f4a97cc3c37ce510a5024ea6c99: failed precondition',
  ],
  'https://github.com/goharbor/harbor/issues/20092': ['the deleting artifact is referenced by others', 'the artifact 11210 is referenced by other resources'],
  // Authentication and access (helper oth1).
  'https://github.com/goharbor/harbor/issues/21996': ['{"errors": [{"code": "FORBIDDEN", "message": "origin invalid"}]}'],
  'https://github.com/goharbor/harbor/issues/13765': [
    '{"errors":[{"code":"UNPROCESSABLE_ENTITY","message":"validation failure list:\\npage_size in query should be less than or equal to 100"}]}',
  ],
  'https://github.com/goharbor/harbor/issues/14189': ['project_id in path must be of type int64'],
  'https://github.com/goharbor/harbor/issues/20948': ['bad request: could not connect to the audit endpoint'],
  'https://github.com/goharbor/harbor/issues/3617': ['invalid request: Project name is illegal in length. (greater than 2 or less than 30)'],
  'https://github.com/goharbor/harbor/issues/15930': ['Password should be 8-20 characters long with at least 1 uppercase, 1 lowercase and 1 number.'],
  'https://github.com/goharbor/harbor/issues/9600': [
    'Conflict in username, the user with same username has been onboarded.',
    '[ERROR] [/common/dao/oidc_user.go:135]: fail to insert user, pq: duplicate key value violates unique constraint "harbor_user_email_key"',
  ],
  'https://github.com/goharbor/harbor/issues/20110': ['{"errors":[{"code":"BAD_REQUEST","message":"bad request permission: robot:*"}]}'],
  'https://github.com/goharbor/harbor/issues/11808': [
    '[WARNING] [/common/utils/oidc/helper.go:331]: Unable to get groups from claims, claims: map[aud:a5f88de7 auth_time:1.588148693e+09 iss:https://gitlab.com sub:3254751], groups claims key: groups',
  ],
  'https://github.com/goharbor/harbor/issues/15450': [
    '[ERROR] [/lib/http/error.go:54]: {"errors":[{"code":"UNKNOWN","message":"unknown: a LDAP user group with same DN already exist"}]}.',
  ],
  'https://github.com/goharbor/harbor/issues/1610': ['Failed to send email.'],
  'https://github.com/goharbor/harbor/issues/19932': ['nginx: [emerg] socket() [::]:8443 failed (97: Address family not supported by protocol)'],
  'https://github.com/goharbor/harbor-helm/issues/874': [
    'Error creating: pods "harbor-harbor-notary-server-66657c8bd5-" is forbidden: unable to validate against any security context constraint: [provider restricted: .spec.securityContext.fsGroup: Invalid value: []int64{10000}: 10000 is not an allowed group spec.containers[0].securityContext.runAsUser: Invalid value: 10000: must be in the ranges: [1000630000, 1000639999]]',
  ],
  'https://github.com/goharbor/harbor-helm/issues/1265': ['ingress does not contain a valid IngressClass'],
  'https://github.com/goharbor/harbor-helm/issues/224': ['Multi-Attach error for volume "pvc-xxx" Volume is already used by pod(s)'],
  'https://github.com/goharbor/harbor-helm/issues/1835': [
    '2024-10-10T10:36:52Z [INFO] [/cmd/exporter/main.go:86]: Starting harbor_exporter with port=0 path=/metrics metrics=true max_request=0 tls=false cert= key= cache_time=23 clean_interval=14400',
  ],
  'https://github.com/goharbor/harbor/issues/15972': [
    '2021-11-08T14:07:31Z [FATAL] [/core/main.go:187]: failed to migrate: pq: cannot execute CREATE TABLE in a read-only transaction in line 0: CREATE TABLE IF NOT EXISTS "schema_migrations" (version bigint not null primary key, dirty boolean not null)',
  ],
  'https://github.com/goharbor/harbor/issues/6895': ['error: error setting mode of /var/log/docker/core.log.1: Operation not permitted'],
  'https://github.com/goharbor/harbor/issues/9728': ["PermissionError: [Errno 13] Permission denied: '/centos/harbor/common/config/registryctl/env'"],
  'https://github.com/goharbor/harbor/issues/14305': [
    "[ERROR] [/jobservice/runner/redis.go:64]: |@_@| Job 'REPLICATION:4a33701dfc2ff1324966669d' exit with error: open /var/log/jobs/4a33701dfc2ff1324966669d.log: permission denied",
  ],
  'https://github.com/goharbor/harbor/issues/15034': [
    'Jun  1 06:43:28 192.168.224.1 postgresql[9262]: 2021-06-01 06:43:28.473 UTC [340] ERROR:  could not resize shared memory segment "/PostgreSQL.1767612635" to 183552 bytes: No space left on device',
  ],
  'https://github.com/goharbor/harbor/issues/16620': [
    '2022-03-31T02:38:58Z [ERROR] [/controller/replication/transfer/image/transfer.go:380]: failed to push manifest of artifact sre/gg:latest: http status code: 400, body: {"errors":[{"code":"MANIFEST_BLOB_UNKNOWN","message":"blob unknown to registry","detail":"sha256:76c8fb57b6fc8599de38027112c47170bd19f99e7945392bd78d6816db01f4ad"}]}',
  ],
  'https://github.com/goharbor/harbor/issues/9314': [
    'Oct  2 14:34:57 172.18.0.1 core[30933]: 2019-10-02T11:34:57Z [ERROR] [/replication/operation/controller.go:102]: the execution 123563 failed: failed to do the prepare work for pushing/uploading resources: http error: code 401, message {"code":401,"message":"Unauthorized"}',
  ],
  'https://github.com/goharbor/harbor/issues/15150': [
    '2021-08-16T06:19:50Z [ERROR] [/replication/transfer/image/transfer.go:308]: failed to pushing the blob sha256:ce4ddd54cd82ebdc62e672a10c19bcd234ec7542830363f1110c4198d8597709, size 1874475274: Put "http://harbor.ipt.inventec.net/v2/oda/aoi-rejudge-server-tensorflow/blobs/uploads/9a6c171b-e4b6-40fe-a662-fae702e6708b?_state=xkA0qc2gN_hSQVhQks8q2BWKzi1K8LNG4y-cgbFJrmh7Ik5hbWUiOiJvZGEvYW9pLXJlanVkZ2Utc2VydmVyLXRlbnNvcmZsb3ciLCJVVUlEIjoiOWE2YzE3MWItZTRiNi00MGZlLWE2NjItZmFlNzAyZTY3MDhiIiwiT2Zmc2V0IjowLCJTdGFydGVkQXQiOiIyMDIxLTA4LTE2VDA1OjQ5OjUwLjQ3NDMwNDgyM1oifQ%3D%3D&digest=sha256%3Ace4ddd54cd82ebdc62e672a10c19bcd234ec7542830363f1110c4198d8597709": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
  ],
  'https://github.com/goharbor/harbor/issues/17044': [
    'Jun 21 09:10:30 192.168.13.1 core[1517]: 2022-06-21T07:10:30Z [WARNING] [/controller/event/handler/internal/artifact.go:184]: failed to update pull time for artifact 31295, tag 0 not found',
  ],
  'https://github.com/goharbor/harbor-helm/issues/1340': ['duplicate key value violates unique constraint "unique_artifact_trash"'],
  'https://github.com/goharbor/harbor/issues/14922': [
    "2021-05-14T00:00:33Z [ERROR] [/jobservice/job/impl/gc/garbage_collection.go:351]: failed to clean registry cache error retrieving 'blobs::*' keys, pattern blobs::*",
  ],
  'https://github.com/goharbor/harbor/issues/8149': ['Harbor with this error "filesystem layer verification failed for digest "'],
  'https://github.com/goharbor/harbor/issues/16129': [
    '{"exit_code":1,"image_ref":"core:8080/proxy_cache/gophernet/netcat@sha256:24a47b9a5856993356e7873eed6b9c88cc041c4a63dceea1f5df68462a62bc1c","level":"error","msg":"Running trivy failed","std_out":"2021-12-15T10:34:34.910Z\\t\\u001b[31mFATAL\\u001b[0m\\tscan error: unable to initialize a scanner: unable to initialize a docker scanner: 3 errors occurred:\\n\\t* Get \\"http://core:8080/v2/\\": dial tcp 172.26.0.9:8080: connect: connection refused\\n","time":"2021-12-15T10:34:34Z"}',
  ],
  'https://github.com/goharbor/harbor/issues/20582': [
    'GC failed with a error: "failed to delete untagged:315 artifact in DB, error, sql: transaction has already been committed or rolled back"',
  ],
  'https://github.com/goharbor/harbor/issues/12933': [
    '{"level":"fatal","msg":"Error: checking config: creating trivy cache dir: mkdir /home/scanner/.cache/trivy: permission denied","time":"2020-09-01T07:46:56Z"}',
  ],
  'https://github.com/goharbor/harbor/issues/18964': ["FileNotFoundError: [Errno 2] No such file or directory: '/hostfs/data/cert/harbor.example.com.key'"],
  'https://github.com/goharbor/harbor/issues/10642': [
    'nginx: [emerg] cannot load certificate key "/etc/cert/server.key": PEM_read_bio_PrivateKey() failed (SSL: error:0906D06C:PEM routines:PEM_read_bi',
  ],
  'https://github.com/goharbor/harbor/issues/16368': [
    "docker: Error response from daemon: error setting label on mount source '/': SELinux relabeling of / is not allowed.",
  ],
  'https://github.com/goharbor/harbor/issues/18083': [
    "rsyslogd: error during parsing file /etc/rsyslog.conf, on or before line 63: error accessing config file or directory '/etc/rsyslog.d/rsyslog_docker.conf' [cwd: /]: Permission denied [v8.2202.0 try https://www.rsyslog.com/e/2207 ]",
  ],
  'https://github.com/goharbor/harbor/issues/17453': ['FATA[0000] unknown logging driver "syslog": not found'],
  'https://github.com/goharbor/harbor/issues/19652': ['Oct 21 15:07:40 172.26.0.1 postgresql[46146]: PANIC:  could not locate a valid checkpoint record'],
  'https://github.com/goharbor/harbor/issues/21763': [
    "Unsupported config option for networks: 'harbor'",
    "Unsupported config option for services: 'registryctl'",
  ],
  'https://github.com/goharbor/harbor/issues/8129': ["PermissionError: [Errno 13] Permission denied: '/config'"],
  // Neighbours of the database, upgrade, login and core-log pages (helper h7c).
  'https://github.com/goharbor/harbor-helm/issues/99': [
    '2018-11-28T16:44:38Z [FATAL] [main.go:46]: failed to initialize the system: pq: pg_hba.conf rejects connection for host "100.96.4.47", user "postgres", database "registry", SSL off',
  ],
  'https://github.com/goharbor/harbor-helm/issues/564': [
    '2020-04-15T08:45:56Z [FATAL] [/core/main.go:188]: failed to initialize database: register db Ping `default`, pq: database "registry" does not exist',
  ],
  'https://github.com/goharbor/harbor-helm/issues/1485': [
    '[ORM]2023/04/25 10:18:18 register db Ping `default`, pq: connection requires a valid client certificate',
  ],
  'https://github.com/goharbor/harbor/issues/17099': ['utils.migration.MigratioNotFound: no migration path found to target version'],
  'https://github.com/goharbor/harbor/issues/15370': [
    'Error saving credentials: error storing credentials - err: exit status 1, out: `The name org.freedesktop.secrets was not provided by any .service files`',
  ],
  'https://github.com/goharbor/harbor/issues/15546': [
    '[ERROR] [/common/utils/utils.go:106]: faild to connect to tcp://postgresql:5432, retry after 2 seconds : dial tcp: lookup postgresql on 127.0.11:53: server misbehaving',
  ],
  'https://github.com/goharbor/harbor/issues/15793': ['[/core/controllers/base.go:103]: Error occurred in UserLogin: user XXXXXXXXX or email already exists'],
  'https://github.com/goharbor/harbor-helm/issues/1184': ['2022-04-26 09:31:42.391 UTC [1] LOG:  server process (PID 361) exited with exit code 141'],
  'https://github.com/goharbor/harbor/issues/14268': [
    'failed to initialize database: pq: no schema has been selected to create in in line 0: CREATE TABLE "schema_migrations" (version bigint not null primary key, dirty boolean not null)',
  ],
  'https://github.com/goharbor/harbor/issues/6027': [
    'Oct 12 08:05:41 172.27.0.1 adminserver[18362]: 2018-10-12T08:05:41Z [FATAL] [main.go:46]: failed to initialize the system: pq: relation "alembic_version" does not exist',
  ],
  'https://github.com/goharbor/harbor/issues/7852': [
    'May 21 11:34:21 172.18.0.1 core[3660]: 2019-05-21T10:34:21Z [WARNING] [/common/config/store/driver/db.go:43]: failed to get metadata, key:ui_url, error:<nil>, skip to load item',
  ],
  'https://github.com/goharbor/harbor/issues/16319': [
    'Jan 31 13:21:59 172.25.0.1 core[2002]: 2022-01-31T10:21:59Z [ERROR] [/lib/config/config.go:70]: Register called twice for manager db_cfg_manager',
    "Jan 31 13:21:59 172.25.0.1 core[2002]: 2022-01-31T10:21:59Z [ERROR] [/lib/config/metadata/value.go:126]: GetBool failed, the current value's metadata is not defined, &{Name: Value:}",
  ],
  // Programs around Harbor: Docker, containerd, Helm, PostgreSQL, Redis, nginx, the installer (helper h7e).
  'https://github.com/goharbor/harbor/issues/7670': [
    'ERROR: Version in "./docker-compose.yml" is unsupported. You might be seeing this error because you\'re using the wrong Compose file version.',
  ],
  'https://github.com/goharbor/harbor/issues/15731': [
    '{"level":"fatal","msg":"failed to create a new keydbstore: pq: unknown authentication response: 10","time":"2021-10-05T16:55:06Z"}',
  ],
  'https://github.com/goharbor/harbor-helm/issues/1829': [
    'level=error msg="redis: error connecting: ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"',
  ],
  'https://github.com/goharbor/harbor/issues/21648': ['upstream sent too big header while reading response header from upstream'],
  'https://github.com/goharbor/harbor/issues/18117': [
    '2023-01-18T20:55:50Z [ERROR] [/lib/http/error.go:56]: {"errors":[{"code":"UNKNOWN","message":"unknown: ERROR: permission denied for table job_',
  ],
  'https://github.com/kubesphere/kubekey/issues/1165': [
    'FATA[0000] pulling image: rpc error: code = Unknown desc = failed to pull and unpack image "yhub.ssl.ysten.com/kube/pause:3.5": failed to resolve reference "yhub.ssl.ysten.com/kube/pause:3.5": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
  ],
  'https://github.com/goharbor/harbor-operator/issues/914': [
    'Error: UPGRADE FAILED: cannot patch "minio-operator" with kind Deployment: Deployment.apps "minio-operator" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app.kubernetes.io/instance":"harbor-operator", "app.kubernetes.io/name":"operator"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ],
  'https://github.com/goharbor/harbor/issues/4749': ['error establishing connection to trust repository: Missing client certificate ca.cert for key ca.key'],
  'https://github.com/goharbor/harbor/issues/10952': [
    '2020-03-05T16:30:23Z [WARNING] [/core/middlewares/sizequota/handler.go:48]: Error occurred when to handle request in size quota handler: unsupported content type for manifest: application/vnd.oci.image.manifest.v1+json',
  ],
  'https://github.com/goharbor/harbor/issues/17546': ['"Upload failed, retrying: received unexpected HTTP status: 524 " - docker'],
  'https://github.com/goharbor/harbor/issues/18733': [
    'nginx: [emerg] SSL_CTX_load_verify_locations("/harbor_cust_cert/harbor_internal_ca.crt") failed (SSL: error:80000002:system library::No such file or directory:calling fopen(/harbor_cust_cert/harbor_internal_ca.crt, r) error:10000080:BIO routines::no such file error:05880002:x509 certificate routines::system lib)',
  ],
  'https://github.com/goharbor/harbor-operator/issues/1008': [
    '2023-01-24T14:22:09Z [FATAL] [/core/main.go:165]: failed to initialize cache: retry timeout: redigo: no sentinels available; last error: ERR unknown command `SENTINEL`, with args beginning with: `get-master-addr-by-name`, `mymaster`,',
  ],
  'https://github.com/goharbor/harbor-helm/issues/292': ['Error: failed to create subPath directory for volumeMount "secret-key" of container "core"'],
  'https://github.com/goharbor/harbor-helm/issues/853': [
    'unable to attach or mount volumes: unmounted volumes=[ca-download], unattached volumes=[config secret-key token-service-private-key ca-download psc]: timed out waiting for the condition',
  ],
  'https://github.com/goharbor/harbor/issues/21274': [
    'Error response from daemon: invalid mount config for type "bind": bind source path does not exist: /data/secret/registry/root.crt',
  ],
  'https://github.com/goharbor/harbor/issues/11999': [
    `ERROR: for harbor-log  Cannot create container for service log: invalid mount config for type "bind": invalid mount path: 'common/config/log/logrotate.conf' mount path must be absolute`,
  ],
  'https://github.com/goharbor/harbor/issues/11953': ["IsADirectoryError: [Errno 21] Is a directory: '/data/secret/keys/secretkey'"],
  'https://github.com/goharbor/harbor-helm/issues/1671': [
    'Error: INSTALLATION FAILED: template: harbor/templates/registry/registry-secret.yaml:11:62: executing "harbor/templates/registry/registry-secret.yaml" at <include "harbor.secretKeyHelper" (dict "key" "REGISTRY_HTTP_SECRET" "data" $existingSecret.data)>: error calling include: template: harbor/templates/_helpers.tpl:44:41: executing "harbor.secretKeyHelper" at <.data>: wrong type for value; expected map[string]interface {}; got interface {}',
  ],
  'https://github.com/goharbor/harbor-helm/issues/1241': [
    'Error: parse error at (harbor/templates/registry/registry-secret.yaml:47): function "htpasswd" not defined',
  ],
  'https://github.com/goharbor/harbor-helm/issues/250': [
    'Error: validation failed: error validating "": error validating data: [unknown object type "nil" in ConfigMap.data.CONTEXT_PATH, unknown object type "nil" in ConfigMap.data.TLS_CERT, unknown object type "nil" in ConfigMap.data.TLS_KEY]',
  ],
  // Lines of other problems printed by Harbor's own components (helper h7d).
  'https://github.com/goharbor/harbor/issues/15821': [
    '2021-10-19T13:20:30Z [ERROR] [/lib/http/error.go:54]: {"errors":[{"code":"UNKNOWN","message":"unknown: pq: value too long for type character varying(255)"}]}',
  ],
  'https://github.com/bitnami/bitnami-docker-harbor-portal/issues/14': [
    '/server/middleware/csrf/csrf.go:57]: Invalid CSRF key from environment: , generating random key...',
  ],
  'https://github.com/goharbor/harbor-helm/issues/775': [
    '2020/10/28 07:10:25 [emerg] 1#0: cannot load certificate "/etc/nginx/cert/tls.crt": BIO_new_file() failed (SSL: error:25',
  ],
  'https://github.com/goharbor/harbor/issues/16995': ['unknown: the tag latest tries to attach to a non existing artifact 2'],
  'https://github.com/goharbor/harbor/issues/16057': [
    'collected metric "harbor_project_total" { label:<name:"public" value:"false" > gauge:<value:134 > } was collected before with the same name and label values',
  ],
  'https://github.com/distribution/distribution/issues/2152': [
    '1. swift: Object Corrupted',
    '2. swift: Path not found',
    '3. swift: HTTP Error: 401: 401 Unauthorized',
  ],
  'https://github.com/aquasecurity/harbor-scanner-trivy/issues/372': [
    'It tell me  JAR files found，Downloading the Java DB ... Unable to initialize the Java DB.',
  ],
  'https://github.com/goharbor/harbor/issues/9832': ['ERROR:  duplicate key value violates unique constraint "unique_artifact_blob"'],
  'https://github.com/goharbor/harbor-helm/issues/1804': ['2024-08-05 10:07:43.816 UTC [2480] FATAL:  the database system is in recovery mode'],
  'https://github.com/goharbor/harbor-helm/issues/1309': ['panic: no accountkey parameter provided'],
  'https://github.com/goharbor/harbor/issues/18654': ['panic: invalid region provided: us-gov-east-1'],
  'https://github.com/goharbor/harbor/issues/12853': [
    '[ERROR] [/lib/http/error.go:54]: {"errors":[{"code":"UNKNOWN","message":"unknown: login to dockerhub error: login to dockerhub error: {\\"detail\\":\\"Incorrect authentication credentials\\"}\\n\\n"}]}',
  ],
  'https://github.com/goharbor/harbor/issues/14238': [
    `{"errors":[{"code":"UNKNOWN","message":"unknown: READONLY You can't write against a read only replica."}]}`,
  ],
  'https://github.com/goharbor/harbor/issues/9876': [
    '2019-11-14T08:04:59Z [ERROR] [/jobservice/job/impl/gc/job.go:85]: failed to get gc result: Failed to start GC: 500',
  ],
  'https://github.com/goharbor/harbor/issues/18597': [
    `config_dict['logger_sweeper_duration'] = js_config["logger_sweeper_duration"]\nKeyError: 'logger_sweeper_duration'`,
  ],
  'https://github.com/goharbor/harbor/issues/8177': [
    '[ERROR] [/common/api/base.go:69]: GET /c/oidc/callback?code=xp6vzqddsuppqltuxm6ls5hri&state=jwq6xxghxmal9u8t1zvxfoc3e8w6cgfc failed with error: {"code":500,"message":"Internal Server Error"}',
  ],
  'https://github.com/goharbor/harbor/issues/6936': [
    '[ORM]2019/02/15 03:01:54 Detect DB timezone: PRC open /usr/local/go/lib/time/zoneinfo.zip: no such file or directory',
  ],
  'https://github.com/aquasecurity/harbor-scanner-trivy/issues/299': [
    'But when we run a scan it always says "The first run cannot skip downloading DB" and a database error "--skip-update cannot be specified on the first run.',
  ],
  'https://github.com/aquasecurity/harbor-scanner-trivy/issues/226': [
    'all scans fails with error: **The local DB has an old schema version which is not supported by the current version of Trivy CLI**',
  ],
};

const catalogue = nearMisses([], async () => otherProblemPatterns());
const answer = async (text: string) => OTHER_PROBLEMS[(await catalogue.otherProblem(text)) ?? -1]?.source;
/** The texts the catalogue answers, each with the entry's source. */
const answered = async (texts: readonly string[]) =>
  (await Promise.all(texts.map(async (text) => ({ text, source: await answer(text) })))).filter((found) => found.source !== undefined);

describe('the catalogue of other problems', () => {
  it('answers each error line of a source thread with the entry citing that thread', async () => {
    for (const [source, lines] of Object.entries(THREAD_LINES)) {
      expect(OTHER_PROBLEMS.some((entry) => entry.source === source)).toBe(true);
      for (const line of lines) expect({ line, source: await answer(line) }).toEqual({ line, source });
    }
  });

  it('matches none of our pages’ own words: error lines, signatures, titles, summaries, operators’ words', async () => {
    const pages = await loadIssuePages();
    const texts = pages.flatMap((page) => [
      page.title,
      page.summary,
      ...page.describedAs,
      ...page.shared.errors.map((line) => line.text),
      ...page.shared.signatures.map((signature) => signature.pattern),
    ]);
    expect(texts.length).toBeGreaterThan(pages.length * 5);
    expect(await answered(texts)).toEqual([]);
  });

  it('catches no query of our own set that belongs to one of our pages', async () => {
    const ours = readQuerySet('test/search/queries.json').filter((query) => query.expect !== null);
    expect(ours.length).toBeGreaterThan(100);
    expect(await answered(ours.map((query) => query.q))).toEqual([]);
  });

  it('does not answer a client that does not trust a chart repository as ChartMuseum', async () => {
    // How it reaches the catalogue: no signature of ours knows this spelling (no space after "x509:").
    const helm =
      'Error: looks like "https://harbor.example.com/chartrepo/library" is not a valid chart repository or cannot be reached: ' +
      'Get "https://harbor.example.com/chartrepo/library/index.yaml": x509:certificate signed by unknown authority';
    expect(await answer(helm)).toBeUndefined();
    const chartMuseum = 'https://github.com/goharbor/harbor/issues/18677';
    expect(await answer(helm.replace('x509:certificate signed by unknown authority', 'object required'))).toBe(chartMuseum);
    // ChartMuseum's own line about its storage stays its own, certificate or not.
    expect(await answer('chartmuseum: failed to list objects: x509: certificate has expired or is not yet valid')).toBe(chartMuseum);
  });

  it('travels to the search page gzip-compressed and decompresses to the same patterns', async () => {
    const gzipped = gzipSync(otherProblemPatternsText());
    expect(gzipped.length).toBeLessThan(otherProblemPatternsText().length);
    expect(await otherProblemPatternsFrom(new Blob([gzipped]))).toEqual(otherProblemPatterns());
    expect(await otherProblemPatternsFrom(new Blob([gzipSync('')]))).toEqual([]);
  });

  it('has one entry per source thread', () => {
    expect(new Set(OTHER_PROBLEMS.map((entry) => entry.source)).size).toBe(OTHER_PROBLEMS.length);
  });
});

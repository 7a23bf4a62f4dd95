/**
 * Well-known Harbor problems this knowledge base has no page for, described the way operators
 * describe them in upstream issue titles and threads. The catalogue in other-problems.ts catches
 * pasted errors; a sentence ("cannot docker login with a robot account") carries no error to
 * match, shares words with one of our pages and is another problem. Each problem here is indexed
 * at build time as one record per language in a second, small Pagefind bundle
 * (OTHER_PROBLEMS_BUNDLE, pagefind-index.ts), with the words normalised like our pages', and the
 * pipeline weighs a query against it the way it weighs it against our pages (described-problems.ts).
 * The search page fetches that bundle only when it consults it, never with the first search.
 *
 * None of these is among the problems of test/search/corpus/PROBLEMS.md, and no phrase here is a
 * phrase of our pages (other-problems-described.test.ts): a problem that gets a page leaves this list.
 */
import type { Lang } from '../schemas/issue.ts';

export interface DescribedProblem {
  /** A short name, never a page id. */
  id: string;
  /** What the problem is, one line in each site language. */
  what: Record<Lang, string>;
  /** A public thread where it is discussed. */
  source: string;
  /** How operators describe it, with no error line. */
  describedAs: Record<Lang, readonly string[]>;
}

/** Where the bundle of described problems is served (a Pagefind bundle without its own loader or wasm). */
export const OTHER_PROBLEMS_BUNDLE = '/pagefind-other/';
/** What each described problem is and where it is discussed (src/pages/other-problems-described.json.ts), fetched when one is the answer. */
export const DESCRIBED_PROBLEMS_URL = '/other-problems-described.json';

/** The URL a described problem's record has in its bundle (one per language), and back. */
export const describedProblemUrl = (id: string, lang: Lang) => `${lang === 'en' ? '' : `/${lang}`}/other-problems/${id}/`;
export const describedProblemOfUrl = (url: string) => /\/other-problems\/([a-z0-9-]+)\/?$/.exec(url)?.[1];

/** What a problem's record holds in one language: what it is and how it is described, one phrase per line. */
export const describedText = (problem: DescribedProblem, lang: Lang): string[] => [problem.what[lang], ...problem.describedAs[lang]];

export const DESCRIBED_OTHER_PROBLEMS: readonly DescribedProblem[] = [
  // Sign-in: LDAP, OIDC, robot accounts, the portal's CSRF check.
  {
    id: 'ldap-search-dn-credentials',
    what: {
      en: 'LDAP sign-in broken by the search DN (bind) account: its password or place in the directory changed',
      zh: 'LDAP 搜索 DN(绑定账号)的密码或所在 OU 变了,LDAP 登录全部失败',
    },
    source: 'https://github.com/goharbor/harbor/issues/17018',
    describedAs: {
      en: [
        'the LDAP search password was reset and no LDAP user can sign in any more',
        'LDAP bind account moved to another OU in Active Directory, login to the portal fails',
        'ldap search fail, can not bind search dn',
        'the LDAP bind credentials are set in the configuration page, which nobody can reach any more',
        'LDAP configured with a wrong bind DN, locked out of the web console',
      ],
      zh: ['LDAP 绑定账号密码修改后 Harbor 无法登录', 'LDAP 搜索 DN 绑定失败', '配置 LDAP 后所有用户都登录不了', 'AD 域账号改了 OU 之后 LDAP 认证失败'],
    },
  },
  {
    id: 'auth-mode-locked-out',
    what: {
      en: 'locked out after switching the authentication mode to LDAP or OIDC (auth_mode stored in the database)',
      zh: '把认证模式切换为 LDAP 或 OIDC 后被锁在外面(auth_mode 存在数据库里)',
    },
    source: 'https://github.com/goharbor/harbor/issues/19411',
    describedAs: {
      en: [
        'switched the authentication mode to LDAP, it does not work and now nobody gets in',
        'set auth_mode back to db_auth in the properties table',
        'authentication mode cannot be changed once users exist',
      ],
      zh: ['切换到 LDAP 认证后无法登录', '如何把认证模式改回数据库认证', '已有用户后无法修改认证模式'],
    },
  },
  {
    id: 'ldap-empty-bind-password',
    what: {
      en: 'LDAP sign-in failing after an upgrade because the bind password is empty (anonymous bind refused)',
      zh: '升级后 LDAP 绑定密码为空(匿名绑定被拒)导致 LDAP 登录失败',
    },
    source: 'https://github.com/goharbor/harbor/issues/13763',
    describedAs: {
      en: [
        'LDAP login stopped working after upgrading to 2.1.2',
        'empty password not allowed by the client when LDAP users sign in',
        'ldaps without a bind user worked before the upgrade and now every LDAP login fails',
      ],
      zh: ['升级到 2.1.2 后 LDAP 登录失败', 'LDAP 提示 empty password not allowed', 'LDAP 匿名绑定升级后不能用了'],
    },
  },
  {
    id: 'ldap-invalid-credentials-clients',
    what: {
      en: 'LDAP “Invalid Credentials” (code 49) from clients that send old or wrong passwords (CI jobs, saved docker logins)',
      zh: '客户端(CI 任务、保存的 docker 登录)发送旧密码或错误密码导致 LDAP 返回 Invalid Credentials(49)',
    },
    source: 'https://github.com/goharbor/harbor/issues/22336',
    describedAs: {
      en: [
        'LDAP user signs in to the UI but docker login from Jenkins fails with invalid credentials',
        'some docker logins of LDAP users fail and the next attempt works',
        'LDAP result code 49 in the core log for a user whose password is correct',
        'users get locked in Active Directory because a pipeline keeps an old password',
        'docker login fails now and then for the same user, retrying with the same password works',
      ],
      zh: ['LDAP 用户网页能登录 docker login 失败', 'LDAP 返回错误码 49', 'CI 使用旧密码导致 AD 账号被锁'],
    },
  },
  {
    id: 'ldap-group-admin',
    what: { en: 'LDAP groups: the group admin DN or group search settings that give no role', zh: 'LDAP 组:组管理员 DN 或组搜索配置不生效' },
    source: 'https://github.com/goharbor/harbor/issues/5838',
    describedAs: {
      en: [
        'members of the LDAP group admin DN do not get the system admin role',
        'LDAP group GID, group filter and base DN, none of them matches the group',
        'nested AD groups are not resolved when adding a group to a project',
        'only users of one LDAP group should be able to sign in',
      ],
      zh: ['LDAP 组成员没有获得管理员权限', 'LDAP 组管理员 DN 配置不生效', 'LDAP 组添加到项目后成员没有权限'],
    },
  },
  {
    id: 'oidc-state-mismatch',
    what: {
      en: 'OIDC sign-in ending in "State mismatch" (the session is lost between the redirect and the callback)',
      zh: 'OIDC 登录回调时报 State mismatch(跳转前后会话丢失)',
    },
    source: 'https://github.com/goharbor/harbor/issues/12982',
    describedAs: {
      en: [
        'OIDC login returns BAD_REQUEST State mismatch after the identity provider redirects back',
        'Keycloak sign-in works once a day and then state mismatch',
        'OIDC callback fails when core runs several replicas behind the ingress without session affinity',
        'sign in via OIDC provider broken after the chart regenerated its secrets',
        'second domain for the same Harbor, OIDC redirects to the first one',
      ],
      zh: ['OIDC 登录报 State mismatch', 'Keycloak 单点登录回调失败', '多副本 core 时 OIDC 登录失败', 'OIDC 登录跳回 Harbor 后提示请求错误'],
    },
  },
  {
    id: 'oidc-cli-secret',
    what: {
      en: 'docker login as an OIDC user, which needs the CLI secret from the user profile, not the provider password',
      zh: 'OIDC 用户 docker login 需要用户资料里的 CLI 密钥,而不是身份提供方的密码',
    },
    source: 'https://github.com/goharbor/harbor/issues/20729',
    describedAs: {
      en: [
        'OIDC users cannot docker login while the web UI sign-in works',
        'CLI secret from the user profile is rejected, secret mismatch',
        'docker login with my single sign-on password says unauthorized',
        'username in Harbor differs from the identity provider after onboarding, CLI login fails',
        'failed to verify id token when logging in from the docker CLI',
      ],
      zh: ['OIDC 用户无法 docker login', 'CLI 密钥登录提示未授权', 'OIDC 账号网页能登录命令行不能登录', 'docker login 使用 oidc 账号未授权'],
    },
  },
  {
    id: 'robot-account-docker-login',
    what: {
      en: 'docker login or push with a robot account (the robot$ name, its secret, its permissions or expiry)',
      zh: '使用机器人账号 docker login 或推送(robot$ 名称、令牌、权限或过期)',
    },
    source: 'https://github.com/goharbor/harbor/issues/15757',
    describedAs: {
      en: [
        'docker login with a robot account is unauthorized while regular users work',
        'the shell eats the dollar sign of robot$ in the user name',
        'robot account token does not work in the CI pipeline',
        'robot account expired, pushes from CI fail',
        'robot user has pull permission only and the push is denied',
        'older docker client cannot log in with a system robot account',
      ],
      zh: ['机器人账号无法 docker login', '机器人账户登录提示 unauthorized', 'robot 账号令牌过期后推送失败', '流水线里用机器人账号推送镜像没有权限'],
    },
  },
  {
    id: 'csrf-token-invalid',
    what: {
      en: 'the portal’s CSRF check rejecting changes (HTTP, a proxy or load balancer dropping cookies, several core replicas)',
      zh: '门户 CSRF 校验拒绝操作(HTTP 访问、代理或负载均衡丢失 Cookie、多副本 core)',
    },
    source: 'https://github.com/goharbor/harbor/issues/12676',
    describedAs: {
      en: [
        'every POST in the web UI answers forbidden after putting an ALB in front',
        'cannot create a project in the portal, 403 forbidden, other pages work',
        'web console saves nothing behind the load balancer, CSRF',
        'portal over plain http, the login form answers forbidden',
        'signing in works over https but not over plain http',
      ],
      zh: ['页面操作提示 CSRF token invalid', '负载均衡后面创建项目返回 403', 'Harbor 网页保存配置时报禁止访问', '通过 HTTP 访问门户登录返回 403'],
    },
  },
  // Projects, quotas, proxy cache, immutability, retention.
  {
    id: 'project-quota-usage',
    what: { en: 'project storage quota: usage that looks wrong, or pushes refused by the quota', zh: '项目存储配额:用量显示不对或推送被配额拒绝' },
    source: 'https://github.com/goharbor/harbor/issues/19295',
    describedAs: {
      en: [
        'push denied because adding storage would exceed the configured upper limit of the project quota',
        'quota used is not released after deleting images and running garbage collection',
        'project shows storage used although it has no repositories',
        'quota usage in the UI is far from the real size of the project',
        'cannot delete an image from a project whose quota is exceeded',
      ],
      zh: ['项目配额已满无法推送', '删除镜像后项目配额没有释放', '项目没有镜像却显示已用空间', '配额用量显示不正确'],
    },
  },
  {
    id: 'proxy-cache-pull',
    what: {
      en: 'pulling through a proxy cache project (the library/ prefix, credentials of the upstream, releases where it broke)',
      zh: '通过代理缓存项目拉取镜像(library/ 前缀、上游凭据、某些版本的缺陷)',
    },
    source: 'https://github.com/goharbor/harbor/issues/13446',
    describedAs: {
      en: [
        'pulling from the Docker Hub proxy cache project says repository not found',
        'official images through the proxy cache need library in the path',
        'proxy cache project stopped working after upgrading to 2.15',
        'artifacts are not added to the proxy cache, every pull goes upstream',
        'proxy to remote failed, fallback to local repo',
        'pull-through cache for quay works but Docker Hub does not',
      ],
      zh: ['代理缓存项目拉取镜像提示 not found', '通过 Harbor 代理 Docker Hub 拉取失败', '代理缓存需要加 library 前缀', '升级后代理缓存项目不能用了'],
    },
  },
  {
    id: 'proxy-cache-docker-hub-2-15',
    what: {
      en: 'Docker Hub proxy cache projects broken in Harbor 2.15.0 (artifact not found; fixed in a later patch)',
      zh: 'Harbor 2.15.0 中 Docker Hub 代理缓存项目不可用(artifact not found,后续补丁修复)',
    },
    source: 'https://github.com/goharbor/harbor/issues/23025',
    describedAs: {
      en: [
        'proxy cache for Docker Hub says artifact not found since 2.15.0, other registries are fine',
        'downgrading to 2.14 makes the Docker Hub cache work again',
        'cached images are cleared and new pulls through the Docker Hub cache fail after the upgrade',
      ],
      zh: ['升级到 2.15 后 Docker Hub 代理缓存不可用', '代理缓存提示 artifact not found', '回退到 2.14 代理缓存恢复正常'],
    },
  },
  {
    id: 'upstream-rate-limit',
    what: {
      en: 'the upstream registry’s pull rate limit (Docker Hub) hit by replication or the proxy cache',
      zh: '复制或代理缓存触发上游仓库(Docker Hub)的拉取次数限制',
    },
    source: 'https://github.com/goharbor/harbor/issues/19967',
    describedAs: {
      en: [
        'Docker Hub pull rate limit reached by the proxy cache',
        'replication from Docker Hub fails with 429 just listing the tags of a big project',
        'Docker Hub asks to sign in to page further through the tags',
        'anonymous pulls from Docker Hub are throttled, configure credentials for the endpoint',
        'Quay or another upstream answers too many requests while a replication runs',
      ],
      zh: ['Docker Hub 拉取次数限制', '从 Docker Hub 复制镜像被限流', '代理缓存触发 Docker Hub 限速'],
    },
  },
  {
    id: 'push-denied-project-role',
    what: {
      en: 'a push refused because the project does not exist, the image is tagged without the project, or the user has no push role',
      zh: '推送被拒:项目不存在、镜像标签里没有项目名,或用户没有推送权限',
    },
    source: 'https://github.com/goharbor/harbor/issues/20544',
    describedAs: {
      en: [
        'denied: requested access to the resource is denied when pushing to Harbor',
        'pushing to a project that does not exist yet, the project has to be created first',
        'image tagged without the project name, the push keeps retrying',
        'a guest or limited guest member cannot push to the project',
      ],
      zh: [
        '推送镜像提示 requested access to the resource is denied',
        '推送前需要先在 Harbor 创建项目',
        '镜像标签没有带项目名推送失败',
        '项目访客角色无法推送镜像',
      ],
    },
  },
  {
    id: 'project-deletion-blocked',
    what: {
      en: 'a project that cannot be deleted while it still holds repositories, charts or policies (by design)',
      zh: '项目中仍有仓库、Chart 或策略时无法删除(设计如此)',
    },
    source: 'https://github.com/goharbor/harbor/issues/18669',
    describedAs: {
      en: [
        'the project contains repositories and can not be deleted',
        'how to force the deletion of a project with everything in it through the API',
        'terraform destroy fails on a Harbor project that still has images',
      ],
      zh: ['项目包含仓库无法删除', '如何强制删除非空项目', '通过 API 删除项目失败'],
    },
  },
  {
    id: 'tag-immutability',
    what: {
      en: 'tag immutability rules: a tag that cannot be overwritten or deleted, or a rule that does not match',
      zh: '不可变标签规则:标签无法覆盖或删除,或规则没有匹配',
    },
    source: 'https://github.com/goharbor/harbor/issues/15700',
    describedAs: {
      en: [
        'cannot delete an artifact because its tag is immutable',
        'pushing the same tag again is refused, the tag is immutable',
        'immutability rule for several repositories does not match, the old image becomes untagged',
        'how to force the deletion of an immutable tag',
      ],
      zh: ['不可变标签无法删除', '推送同名标签被拒绝,标签不可变', '不可变规则不生效,旧镜像变成无标签'],
    },
  },
  {
    id: 'tag-retention-misbehaving',
    what: {
      en: 'tag retention rules that delete what they should keep, or keep what they should delete',
      zh: '标签保留策略删除了应保留的镜像,或没有删除应删除的镜像',
    },
    source: 'https://github.com/goharbor/harbor/issues/8717',
    describedAs: {
      en: [
        'retention policy deleted the prod and uat tags it should have kept',
        'retention removes every tag that shares a digest with a deleted one',
        'retention rule keeps everything, dry run shows nothing to delete',
        'retention deleted tags in the UI but the files stay in the data directory',
        'retention based on pull time ignores images that were never pulled',
      ],
      zh: ['保留策略误删了生产镜像', '标签保留规则没有删除旧镜像', '保留策略执行成功但磁盘没有释放', '保留策略按拉取时间判断不符合预期'],
    },
  },
  // Events and integrations.
  {
    id: 'webhook-delivery',
    what: {
      en: 'webhooks that are not delivered or not accepted by the receiver (Slack payloads, failing targets)',
      zh: 'Webhook 没有送达或被接收方拒绝(Slack 格式、目标地址失败)',
    },
    source: 'https://github.com/goharbor/harbor/issues/10422',
    describedAs: {
      en: [
        'webhook is triggered on push but nothing reaches Slack',
        'Slack webhook job fails with response code 400 and keeps retrying',
        'webhook jobs stuck and never sent to the endpoint',
        'notification policy configured but the receiving service gets no event',
      ],
      zh: ['Webhook 推送镜像后没有触发', 'Slack 通知收不到', 'Webhook 任务一直失败重试', '钉钉企业微信收不到 Harbor 的 Webhook 通知'],
    },
  },
  {
    id: 'p2p-preheat',
    what: { en: 'P2P preheat with Dragonfly or Kraken failing or never finishing', zh: 'Dragonfly/Kraken 的 P2P 预热失败或不结束' },
    source: 'https://github.com/goharbor/harbor/issues/14556',
    describedAs: {
      en: [
        'preheat policy runs but Dragonfly reports the task as failed',
        'P2P preheat instance is healthy, distribution never happens',
        'preheat works the first time and fails when triggered again',
        'creating a Dragonfly preheat instance through the API returns 500',
        'preheating an image with Dragonfly fails, the preheat task ends in error',
      ],
      zh: ['Harbor 配置 P2P 预热失败', 'Dragonfly 预热任务失败', '分布式分发预热一直不成功'],
    },
  },
  // Scanning and signing.
  {
    id: 'trivy-offline-scan',
    what: {
      en: 'Trivy in an air-gapped Harbor: skip update, offline scan and the vulnerability database files',
      zh: '离线环境中的 Trivy:跳过更新、离线扫描与漏洞库文件',
    },
    source: 'https://github.com/goharbor/harbor/issues/20193',
    describedAs: {
      en: [
        'Trivy scanner in an air-gapped environment without internet access',
        'the first run cannot skip downloading the Trivy DB',
        'scans are very slow offline because Trivy calls search.maven.org for jar files',
        'copied trivy.db into the cache directory, scan still fails to open the db',
        'skip_update and offline_scan set, the java db still downloads',
      ],
      zh: ['离线环境 Trivy 扫描失败', '内网 Trivy 漏洞库无法更新', 'Trivy 首次运行不能跳过下载漏洞库', '离线导入 trivy.db 后扫描仍然报错'],
    },
  },
  {
    id: 'trivy-db-download',
    what: {
      en: 'Trivy unable to download its vulnerability database (GitHub or ghcr.io rate limits, a proxy, no egress)',
      zh: 'Trivy 无法下载漏洞库(GitHub/ghcr.io 限流、代理、无外网)',
    },
    source: 'https://github.com/goharbor/harbor/issues/18454',
    describedAs: {
      en: [
        'every scan fails because Trivy cannot download its database from ghcr.io',
        'Trivy behind a corporate proxy, the DB download is forbidden',
        'GitHub rate limiting the Trivy DB downloads, set a GitHub token',
        'scanner adapter shows unhealthy in the interrogation services',
      ],
      zh: ['Trivy 下载漏洞库失败', '扫描失败,无法从 ghcr.io 下载数据库', '代理环境下 Trivy 更新漏洞库失败'],
    },
  },
  {
    id: 'scan-unsupported-artifacts',
    what: {
      en: 'artifacts the scanner does not support (Helm charts, other OCI artifacts, old manifest types) shown as Unsupported or failing Scan All',
      zh: '扫描器不支持的制品(Helm Chart、其他 OCI 制品、旧清单类型)显示为不支持或在全部扫描中失败',
    },
    source: 'https://github.com/goharbor/harbor/issues/16123',
    describedAs: {
      en: [
        'the vulnerabilities column says Unsupported for some images and there is no scan button',
        'Scan All reports failures for helm charts pushed as OCI artifacts',
        'the configured scanner does not support scanning artifacts with this mime type',
        'multi-arch images show no vulnerabilities while their platform images have some',
      ],
      zh: ['漏洞列显示不支持扫描', 'Helm Chart 无法被扫描', '全部扫描时 Chart 制品报错', '多架构镜像扫描没有结果'],
    },
  },
  {
    id: 'vulnerability-report-table-growth',
    what: {
      en: 'the scan report tables (report_vulnerability_record, vulnerability_record) growing without bound',
      zh: '扫描报告表(report_vulnerability_record、vulnerability_record)无限增长',
    },
    source: 'https://github.com/goharbor/harbor/issues/17927',
    describedAs: {
      en: [
        'report_vulnerability_record has a hundred million rows and tens of gigabytes',
        'vulnerability scan reports are never purged from the database',
        'database grows every week because of scheduled Scan All with Trivy',
        'how to delete old scan reports of artifacts that no longer exist',
      ],
      zh: ['漏洞扫描报告表越来越大', 'report_vulnerability_record 表占用几十 GB', '定时全部扫描后数据库不断膨胀', '如何清理旧的扫描报告数据'],
    },
  },
  {
    id: 'task-execution-tables',
    what: {
      en: 'the task and execution tables of job history (scans, retention, replication) slowing the database',
      zh: '任务历史表 task、execution(扫描、保留、复制)过大拖慢数据库',
    },
    source: 'https://github.com/goharbor/harbor/issues/17538',
    describedAs: {
      en: [
        'task and execution tables have hundreds of thousands of rows and scans get slow',
        'replication executions page loads very slowly with a long history',
        'database CPU high from queries on the task table',
        'how to clean old job records of retention and scan executions',
        'the job_log table keeps growing with the database job logger, nothing purges it',
      ],
      zh: ['task 表数据量太大扫描变慢', '复制执行记录页面加载很慢', '数据库 CPU 很高,执行记录太多', '如何清理历史任务执行记录', 'job_log 表越来越大'],
    },
  },
  {
    id: 'notary-content-trust',
    what: {
      en: 'Notary content trust: signing with docker trust, and signatures that replication does not carry',
      zh: 'Notary 内容信任:docker trust 签名,以及复制不会带上的签名',
    },
    source: 'https://github.com/goharbor/harbor/issues/16411',
    describedAs: {
      en: [
        'notary signature is not replicated to the standby Harbor',
        'docker trust signer add fails with a 500 from the notary server',
        'push with DOCKER_CONTENT_TRUST enabled fails at signing',
        'deployment security only allows signed images and the replicated ones are unsigned',
      ],
      zh: ['Notary 签名复制后丢失', '开启内容信任后推送签名失败', 'docker trust 添加签名者报错', '只允许签名镜像部署时复制过来的镜像没有签名'],
    },
  },
  {
    id: 'cosign-signatures',
    what: { en: 'cosign signatures: not shown, not matched or breaking replication', zh: 'cosign 签名:不显示、无法关联或导致复制失败' },
    source: 'https://github.com/goharbor/harbor/issues/18343',
    describedAs: {
      en: [
        'cosign sign succeeds but the signature does not show in Harbor',
        'replication fails because a cosign signature is attached to the wrong artifact',
        'cosign signatures replicated from GCR are not matched to their images',
      ],
      zh: ['cosign 签名后 Harbor 不显示', 'cosign 签名导致复制失败', '从 GCR 复制的 cosign 签名不匹配'],
    },
  },
  // Storage.
  {
    id: 's3-storage-config',
    what: {
      en: 'registry storage on S3 or S3-compatible object stores: region, endpoint, credentials',
      zh: 'S3 或兼容 S3 的对象存储作为 registry 存储:区域、端点、凭据',
    },
    source: 'https://github.com/goharbor/harbor/issues/20789',
    describedAs: {
      en: [
        'registry pod panics with invalid region provided for a new AWS region',
        'cannot connect the registry to S3 compatible storage such as MinIO or Ceph RGW',
        'which regionendpoint to set for the bucket',
        'S3 access key and secret key configured, the registry cannot reach the bucket',
      ],
      zh: ['registry 使用 S3 存储启动失败', 'MinIO 对象存储配置后无法推送', 'S3 region 不支持', 'Ceph 对象存储对接 Harbor 失败'],
    },
  },
  {
    id: 'azure-gcs-swift-storage',
    what: {
      en: 'registry storage on Azure Blob, Google Cloud Storage, Swift or OSS: driver settings and credentials',
      zh: 'Azure Blob、GCS、Swift、OSS 作为 registry 存储:驱动配置与凭据',
    },
    source: 'https://github.com/goharbor/harbor/issues/6377',
    describedAs: {
      en: [
        'Azure blob storage as the registry backend does not work',
        'GCS bucket with a service account key, the registry fails to start',
        'Swift container for image storage, authentication fails',
        'Aliyun OSS storage for Harbor images cannot be written',
      ],
      zh: ['Azure Blob 存储配置失败', 'GCS 存储凭据错误', 'Swift 对象存储认证失败', '阿里云 OSS 存储无法写入镜像'],
    },
  },
  {
    id: 'disk-full',
    what: { en: 'the Harbor host or volume out of disk space (registry data, logs, database)', zh: 'Harbor 主机或卷磁盘已满(镜像数据、日志、数据库)' },
    source: 'https://github.com/goharbor/harbor/issues/22094',
    describedAs: {
      en: [
        'the data disk of Harbor is full, the web UI no longer loads',
        'no space left on device while pushing, how to free space',
        'root filesystem at 100% on the Harbor host because of docker images and logs',
        'registry volume full, how to clean up without logging in',
      ],
      zh: ['Harbor 磁盘满了无法登录', '磁盘空间不足推送失败', '服务器磁盘占满 Harbor 起不来', '存储满了如何清理镜像'],
    },
  },
  {
    id: 'gc-time-window-untagged',
    what: {
      en: 'space kept after deleting images: GC’s two-hour window, untagged artifacts it keeps unless told, overwritten tags',
      zh: '删除镜像后空间未释放:GC 的两小时时间窗、默认保留的无标签制品、被覆盖的标签',
    },
    source: 'https://github.com/goharbor/harbor/issues/21110',
    describedAs: {
      en: [
        'deleted a repository and ran GC, it says no non referenced artifacts and no space is freed',
        'space is freed only when GC runs again two hours after the deletion',
        'untagged artifacts stay on disk unless the untagged option of GC is checked',
        'a deleted tag leaves its blobs on disk after GC while another tag or the two-hour window still holds them',
        'pushing the same tag every build leaves untagged images that nobody removes',
        'disk usage much bigger than the storage shown in the UI, uploads folder',
      ],
      zh: ['删除镜像后磁盘空间没有释放', '垃圾回收需要勾选删除无标签制品', '同一个标签反复推送旧镜像占空间', '垃圾回收提示没有可删除的制品'],
    },
  },
  // Replication of other kinds.
  {
    id: 'replication-retag-event',
    what: {
      en: 'event-based replication of a retagged or copied image (a new tag on an existing digest)',
      zh: '基于事件的复制对重新打标签或复制的镜像(已有 digest 的新标签)不触发或只复制一个标签',
    },
    source: 'https://github.com/goharbor/harbor/issues/20897',
    describedAs: {
      en: [
        'adding a tag to an existing image does not trigger event based replication',
        'event based replication copies only one of the tags, scheduled replication copies them all',
        'image copied with the Harbor copy feature is replicated with a single tag',
        'retag with imagetools create is never replicated since the upgrade',
        'since upgrading Harbor a new tag on an existing image is not replicated by the push event, a manual run copies it',
      ],
      zh: ['重新打标签的镜像不会触发事件复制', '基于事件的复制只同步了一个标签', '手动复制正常但事件触发的复制没有执行'],
    },
  },
  {
    id: 'replication-deletion',
    what: {
      en: 'deletions that replication does not carry (tags, repositories, retention deletions, non-Harbor targets)',
      zh: '复制不会同步的删除(标签、仓库、保留策略删除、非 Harbor 目标)',
    },
    source: 'https://github.com/goharbor/harbor/issues/21218',
    describedAs: {
      en: [
        'deleting a tag is not replicated to the remote registry although delete remote resources is checked',
        'repository deletion is not replicated, only artifact deletion',
        'images removed by tag retention stay on the other sites',
        'tag deletion cannot be replicated to a registry that is not Harbor',
      ],
      zh: ['删除标签没有同步到目标仓库', '删除仓库不会被复制', '保留策略删除的镜像在其他站点还在'],
    },
  },
  {
    id: 'replication-destination-namespace',
    what: {
      en: 'where replication puts images on the target: destination namespace, flattening of the path',
      zh: '复制在目标端放置镜像的位置:目标命名空间、路径扁平化',
    },
    source: 'https://github.com/goharbor/harbor/issues/22262',
    describedAs: {
      en: [
        'replicated images land under the wrong path on the destination registry',
        'strip the Harbor project from the repository path when replicating to Nexus',
        'which flattening level keeps the nested repository names',
      ],
      zh: ['复制后目标仓库路径不对', '复制时如何去掉项目名前缀', '目标命名空间和扁平化层级怎么设置'],
    },
  },
  {
    id: 'replication-other-registries',
    what: {
      en: 'replication with other registries (ECR, GCR, ACR, Quay, GitLab, Artifactory): adapters, paging, credentials',
      zh: '与其他仓库(ECR、GCR、ACR、Quay、GitLab、Artifactory)的复制:适配器、分页、凭据',
    },
    source: 'https://github.com/goharbor/harbor/issues/9848',
    describedAs: {
      en: [
        'pull-based replication from AWS ECR does not get all tags of a repository',
        'replication endpoint for GCR, ACR or Quay fails the connection test',
        'ECR credentials expire and replication from AWS stops',
        'replicating to JFrog Artifactory or GitLab registry fails',
        'replication from AWS handles only the first hundred tags of a repo',
        'replicating images from Harbor into a GitLab container registry does not work',
      ],
      zh: ['从 AWS ECR 复制镜像不完整', '复制到阿里云 ACR 失败', '目标仓库连接测试失败', 'ECR 凭证过期后复制停止', '复制到 GitLab 镜像仓库失败'],
    },
  },
  // Pushing large images.
  {
    id: 'large-layer-push',
    what: {
      en: 'large layers failing to push through a proxy or ingress (body size, buffering, timeouts)',
      zh: '大镜像层经过代理或 Ingress 推送失败(请求体大小、缓冲、超时)',
    },
    source: 'https://github.com/goharbor/harbor/issues/15729',
    describedAs: {
      en: [
        'small images push fine, an image of several gigabytes keeps retrying and fails',
        'a big layer times out at the proxy in front of Harbor with a 504',
        'ingress proxy-body-size and proxy timeouts for big images',
        'Cloudflare in front of Harbor breaks uploads bigger than one gigabyte',
        'client disconnected during blob PATCH when pushing a big layer',
      ],
      zh: ['推送大镜像失败', '镜像超过 1G 推送一直重试', 'Ingress 代理限制了上传大小', '推送大镜像层超时 504'],
    },
  },
  // Database and upgrades.
  {
    id: 'postgres-major-upgrade',
    what: {
      en: 'the bundled PostgreSQL’s major-version upgrade (9.6 to 13, 13 to 14) failing during a Harbor upgrade',
      zh: 'Harbor 升级时内置 PostgreSQL 大版本升级(9.6→13、13→14)失败',
    },
    source: 'https://github.com/goharbor/harbor/issues/18839',
    describedAs: {
      en: [
        'harbor-db keeps restarting after the upgrade, PostgreSQL 9.6 to 13 is not supported',
        'initdb says the pg13 directory exists but is not empty',
        'after upgrading all projects and users are gone, the database came up empty',
        'PG_VERSION file left in the database volume',
      ],
      zh: ['升级后 harbor-db 一直重启', 'PostgreSQL 9.6 升级到 13 不支持', '升级后项目和用户数据都没了', '数据库目录 pg13 非空无法初始化'],
    },
  },
  {
    id: 'upgrade-path',
    what: {
      en: 'upgrade paths: skipping releases, the prepare migrate step, upgrades from 1.x to 2.x',
      zh: '升级路径:跨版本升级、prepare migrate 步骤、从 1.x 升级到 2.x',
    },
    source: 'https://github.com/goharbor/harbor/issues/19368',
    describedAs: {
      en: [
        'can I upgrade from 1.10 straight to the latest 2.x release',
        'which intermediate versions to go through when upgrading an old Harbor',
        'prepare migrate of harbor.yml succeeded but the new version does not start',
        'upgrade guide says back up the data directory first, what else to migrate',
        'the migrator finds no migration path between the two versions',
        'upgrading directly across several releases is not supported, go through each one',
      ],
      zh: ['Harbor 能否跨版本直接升级', '从 1.10 升级到 2.x 需要经过哪些版本', '执行 prepare migrate 后新版本起不来', '老版本 Harbor 升级步骤'],
    },
  },
  {
    id: 'chartmuseum-removed',
    what: {
      en: 'ChartMuseum removed in Harbor 2.8: the Helm Charts tab and chart repository are gone, charts move to OCI',
      zh: 'Harbor 2.8 移除 ChartMuseum:Helm Charts 页签与 chart 仓库消失,需改用 OCI',
    },
    source: 'https://github.com/goharbor/harbor/issues/18573',
    describedAs: {
      en: [
        'Helm Charts tab disappeared after the upgrade',
        'chart repository functionality removed, release pipelines broken',
        'how to migrate helm charts from chartmuseum to OCI artifacts',
        'helm repo add of a Harbor project returns 404 after upgrading',
      ],
      zh: ['升级后 Helm Charts 页签消失', 'chartmuseum 被移除后 chart 怎么迁移', 'helm 仓库升级后无法使用'],
    },
  },
  // Components talking to each other.
  {
    id: 'redis-connection',
    what: {
      en: 'Redis that Harbor cannot use: external Redis, Sentinel, cluster mode, passwords',
      zh: 'Harbor 无法使用的 Redis:外部 Redis、Sentinel、集群模式、密码',
    },
    source: 'https://github.com/goharbor/harbor/issues/20191',
    describedAs: {
      en: [
        'Harbor cannot connect to an external Redis Sentinel',
        'jobservice keeps restarting with Redis behind HAProxy',
        'SELECT is not allowed in cluster mode, Redis cluster is not supported',
        'sentinel with a password works for the registry but not for core and jobservice',
        'which sentinel master set to configure for the external redis',
      ],
      zh: ['Harbor 连接外部 Redis 哨兵失败', 'jobservice 连不上 Redis 一直重启', 'Redis 集群模式不支持', 'Redis 设置密码后 core 无法连接'],
    },
  },
  {
    id: 'core-secret-regenerated',
    what: {
      en: 'the chart regenerating core, jobservice and registry secrets on every helm upgrade',
      zh: 'Helm Chart 每次升级都重新生成 core、jobservice、registry 的密钥',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/947',
    describedAs: {
      en: [
        'after every helm upgrade jobservice cannot authenticate to core until core is restarted',
        'set core.secret statically in the values so upgrades stop breaking',
        'jobservice fails to load the rest config with 401 unauthorized',
        'Argo CD keeps regenerating the Harbor secrets and pods restart',
      ],
      zh: ['helm 升级后 jobservice 无法认证 core', 'jobservice 加载配置返回 401', 'ArgoCD 部署 Harbor 每次同步都重新生成密钥'],
    },
  },
  {
    id: 'internal-tls',
    what: {
      en: 'internal TLS between Harbor components (enabling it, its certificates, components that stop talking)',
      zh: 'Harbor 组件间的内部 TLS(启用、证书、组件互相无法通信)',
    },
    source: 'https://github.com/goharbor/harbor/issues/18745',
    describedAs: {
      en: [
        'enabled internal TLS and core cannot reach the registry',
        'which certificates internal TLS needs for each component',
        'jobservice and trivy adapter fail after turning on internal_tls',
        'jobservice restarts because it does not trust the internal certificate of core',
        'turning on internal TLS as the guide describes leaves Harbor broken',
      ],
      zh: ['开启内部 TLS 后组件无法通信', 'internal_tls 需要哪些证书', '启用组件间 TLS 后 jobservice 报错'],
    },
  },
  {
    id: 'jobservice-hook-events',
    what: {
      en: 'jobservice unable to send job status events (hooks) back to core: wrong core URL, port or certificate',
      zh: 'jobservice 无法把任务状态事件(hook)回传给 core:core 地址、端口或证书不对',
    },
    source: 'https://github.com/goharbor/harbor/issues/21885',
    describedAs: {
      en: [
        'jobservice keeps retrying to send hook events to core',
        'hook events to core fail because the core certificate was issued for the ingress name',
        'job status never reaches core because jobservice posts to the wrong address',
      ],
      zh: ['jobservice 回调 core 失败', 'jobservice 日志不断重试发送 hook 事件', '任务状态无法回写 core'],
    },
  },
  {
    id: 'external-database',
    what: {
      en: 'an external PostgreSQL (RDS, Cloud SQL, an operator) that Harbor cannot reach or use',
      zh: 'Harbor 无法连接或使用的外部 PostgreSQL(RDS、Cloud SQL、Operator)',
    },
    source: 'https://github.com/goharbor/harbor/issues/15458',
    describedAs: {
      en: [
        'which PostgreSQL versions Harbor supports for an external database',
        'moving the Harbor database to AWS RDS or Cloud SQL',
        'external database with sslmode require, core cannot connect',
        'the managed database is not reachable from the Harbor hosts',
      ],
      zh: ['Harbor 使用外部 PostgreSQL 连接失败', '数据库迁移到 RDS', '外部数据库 sslmode 配置', 'core 连接外部数据库被拒绝'],
    },
  },
  {
    id: 'kubernetes-dns-core',
    what: {
      en: 'Harbor pods on Kubernetes that cannot resolve or reach each other (cluster DNS, network policies)',
      zh: 'Kubernetes 上 Harbor 的 Pod 之间无法解析或访问(集群 DNS、网络策略)',
    },
    source: 'https://github.com/goharbor/harbor/issues/18590',
    describedAs: {
      en: [
        'jobservice cannot start, lookup harbor-core i/o timeout',
        'harbor pods cannot resolve the service names of the other components',
        'network policy blocks traffic between core and the database',
      ],
      zh: ['jobservice 无法解析 harbor-core', 'Harbor 组件之间域名解析失败', '网络策略阻断了 Harbor 组件通信'],
    },
  },
  // The portal and the API.
  {
    id: 'own-certificate-renewal',
    what: {
      en: 'renewing the HTTPS certificate you gave Harbor yourself (harbor.yml, then prepare and restart; not the chart’s generated ones)',
      zh: '更换自己为 Harbor 配置的 HTTPS 证书(harbor.yml,然后 prepare 并重启;不是 Chart 自动生成的证书)',
    },
    source: 'https://github.com/goharbor/harbor/issues/18104',
    describedAs: {
      en: [
        'how to replace the expired server certificate of a docker-compose Harbor',
        'renewed the Let’s Encrypt certificate but nginx keeps serving the old one until prepare runs',
        'new certificate copied into the data cert folder, clients still see the old expiry date',
        'company CA issued a new certificate for the registry, what to restart',
      ],
      zh: ['如何更换已过期的 Harbor HTTPS 证书', '续签 Let’s Encrypt 证书后 Harbor 仍使用旧证书', '替换证书后需要执行 prepare 并重启'],
    },
  },
  {
    id: 'portal-blank-page',
    what: {
      en: 'the web portal blank or half rendered (browser cache after an upgrade, the portal container, a proxy path)',
      zh: '网页门户空白或显示不全(升级后浏览器缓存、portal 容器、代理路径)',
    },
    source: 'https://github.com/goharbor/harbor/issues/10213',
    describedAs: {
      en: [
        'web UI shows a blank page after the upgrade, clearing the browser cache helps',
        'portal loads but menus and buttons are missing',
        'Harbor under a sub path of the reverse proxy, the UI does not load its scripts',
        'menu labels like SIDE_NAV show instead of text after upgrading',
      ],
      zh: ['升级后 Harbor 页面空白', '网页打开一片空白', '反向代理子路径下 Harbor 页面加载不出来', '登录页面一直跳转'],
    },
  },
  {
    id: 'anonymous-pull-public-project',
    what: {
      en: 'pulling without docker login, which works only from a public project (pushing always needs a user)',
      zh: '不执行 docker login 就拉取镜像:只有公开项目可以(推送总需要用户)',
    },
    source: 'https://github.com/goharbor/harbor/issues/15942',
    describedAs: {
      en: [
        'pull images without logging in, like a plain docker registry allows',
        'anonymous pull from a private project says authentication required',
        'a tool that cannot send registry credentials needs to pull from Harbor',
        'the catalog API asks for authentication even for a public project',
      ],
      zh: ['不登录能否拉取 Harbor 镜像', '匿名拉取私有项目提示需要认证', '公开项目无需登录即可拉取'],
    },
  },
  {
    id: 'insecure-registry-http',
    what: {
      en: 'a Harbor served over plain HTTP, which each Docker or containerd client must list as an insecure registry',
      zh: '通过 HTTP 提供服务的 Harbor,每个 Docker/containerd 客户端都需把它列为 insecure registry',
    },
    source: 'https://github.com/goharbor/harbor/issues/908',
    describedAs: {
      en: [
        'Harbor installed without https, docker on other machines cannot log in or pull',
        'add the Harbor address to insecure-registries in daemon.json and restart docker',
        'containerd on the Kubernetes nodes tries https against an http Harbor',
      ],
      zh: ['Harbor 没有配置 https,其他机器 docker 无法登录', 'daemon.json 添加 insecure-registries', 'containerd 访问 http 的 Harbor 失败'],
    },
  },
  {
    id: 'multi-registry-blob-upload',
    what: {
      en: 'pushes through several registry replicas that do not share their upload state (shared storage, session affinity)',
      zh: '推送经过多个不共享上传状态的 registry 副本(共享存储、会话保持)',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/839',
    describedAs: {
      en: [
        'push fails at random with blob upload unknown when the registry runs two replicas',
        'several registry pods without shared storage, uploads get lost between them',
        'scaling the registry deployment breaks pushes',
      ],
      zh: ['registry 多副本推送随机失败', '多个 registry 副本不共享存储上传丢失', '扩容 registry 后推送失败'],
    },
  },
  // Added for issue #14's near misses (2026-12-01, session 6).
  {
    id: 'replication-filters',
    what: {
      en: 'replication rule filters (name, tag, label, resource) that copy more or less than they select',
      zh: '复制规则的过滤器(名称、标签、Label、资源)复制的内容比所选的多或少',
    },
    source: 'https://github.com/goharbor/harbor/issues/15385',
    describedAs: {
      en: [
        'the tag filter of the replication rule is ignored and every tag gets copied',
        'pull replication brings all tags of the repository instead of the matching ones',
        'name filter with a wildcard matches nothing, the replication copies zero images',
        'only the filtered tag arrives on the destination, the other tags of the same image are lost',
        'filters of the GitLab or Aliyun adapter select nothing or everything',
      ],
      zh: ['复制规则的标签过滤不生效', '拉取复制把所有标签都同步了', '复制过滤器通配符匹配不到镜像', '按标签过滤复制后其他标签丢失'],
    },
  },
  {
    id: 'slow-project-listing',
    what: {
      en: 'the Projects and Repositories pages and their API slow to answer (chart counts from ChartMuseum, many artifacts, slow database queries)',
      zh: '项目、仓库页面及其 API 响应很慢(ChartMuseum 统计 Chart、制品很多、数据库查询慢)',
    },
    source: 'https://github.com/goharbor/harbor/issues/13327',
    describedAs: {
      en: [
        'the projects page takes twenty seconds to show up',
        'listing repositories through the API got much slower after the upgrade',
        'a project with only a few images is still slow to load',
        'a repository with a handful of artifacts takes many seconds to open',
        'the projects API is slow because ChartMuseum counts the charts of each project on S3',
      ],
      zh: ['项目列表页面加载很慢', '仓库列表接口响应很慢', '升级后打开项目要等很久'],
    },
  },
  {
    id: 'ldaps-certificate',
    what: {
      en: 'LDAP over TLS (ldaps://): the LDAP server’s certificate and its CA, the verify-certificate option, handshake failures',
      zh: 'LDAP over TLS(ldaps://):LDAP 服务器证书及其 CA、校验证书选项、握手失败',
    },
    source: 'https://github.com/goharbor/harbor/issues/15216',
    describedAs: {
      en: [
        'switching the LDAP URL to ldaps makes the test connection fail',
        'with LDAP verify certificate checked, test LDAP server fails with an internal server error',
        'where to put the CA of the LDAP server so that Harbor trusts it',
        'ldaps on port 636 with a certificate from our own CA',
      ],
      zh: ['ldaps 连接失败', '勾选校验 LDAP 证书后测试失败', 'LDAP 服务器的 CA 证书放在哪里'],
    },
  },
  {
    id: 'gc-untagged-deletes-retained',
    what: {
      en: 'GC’s option for untagged artifacts deletes those artifacts outright, whatever tag retention keeps',
      zh: 'GC 的无标签制品选项会直接删除这些制品,不管标签保留策略是否保留',
    },
    source: 'https://github.com/goharbor/harbor/issues/17230',
    describedAs: {
      en: [
        'garbage collection with untagged artifacts allowed removes images the retention rule keeps',
        'untagged artifacts vanish after GC although the retention policy retains them',
        'the untagged option of GC deletes artifacts, it does not only clean their blobs',
        'a GC dry run with untagged artifacts checked already deleted them',
      ],
      zh: ['垃圾回收删除了保留策略要保留的无标签制品', 'GC 勾选无标签制品后镜像被删除', '垃圾回收不遵守标签保留策略'],
    },
  },
  {
    id: 'retention-database-load',
    what: {
      en: 'tag retention or bulk tag deletion loading the database to full CPU on repositories with thousands of tags',
      zh: '标签保留或批量删除标签在有数千标签的仓库上让数据库 CPU 满载',
    },
    source: 'https://github.com/goharbor/harbor/issues/14708',
    describedAs: {
      en: [
        'the database CPU is at 100% while a retention job runs',
        'deleting thousands of tags with retention pins the PostgreSQL server',
        'retention runs for days on a repository with many tags and pushes start failing',
      ],
      zh: ['执行保留策略时数据库 CPU 100%', '标签保留任务导致 PostgreSQL 负载很高', '删除大量标签时数据库很慢'],
    },
  },
  {
    id: 'api-repository-name-slash',
    what: {
      en: 'API calls on a repository whose name holds a slash, which answer 404 unless the name is URL-encoded twice (a/b as a%252Fb)',
      zh: '对名称含斜杠的仓库调用 API:名称需二次 URL 编码(a/b 写成 a%252Fb),否则返回 404',
    },
    source: 'https://github.com/goharbor/harbor/issues/12224',
    describedAs: {
      en: [
        'the REST API answers 404 for a repository whose name contains a slash',
        'deleting a nested repository through the API says it was not found',
        'repository names with a slash have to be encoded as %252F in the API path',
      ],
      zh: ['用 REST API 删除多级仓库时返回 404', '仓库名包含斜杠时接口提示不存在', '仓库名中的斜杠需要二次 URL 编码'],
    },
  },
  // Installation, infrastructure and operations (issue #14, third block).
  {
    id: 'nginx-ipv6-disabled',
    what: {
      en: 'Harbor’s nginx (or the portal’s) exiting at start on a host or node with IPv6 switched off, because its config listens on [::]',
      zh: '主机或节点关闭了 IPv6,Harbor 的 nginx(或 portal)因配置监听 [::] 而启动即退出',
    },
    source: 'https://github.com/goharbor/harbor/issues/19932',
    describedAs: {
      en: [
        'nginx fails to start on a server where IPv6 is disabled in the kernel',
        'portal and proxy pods crash on worker nodes without IPv6',
        'remove the listen [::] lines from the generated nginx.conf to make the proxy start',
        'hardened host with ipv6.disable=1, the Harbor proxy container exits right away',
      ],
      zh: ['服务器禁用 IPv6 后 nginx 容器起不来', '节点关闭 IPv6 后 portal 和 nginx 启动失败', '需要删掉 nginx.conf 里 listen [::] 那一行才能启动'],
    },
  },
  {
    id: 'ipv6-only-host',
    what: {
      en: 'Harbor on an IPv6-only host or cluster: the front end listening on IPv4 only, or the Docker network without IPv6',
      zh: '在纯 IPv6 主机或集群上部署 Harbor:前端只监听 IPv4,或 Docker 网络未启用 IPv6',
    },
    source: 'https://github.com/goharbor/harbor/issues/15350',
    describedAs: {
      en: [
        'Harbor is not reachable over IPv6 on an IPv6-only machine',
        'the https port only listens on 0.0.0.0, not on the IPv6 address',
        'how to run Harbor in a dual-stack or IPv6 single-stack environment',
      ],
      zh: ['纯 IPv6 环境下无法访问 Harbor', 'Harbor 只监听 IPv4 地址', '双栈或单栈 IPv6 集群部署 Harbor'],
    },
  },
  {
    id: 'read-only-mode',
    what: {
      en: 'Harbor left in read-only mode (the system setting, or one an old GC set): pushes and deletions refused until the option is cleared',
      zh: 'Harbor 处于只读模式(系统设置,或旧版 GC 设置后未恢复):推送和删除被拒,直到取消该选项',
    },
    source: 'https://github.com/goharbor/harbor/issues/8946',
    describedAs: {
      en: [
        'Harbor switched itself to read-only mode and nobody can push',
        'the banner says Harbor is set to read-only mode and deleting repositories is disabled',
        'how to turn off the read only option in the system settings',
        'pulls work but every push and delete is refused as read only',
      ],
      zh: ['Harbor 被设置为只读模式', '只读模式下无法推送和删除镜像', '如何关闭 Harbor 的只读模式', '系统设置里的只读选项取消不了'],
    },
  },
  {
    id: 'subpath-not-supported',
    what: {
      en: 'serving Harbor under a sub-path of another site (example.com/harbor/): not supported, it needs its own host name',
      zh: '把 Harbor 挂在其他站点的子路径下(example.com/harbor/):不支持,需要独立的域名',
    },
    source: 'https://github.com/goharbor/harbor/issues/19425',
    describedAs: {
      en: [
        'expose Harbor under a context path like /harbor behind our nginx',
        'with a location /harbor/ rule the portal loads its scripts from the root and stays on Loading',
        'can the base URL of Harbor be changed to a sub directory',
        'apache rewrite of /registry/harbor breaks the UI and the API',
      ],
      zh: ['Harbor 能否配置在子路径下访问', '通过 nginx 的 /harbor 路径转发后页面一直加载', '如何修改 Harbor 的访问根路径 context path'],
    },
  },
  {
    id: 'log-rotation',
    what: {
      en: 'the log files under /var/log/harbor not rotating (harbor-log’s logrotate and cron, rotate_count and rotate_size), filling the host disk',
      zh: '/var/log/harbor 下的日志不轮转(harbor-log 容器的 logrotate 与 cron、rotate_count 和 rotate_size),占满主机磁盘',
    },
    source: 'https://github.com/goharbor/harbor/issues/15468',
    describedAs: {
      en: [
        'jobservice.log in /var/log/harbor is several gigabytes, rotation does not happen',
        'logrotate in the harbor-log container never runs hourly',
        'rotate_size and rotate_count in harbor.yml have no effect on the log files',
        'keep one Harbor log file per day instead of rotating by size',
      ],
      zh: ['/var/log/harbor 日志文件越来越大不轮转', 'harbor-log 容器的 logrotate 不生效', 'jobservice.log 有好几个 G', '如何按天切割 Harbor 日志'],
    },
  },
  {
    id: 'compose-network-overlap',
    what: {
      en: 'the Docker network docker-compose creates for Harbor taking a 172.x range that overlaps the company network, so hosts there become unreachable',
      zh: 'docker-compose 为 Harbor 创建的网络占用了与公司内网重叠的 172.x 网段,导致那些主机不可达',
    },
    source: 'https://github.com/goharbor/harbor/issues/2634',
    describedAs: {
      en: [
        'the harbor bridge network overlaps with our internal subnet',
        'after installing Harbor some machines in 172.18.0.0/16 cannot be reached from the host',
        'how to set the subnet of the network in the generated docker-compose.yml',
      ],
      zh: ['Harbor 的 docker 网络和公司内网网段冲突', '安装 Harbor 后无法访问 172 网段的机器', '如何指定 Harbor 容器网络的子网'],
    },
  },
  {
    id: 'arm64-images',
    what: {
      en: 'running Harbor on arm64 (ARM servers, Apple silicon, Raspberry Pi): the official images are built for amd64 only',
      zh: '在 arm64(ARM 服务器、Apple 芯片、树莓派)上运行 Harbor:官方镜像只提供 amd64',
    },
    source: 'https://github.com/goharbor/harbor/issues/12945',
    describedAs: {
      en: [
        'Harbor containers fail with exec format error on an ARM server',
        'is there an arm64 build of the Harbor offline installer',
        'the goharbor images have no linux/arm64 variant in their manifest',
      ],
      zh: ['ARM 服务器上安装 Harbor 报 exec format error', 'Harbor 有没有 arm64 版本的镜像', '鲲鹏 飞腾 arm 架构部署 Harbor'],
    },
  },
  {
    id: 'openshift-scc',
    what: {
      en: 'the Helm chart on OpenShift: pods refused by the restricted security context constraint (fixed uid/fsGroup 10000)',
      zh: '在 OpenShift 上使用 Helm Chart:固定的 uid/fsGroup 10000 不符合 restricted SCC,Pod 被拒绝创建',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/874',
    describedAs: {
      en: [
        'installing the chart on OpenShift, no pod is created because of the security context constraint',
        'runAsUser 10000 is not in the uid range allowed for the project',
        'do the Harbor images support arbitrary user ids for OpenShift',
        'grant the anyuid SCC to the service account of the Harbor release',
      ],
      zh: ['OpenShift 上部署 Harbor 的 Pod 创建失败', 'runAsUser 10000 不在项目允许的 UID 范围内', 'Harbor 镜像不支持 OpenShift 的随机 UID'],
    },
  },
  {
    id: 'storage-redirect',
    what: {
      en: 'layers served by a redirect to the object store (S3, Swift, GCS) that clients cannot reach; storage redirect can be disabled',
      zh: '镜像层通过重定向到对象存储(S3、Swift、GCS)下载,而客户端访问不到该地址;可关闭存储重定向',
    },
    source: 'https://github.com/goharbor/harbor/issues/13037',
    describedAs: {
      en: [
        'pulls go straight to the S3 endpoint instead of through Harbor',
        'clients outside the network cannot resolve the bucket host that the registry redirects them to',
        'where to set redirect disable for the image storage in harbor.yml or the chart',
        'presigned bucket URLs from the registry are blocked by our firewall',
      ],
      zh: ['拉取镜像时客户端直接访问 S3 地址', '关闭 registry 存储重定向 redirect disable', '客户端无法访问对象存储的预签名地址'],
    },
  },
  {
    id: 'outbound-proxy-no-proxy',
    what: {
      en: 'Harbor behind a corporate HTTP proxy for outbound traffic: the proxy settings of harbor.yml or the chart and a no_proxy that leaves out internal components',
      zh: 'Harbor 通过企业 HTTP 代理访问外网:harbor.yml 或 Chart 的代理设置,以及漏掉内部组件的 no_proxy',
    },
    source: 'https://github.com/goharbor/harbor/issues/9554',
    describedAs: {
      en: [
        'after setting http_proxy in harbor.yml internal calls between components go to the corporate proxy',
        'no_proxy does not cover core, registry and jobservice, so Harbor breaks with the proxy enabled',
        'which components need the outbound proxy to reach Docker Hub for replication',
        'the squid log shows requests for core:8080 coming from the Harbor host',
      ],
      zh: ['配置 http_proxy 后 Harbor 内部组件互相访问失败', 'no_proxy 需要包含哪些组件', 'Harbor 如何通过公司代理访问外网仓库'],
    },
  },
  {
    id: 'core-memory-growth',
    what: {
      en: 'harbor-core or the registry using ever more memory (replication, scans, many artifacts) until the host swaps or the pod is killed',
      zh: 'harbor-core 或 registry 内存不断增长(复制、扫描、大量制品),直到主机开始交换或 Pod 被杀',
    },
    source: 'https://github.com/goharbor/harbor/issues/13556',
    describedAs: {
      en: [
        'the harbor_core process eats most of the RAM of the server',
        'memory of the registry pod keeps growing and is never released',
        'core consumes gigabytes of memory while a large replication runs',
        'memory leak in Harbor since the upgrade, the container is killed for memory',
      ],
      zh: ['harbor-core 内存占用越来越高', 'registry 容器内存一直增长不释放', 'Harbor 升级后内存泄漏'],
    },
  },
  {
    id: 'backup-restore',
    what: {
      en: 'backing up Harbor and restoring it elsewhere: the database (pg_dump), the registry storage, and the secret key files that decrypt stored passwords',
      zh: '备份 Harbor 并在别处恢复:数据库(pg_dump)、镜像存储,以及用于解密已存密码的 secret key 文件',
    },
    source: 'https://github.com/goharbor/harbor/issues/13536',
    describedAs: {
      en: [
        'how do I back up and restore the Harbor database and images',
        'copied the data directory to a new server but projects and images do not show',
        'move Harbor to another host with all users, projects and policies',
        'what must be saved besides /data for a full Harbor backup',
      ],
      zh: ['如何备份和恢复 Harbor', 'Harbor 迁移到新服务器', '拷贝 data 目录后新 Harbor 看不到项目和镜像'],
    },
  },
  {
    id: 'redis-memory-growth',
    what: {
      en: 'the Redis of Harbor holding gigabytes (jobservice queues and job data, the registry cache) until it is killed or its disk fills',
      zh: 'Harbor 的 Redis 占用数 GB(jobservice 队列与任务数据、registry 缓存),直到被杀或磁盘写满',
    },
    source: 'https://github.com/goharbor/harbor/issues/16122',
    describedAs: {
      en: [
        'redis of Harbor uses 25 GB of memory and gets OOMKilled',
        'the dump.rdb in /data/redis is several gigabytes',
        'which Redis keys of Harbor can be purged safely',
      ],
      zh: ['Harbor 的 redis 内存占用很大', '/data/redis 下的 dump.rdb 有好几个 G', 'Harbor 的 redis 数据可以清理吗'],
    },
  },
  {
    id: 'ingress-class-404',
    what: {
      en: 'the chart’s ingress ignored by the ingress controller (no ingressClassName, or the wrong class), so every URL answers 404',
      zh: 'Chart 的 Ingress 被 Ingress 控制器忽略(未设置 ingressClassName 或类名不对),所有地址返回 404',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/1189',
    describedAs: {
      en: [
        'after helm install the Harbor ingress host answers 404 from ingress-nginx',
        'the ingress of the chart gets no address and no backend',
        'where to set the ingress class name in the chart values',
      ],
      zh: ['helm 安装后访问 Harbor 域名返回 404', 'Harbor 的 ingress 没有分配地址', 'Chart 里如何设置 ingressClassName'],
    },
  },
  {
    id: 'pvc-multi-attach',
    what: {
      en: 'ReadWriteOnce volumes of the chart (registry, jobservice) that a new pod on another node cannot attach during an upgrade or with several replicas',
      zh: 'Chart 的 ReadWriteOnce 卷(registry、jobservice)在升级或多副本时无法挂载到其他节点上的新 Pod',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/224',
    describedAs: {
      en: [
        'after helm upgrade the registry and jobservice pods stay in ContainerCreating',
        'the volume is already used by the old pod on another worker node',
        'two jobservice replicas cannot share the same ReadWriteOnce claim',
        'set the deployment strategy to Recreate so the volume is released first',
      ],
      zh: ['helm 升级后 registry 和 jobservice 一直 ContainerCreating', '卷已被其他节点上的旧 Pod 占用', 'jobservice 多副本无法共用 RWO 卷'],
    },
  },
  {
    id: 'metrics-exporter',
    what: {
      en: 'Harbor’s Prometheus metrics: enabling them, the metrics port and path, the exporter and scraping from outside the cluster',
      zh: 'Harbor 的 Prometheus 监控指标:如何开启、指标端口与路径、exporter 以及从集群外采集',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/1031',
    describedAs: {
      en: [
        'metrics enabled in the values but the /metrics endpoint is not exposed',
        'the harbor-exporter pod never becomes ready',
        'how to scrape Harbor metrics with Prometheus or a ServiceMonitor',
        'some harbor_ metrics are missing from the exporter output',
      ],
      zh: ['开启 metrics 后访问不到 /metrics', 'harbor-exporter 一直不就绪', '如何用 Prometheus 监控 Harbor'],
    },
  },
  {
    id: 'http-port-conflict',
    what: {
      en: 'Harbor’s nginx taking port 80 (and 443) that another web server on the host needs; the ports are set in harbor.yml',
      zh: 'Harbor 的 nginx 占用了主机上其他 Web 服务需要的 80(和 443)端口;端口在 harbor.yml 里设置',
    },
    source: 'https://github.com/goharbor/harbor/issues/8287',
    describedAs: {
      en: [
        'another web server already uses port 80 on the host where Harbor runs',
        'how to disable the plain http port when https is enabled',
        'run Harbor on a custom http port such as 8080',
      ],
      zh: ['80 端口被其他服务占用,Harbor 如何改端口', '启用 https 后如何关闭 80 端口', 'Harbor 使用自定义端口安装'],
    },
  },
  {
    id: 'harbor-yml-syntax',
    what: {
      en: 'a harbor.yml that is not valid YAML (indentation, a tab, a commented-out parent key), so prepare stops with a Python traceback',
      zh: 'harbor.yml 不是合法的 YAML(缩进、制表符、注释掉了上级键),prepare 以 Python 报错退出',
    },
    source: 'https://github.com/goharbor/harbor/issues/17472',
    describedAs: {
      en: [
        'prepare prints a traceback when it parses harbor.yml',
        'install.sh stops at the preparing harbor configs step after editing the config file',
        'commented out the https block and now the yaml is invalid',
      ],
      zh: ['执行 prepare 报 Traceback', '修改 harbor.yml 后 install.sh 在 preparing harbor configs 步骤失败', 'harbor.yml 缩进错误导致安装失败'],
    },
  },
  {
    id: 'db-read-only-replica',
    what: {
      en: 'Harbor connected to a read-only PostgreSQL (a standby, a replica, or a pooler that sent writes to one after a failover)',
      zh: 'Harbor 连接到只读的 PostgreSQL(备库、只读副本,或故障切换后把写请求发往备库的连接池)',
    },
    source: 'https://github.com/goharbor/harbor/issues/15972',
    describedAs: {
      en: [
        'a standby Harbor pointed at a PostgreSQL replica cannot start',
        'after a database failover Harbor keeps writing to the old primary',
        'pgpool sends Harbor writes to the standby server',
      ],
      zh: ['Harbor 连接 PostgreSQL 只读副本无法启动', '数据库主备切换后 Harbor 写入失败', 'pgpool 把写请求发到了备库'],
    },
  },
  {
    id: 'installer-compose-not-found',
    what: {
      en: 'install.sh not finding docker-compose although it is installed (sudo’s PATH, or only the Compose v2 plugin of older installers)',
      zh: 'install.sh 找不到已安装的 docker-compose(sudo 的 PATH,或旧版安装程序只认 docker-compose 命令而非 Compose v2 插件)',
    },
    source: 'https://github.com/goharbor/harbor/issues/12226',
    describedAs: {
      en: [
        'the installer says docker-compose is missing but docker-compose version works',
        'running install.sh with sudo cannot find docker-compose in /usr/local/bin',
        'only docker compose v2 is installed and the Harbor installer refuses to continue',
      ],
      zh: ['安装脚本提示需要安装 docker-compose 但已经装了', 'sudo 执行 install.sh 找不到 docker-compose', '只有 docker compose v2 插件时安装失败'],
    },
  },
  {
    id: 'clock-skew-nodes',
    what: {
      en: 'clocks that differ between the Harbor hosts or nodes (no NTP), so a token one core issued is not yet valid on another',
      zh: 'Harbor 各主机或节点时间不一致(未配置 NTP),一个 core 签发的 token 在另一个 core 上还未生效',
    },
    source: 'https://github.com/goharbor/harbor/issues/15911',
    describedAs: {
      en: [
        'intermittent 401 in CI with several core replicas on nodes whose clocks differ',
        'the time on the Kubernetes nodes is not synchronised with NTP',
        'bearer token rejected as not valid yet because of clock drift',
      ],
      zh: ['服务器时间不一致导致 token 还未生效', 'k8s 节点时间不同步导致偶发 401', '多个 core 副本所在节点时钟有偏差'],
    },
  },
  {
    id: 'external-syslog-endpoint',
    what: {
      en: 'sending Harbor’s logs to a central syslog server (log.external_endpoint), which then stops the local files in /var/log/harbor',
      zh: '把 Harbor 日志发到集中的 syslog 服务器(log.external_endpoint),此后 /var/log/harbor 不再写本地文件',
    },
    source: 'https://github.com/goharbor/harbor/issues/16483',
    describedAs: {
      en: [
        'forward Harbor logs to graylog, ELK or fluent-bit',
        'with external_endpoint configured the local log files stay empty',
        'how to ship the component logs of a docker-compose Harbor to a remote log server',
      ],
      zh: ['Harbor 日志如何转发到远程日志服务器', '配置 external_endpoint 后本地日志没有了', 'Harbor 日志接入 ELK'],
    },
  },
  {
    id: 'cdn-cloudfront-middleware',
    what: {
      en: 'serving layers through a CDN (CloudFront in front of S3) with the registry’s storage middleware, set in the chart or the registry config',
      zh: '通过 CDN(S3 前面的 CloudFront)分发镜像层:registry 的存储中间件,在 Chart 或 registry 配置中设置',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/304',
    describedAs: {
      en: [
        'configure the CloudFront middleware for the registry of Harbor',
        'put a CDN in front of the S3 bucket to speed up pulls in other regions',
        'containerd does not follow the redirect to the CloudFront URL',
      ],
      zh: ['Harbor 的 registry 配置 CloudFront 中间件', '用 CDN 加速 Harbor 的镜像拉取', 'registry middleware 配置 CDN'],
    },
  },
  {
    id: 'trivy-scan-killed',
    what: {
      en: 'scans of big images failing because the Trivy adapter is killed at its memory limit (the chart’s small default resources)',
      zh: '扫描大镜像失败:Trivy 适配器超过内存限制被杀(Chart 默认的资源限制太小)',
    },
    source: 'https://github.com/goharbor/harbor/issues/15977',
    describedAs: {
      en: [
        'scanning an image of several gigabytes fails, trivy was killed',
        'the trivy pod is OOMKilled while it scans a large Java image',
        'raise the memory limit of the Trivy adapter in the chart values',
      ],
      zh: ['扫描大镜像时 trivy 被 kill', 'trivy 容器内存超限 OOMKilled', '调大 trivy 的内存限制'],
    },
  },
  {
    id: 'containers-unhealthy-status',
    what: {
      en: 'docker ps showing Harbor’s containers as (unhealthy) while they work, or the health API answering 200 with an unhealthy component',
      zh: 'docker ps 显示 Harbor 容器为 (unhealthy) 但服务正常,或健康检查接口带着不健康的组件仍返回 200',
    },
    source: 'https://github.com/goharbor/harbor/issues/17747',
    describedAs: {
      en: [
        'docker ps lists harbor-core, nginx and jobservice as unhealthy, yet the health API says healthy',
        'the load balancer health check cannot tell when Harbor is unhealthy',
        'which endpoint should a monitoring probe call to check Harbor',
      ],
      zh: ['docker ps 显示 Harbor 容器 unhealthy', '健康检查接口显示 healthy 但容器状态 unhealthy', '负载均衡的健康检查应该用哪个接口'],
    },
  },
  {
    id: 'chart-upgrade-renamed-claims',
    what: {
      en: 'a jump across many chart versions that renames the release’s resources, so new volume claims appear and Harbor looks freshly installed',
      zh: '跨多个 Chart 版本升级后资源名称改变,创建了新的 PVC,Harbor 看起来像全新安装',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/1540',
    describedAs: {
      en: [
        'after upgrading the chart from 1.5 to 1.12 all projects and images are gone',
        'the new chart created a database PVC with another name instead of reusing the old one',
        'existingClaim for the database is ignored after moving to a newer chart',
        'how to keep the old persistent volumes when upgrading the Harbor chart',
      ],
      zh: ['升级 Chart 后项目和镜像都不见了', '新版 Chart 创建了不同名称的 PVC', '升级 Harbor Chart 时如何复用旧的持久卷'],
    },
  },
  {
    id: 's3-incomplete-multipart',
    what: {
      en: 'incomplete multipart uploads that interrupted pushes leave in the S3 bucket: invisible to Harbor and to GC, removed only by a bucket lifecycle rule or by aborting them',
      zh: '中断的推送在 S3 存储桶里留下未完成的分段上传:Harbor 和 GC 都看不到,只能靠存储桶生命周期规则或手动中止清理',
    },
    source: 'https://github.com/goharbor/harbor/issues/17651',
    describedAs: {
      en: [
        'failed multipart uploads take space in the bucket quota',
        'list-multipart-uploads shows thousands of pending uploads from the registry',
        'add a lifecycle rule to abort incomplete multipart uploads for the Harbor bucket',
      ],
      zh: ['S3 存储桶里有大量未完成的分段上传', '推送失败后分段上传占用存储配额', '为 Harbor 存储桶配置中止未完成分段上传的生命周期规则'],
    },
  },
  {
    id: 'hostname-change',
    what: {
      en: 'moving Harbor to another host name or domain: hostname in harbor.yml, prepare and restart, the certificate, and clients that still use the old name',
      zh: 'Harbor 更换主机名或域名:修改 harbor.yml 的 hostname、重新 prepare 并重启、证书,以及仍使用旧名称的客户端',
    },
    source: 'https://github.com/goharbor/harbor/issues/7659',
    describedAs: {
      en: [
        'changed the domain name of Harbor but the pull command in the portal still shows the old one',
        'how to rename the Harbor server after installation',
        'edited hostname in harbor.yml and restarted, nothing changed',
      ],
      zh: ['修改域名后页面上的拉取命令还是旧域名', 'Harbor 安装后如何修改 hostname', '改了 harbor.yml 的 hostname 重启后不生效'],
    },
  },
  {
    id: 'install-without-root',
    what: {
      en: 'running the offline installer or docker-compose as a user without root: the files prepare writes belong to root or uid 10000',
      zh: '以非 root 用户运行离线安装程序或 docker-compose:prepare 生成的文件属于 root 或 uid 10000',
    },
    source: 'https://github.com/goharbor/harbor/issues/9728',
    describedAs: {
      en: [
        'installing Harbor with an account that has no root privileges fails',
        'docker-compose up cannot read the env files under common/config',
        'can Harbor be installed and run as a non-root user',
      ],
      zh: ['非 root 用户安装 Harbor 失败', '没有 root 权限如何安装 Harbor', 'docker-compose 读取 common/config 下的 env 文件没有权限'],
    },
  },
  {
    id: 'job-logs-several-jobservices',
    what: {
      en: 'job logs that cannot be opened with several jobservice replicas or nodes: the file logger writes on one node only, the database logger serves them all',
      zh: '多个 jobservice 副本或节点时打不开任务日志:文件日志只写在一个节点上,数据库日志可供所有副本读取',
    },
    source: 'https://github.com/goharbor/harbor/issues/13011',
    describedAs: {
      en: [
        'opening the log of a finished job gives an internal server error with two jobservice pods',
        'switch the jobservice job logger from file to database for high availability',
        'job log files exist on one node but the request goes to another',
      ],
      zh: ['多个 jobservice 副本时查看任务日志报 500', 'jobservice 日志改为存数据库', '任务日志文件只在其中一个节点上'],
    },
  },
  {
    id: 'bad-gateway-after-install',
    what: {
      en: 'the portal answering 502 Bad Gateway while every container reports healthy: Harbor’s nginx cannot reach core or portal on the compose network (DNS search domains, a proxy, a changed config)',
      zh: '所有容器都 healthy,门户却返回 502 Bad Gateway:Harbor 的 nginx 在 compose 网络里连不上 core 或 portal(DNS 搜索域、代理、改过的配置)',
    },
    source: 'https://github.com/goharbor/harbor/issues/20283',
    describedAs: {
      en: [
        'docker-compose ps shows everything healthy but the web page says 502 Bad Gateway',
        'proxy.log shows connect() failed while connecting to upstream after a fresh install',
        'adding dns_search to the generated docker-compose.yml fixed the 502',
      ],
      zh: ['docker-compose ps 都是 healthy,网页访问 502 Bad Gateway', '安装后访问 Harbor 页面 502', 'nginx 日志 connect() failed while connecting to upstream'],
    },
  },
  {
    id: 'container-timezone',
    what: {
      en: 'times in Harbor’s logs and containers in UTC instead of local time; only some images honour TZ or a mounted /etc/localtime',
      zh: 'Harbor 日志和容器的时间是 UTC 而不是本地时间;只有部分镜像支持 TZ 或挂载的 /etc/localtime',
    },
    source: 'https://github.com/goharbor/harbor/issues/20807',
    describedAs: {
      en: [
        'log timestamps of Harbor are eight hours off from local time',
        'set the time zone of the Harbor containers with docker-compose.override.yml',
        'the times shown for jobs are in UTC, how to change the time zone',
      ],
      zh: ['Harbor 日志时间和本地时间差 8 小时', '如何修改 Harbor 容器的时区', 'Harbor 容器时区设置不生效'],
    },
  },
  {
    id: 'postgres-shared-memory',
    what: {
      en: 'the bundled PostgreSQL running out of shared memory (/dev/shm of 64 MB in the container) on large queries',
      zh: '自带的 PostgreSQL 在大查询时共享内存不足(容器的 /dev/shm 只有 64 MB)',
    },
    source: 'https://github.com/goharbor/harbor/issues/15034',
    describedAs: {
      en: [
        'harbor-db logs errors about resizing a shared memory segment',
        'increase shm_size of the Harbor database container',
        'the project quota query fails with no room in /dev/shm',
      ],
      zh: ['harbor-db 报共享内存段无法调整大小', '调大 Harbor 数据库容器的 shm_size', '数据库容器 /dev/shm 空间不足'],
    },
  },
];

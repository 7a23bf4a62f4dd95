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
  // Jobs and artifacts: replication of other kinds, proxy cache, scanners, GC, artifacts and clients (2026-12-01, helper oth2).
  {
    id: 'replication-bandwidth-limit',
    what: {
      en: 'the bandwidth (speed) limit of a replication rule that is ignored or throttles far below the value set (Kbps, per task)',
      zh: '复制规则的带宽限制不生效,或实际速度远低于设定值(单位 Kbps,按任务计)',
    },
    source: 'https://github.com/goharbor/harbor/issues/16139',
    describedAs: {
      en: [
        'bandwidth limit set on the replication rule has no effect, transfers use the whole link',
        'replication runs ten times slower than the speed limit configured',
        'how to throttle replication so it does not saturate the WAN line',
        'the speed field of the rule stays at -1 unlimited after saving',
      ],
      zh: ['复制带宽限制不生效', '复制占满了专线带宽,怎么限速', '设置限速后复制速度远低于设定值'],
    },
  },
  {
    id: 'replication-cron-schedule',
    what: {
      en: 'scheduled replication whose cron never fires or fires at the wrong hour: Harbor’s cron has six fields, seconds first, and is evaluated in UTC',
      zh: '定时复制的 cron 不触发或时间不对:Harbor 的 cron 有六位,第一位是秒,按 UTC 计算',
    },
    source: 'https://github.com/goharbor/harbor/issues/11057',
    describedAs: {
      en: [
        'scheduled replication never starts at the time written in the cron expression',
        'a cron string with five fields is rejected or fires every minute',
        'the schedule fires hours off because the cron is evaluated in UTC, not local time',
        'replication set to run daily at 5 am did not trigger',
      ],
      zh: ['定时复制没有按 cron 表达式执行', 'Harbor 的 cron 是六位,第一位是秒', '定时任务执行时间差了 8 小时'],
    },
  },
  {
    id: 'replication-multi-arch',
    what: {
      en: 'replication of multi-arch images: the whole index with every platform is the unit copied, there is no filter for one architecture',
      zh: '多架构镜像的复制:整个索引连同所有平台一起复制,不能只选某个架构',
    },
    source: 'https://github.com/goharbor/harbor/issues/11937',
    describedAs: {
      en: [
        'replicating from Docker Hub also brings the windows and arm variants nobody needs',
        'how to replicate only the amd64 image of a multi-platform tag',
        'the multi-arch manifest list arrives on the other registry with platforms missing',
        'an updated manifest list pushed under the same tag is not sent to the remote',
      ],
      zh: ['复制多架构镜像会把所有架构都同步过去', '如何只复制 amd64 架构的镜像', '多架构镜像复制到目标仓库后架构缺失'],
    },
  },
  {
    id: 'replication-harbor-version-mismatch',
    what: {
      en: 'replication between Harbor instances of different major versions (1.x and 2.x), which is not supported: tasks fail with 404 or 500 after upgrading one side',
      zh: '不同大版本 Harbor(1.x 与 2.x)之间的复制不受支持:升级一端后任务报 404 或 500',
    },
    source: 'https://github.com/goharbor/harbor/issues/11302',
    describedAs: {
      en: [
        'replication to the old Harbor 1.x broke after upgrading this site to 2.0',
        'pulling from a Harbor 1.5 into a 2.x instance answers 404 page not found',
        'is replicating between different Harbor releases supported',
        'both sites must run the same Harbor version for replication to work',
      ],
      zh: ['不同版本的 Harbor 之间复制失败', '1.x 升级到 2.0 后同步不工作了', '低版本 Harbor 向高版本同步镜像报 404'],
    },
  },
  {
    id: 'replication-helm-charts',
    what: {
      en: 'replicating Helm charts kept in ChartMuseum: chart tasks fail with 404 or a chart name format error, never reach registries that are not Harbor, and only OCI charts travel as artifacts',
      zh: '复制 ChartMuseum 中的 Helm Chart:任务报 404 或 chart 名称格式错误,无法复制到非 Harbor 仓库,只有 OCI chart 作为制品复制',
    },
    source: 'https://github.com/goharbor/harbor/issues/14637',
    describedAs: {
      en: [
        'images replicate fine but the helm charts of the same project fail with 404',
        'the chart resource option vanished from the replication rule',
        'replicating charts to AWS ECR copies only the images',
        'chart replication with a flattening level fails on the chart name',
      ],
      zh: ['Helm Chart 复制失败,镜像复制正常', 'chartmuseum 里的 chart 无法同步到另一个 Harbor', '复制规则里没有 chart 资源选项'],
    },
  },
  {
    id: 'replication-to-docker-hub',
    what: {
      en: 'push replication from Harbor to Docker Hub: the endpoint test passes but pushes fail (401, the namespace must be the Docker Hub account or organisation)',
      zh: '从 Harbor 推送复制到 Docker Hub:连接测试通过但推送失败(401,命名空间必须是 Docker Hub 账号或组织)',
    },
    source: 'https://github.com/goharbor/harbor/issues/8905',
    describedAs: {
      en: [
        'push-based replication to Docker Hub fails with 401 although the connection test succeeds',
        'destination namespace is ignored when replicating images to hub.docker.com',
        'how to publish images from Harbor to our Docker Hub organisation automatically',
      ],
      zh: ['复制到 Docker Hub 报 401', '推送复制到 Docker Hub 失败', '复制到 Docker Hub 时目标命名空间不生效'],
    },
  },
  {
    id: 'replication-copy-by-chunk',
    what: {
      en: 'the “copy by chunk” option of a replication rule (Harbor 2.7+) for big layers that fail and start over; not every target registry accepts chunked uploads',
      zh: '复制规则的“按块复制”选项(Harbor 2.7+):用于失败后从头重来的大镜像层;并非所有目标仓库都接受分块上传',
    },
    source: 'https://github.com/goharbor/harbor/issues/17552',
    describedAs: {
      en: [
        'replicating images with multi-gigabyte layers fails halfway and starts from zero',
        'what does the copy by chunk checkbox of the replication rule do',
        'with copy by chunk enabled the destination registry rejects the upload',
      ],
      zh: ['复制规则的按块复制选项是什么', '大镜像层复制失败后从头开始', '开启分块复制后目标仓库拒绝上传'],
    },
  },
  {
    id: 'replication-accessories',
    what: {
      en: 'signatures, SBOMs and other accessories of an artifact that replication or artifact copy does not carry completely',
      zh: '复制或制品拷贝没有完整带上制品的签名、SBOM 等附件',
    },
    source: 'https://github.com/goharbor/harbor/issues/18404',
    describedAs: {
      en: [
        'signatures are not replicated together with the image',
        'after copying an artifact to another project only one of its signatures is there',
        'the replicated image shows as unsigned on the destination Harbor',
      ],
      zh: ['复制后镜像签名丢失', '复制制品时附件(签名、SBOM)没有一起过去', '目标端镜像显示未签名'],
    },
  },
  {
    id: 'proxy-cache-stale-tag',
    what: {
      en: 'a proxy cache project that keeps serving the old digest of a moving tag (latest) after the source registry moved it',
      zh: '上游的可变标签(latest)更新后,代理缓存项目仍返回旧的 digest',
    },
    source: 'https://github.com/goharbor/harbor/issues/19429',
    describedAs: {
      en: [
        'the proxy cache keeps returning the old latest image after a new one was published at the source',
        'pulls through the cache keep giving a stale digest for days',
        'how often does the proxy cache look for a newer tag at the source',
      ],
      zh: ['代理缓存一直返回旧的 latest 镜像', '上游更新了标签但代理缓存没有更新', '代理缓存的镜像不会刷新'],
    },
  },
  {
    id: 'proxy-cache-untagged-platforms',
    what: {
      en: 'artifacts a proxy cache project stores without their tag, tagged only minutes later, or with only the one platform that was pulled instead of the whole index',
      zh: '代理缓存项目保存的制品没有标签、几分钟后才有标签,或只保存被拉取的那个平台而不是整个索引',
    },
    source: 'https://github.com/goharbor/harbor/issues/20920',
    describedAs: {
      en: [
        'images pulled through the proxy cache appear without any tag in the project',
        'cached artifacts get their tag only several minutes after the pull',
        'pulling the arm64 and amd64 variants through the cache gives two separate untagged artifacts',
        'the cached image index lists only one architecture',
      ],
      zh: ['代理缓存拉取的镜像没有标签', '通过代理缓存拉取后过几分钟才出现标签', '代理缓存的多架构镜像只有一个平台'],
    },
  },
  {
    id: 'proxy-cache-containerd-mirror',
    what: {
      en: 'using a Harbor proxy cache project as a registry mirror for containerd or CRI-O (the project path in hosts.toml, override_path)',
      zh: '把 Harbor 代理缓存项目用作 containerd 或 CRI-O 的镜像加速(hosts.toml 中的项目路径、override_path)',
    },
    source: 'https://github.com/goharbor/harbor/issues/18530',
    describedAs: {
      en: [
        'configure containerd to use a Harbor proxy cache project as the docker.io mirror',
        'crictl pull through the mirror fails with unexpected media type text/html',
        'Kubernetes nodes ignore the Harbor mirror and still go to Docker Hub',
        'a mirror entry with the project path in hosts.toml answers 404',
      ],
      zh: ['containerd 配置 Harbor 代理缓存作为镜像加速', 'k8s 节点通过 Harbor 镜像加速拉取失败', 'hosts.toml 里怎么写 Harbor 代理项目的路径'],
    },
  },
  {
    id: 'scan-on-push-not-triggered',
    what: {
      en: '“Automatically scan images on push” leaving new images Not Scanned (the scanner’s data not ready yet, several Harbor instances not sharing one job queue)',
      zh: '开启“推送时自动扫描”后新镜像仍是未扫描(扫描器数据尚未就绪、多个 Harbor 实例不共用任务队列)',
    },
    source: 'https://github.com/goharbor/harbor/issues/9321',
    describedAs: {
      en: [
        'automatic scan on push is enabled but new images stay not scanned',
        'new artifacts are never scanned by themselves, clicking Scan works',
        'the scan on push setting seems to do nothing',
      ],
      zh: ['开启推送时自动扫描但镜像没有被扫描', '自动扫描不生效,手动扫描正常', '推送后镜像一直是未扫描状态'],
    },
  },
  {
    id: 'trivy-scan-timeout',
    what: {
      en: 'Trivy scans of large images failing on Trivy’s own timeout (“Increase --timeout value”, five minutes by default, SCANNER_TRIVY_TIMEOUT)',
      zh: 'Trivy 扫描大镜像时超出自身超时(“Increase --timeout value”,默认 5 分钟,SCANNER_TRIVY_TIMEOUT)而失败',
    },
    source: 'https://github.com/goharbor/harbor/issues/17266',
    describedAs: {
      en: [
        'scanning a big image fails after exactly five minutes',
        'how to raise the Trivy timeout of the Harbor scanner adapter',
        'Trivy reports context deadline exceeded on images of several gigabytes',
        'small images scan fine, large ones end in an error',
      ],
      zh: ['Trivy 扫描大镜像超时失败', '如何调大 Trivy 扫描超时时间', '扫描报 context deadline exceeded'],
    },
  },
  {
    id: 'sbom-generation',
    what: {
      en: 'SBOM generation (Harbor 2.11+) failing or not appearing: automatic SBOM on push, index artifacts, the scanner’s log',
      zh: 'SBOM 生成(Harbor 2.11+)失败或不显示:推送时自动生成、索引类制品、扫描器日志',
    },
    source: 'https://github.com/goharbor/harbor/issues/20670',
    describedAs: {
      en: [
        'automatically generate SBOM on push is checked but no SBOM appears',
        'SBOM generation fails and its log shows an error from the scanner',
        'the SBOM tab of an artifact is empty',
      ],
      zh: ['自动生成 SBOM 不生效', 'SBOM 生成失败', '制品的 SBOM 为空'],
    },
  },
  {
    id: 'scanner-registration',
    what: {
      en: 'adding a scanner (external Trivy, Clair, Anchore or another adapter) that Harbor reports unreachable or unhealthy: Harbor needs an adapter speaking its scanner API, not a bare Trivy server',
      zh: '添加扫描器(外部 Trivy、Clair、Anchore 等适配器)时提示不可达或不健康:Harbor 需要实现其扫描器 API 的适配器,而不是单独的 Trivy 服务',
    },
    source: 'https://github.com/goharbor/harbor/issues/21617',
    describedAs: {
      en: [
        'adding a new scanner in Interrogation Services says the registration is unreachable',
        'can Harbor use our standalone Trivy server as its scanner',
        'the external Anchore or Clair adapter shows unhealthy in the scanners list',
        'the scanner endpoint answers in a browser but its test connection fails',
      ],
      zh: ['添加扫描器提示 unreachable', '外部 Trivy 服务无法添加为扫描器', '扫描器状态显示不健康'],
    },
  },
  {
    id: 'clair-removed',
    what: {
      en: 'Clair no longer shipped with Harbor (deprecated in 2.2): the installer option is gone, the default scanner changes and earlier scan results disappear after upgrading',
      zh: 'Harbor 不再自带 Clair(2.2 弃用):安装选项没有了,默认扫描器改变,升级后之前的扫描结果消失',
    },
    source: 'https://github.com/goharbor/harbor/issues/13249',
    describedAs: {
      en: [
        'the with-clair option of the installer disappeared after upgrading',
        'the default scanner switched from Clair to Trivy and earlier scan results are gone',
        'how to keep using Clair with a newer Harbor',
      ],
      zh: ['升级后 Clair 扫描器没有了', '安装脚本没有 --with-clair 选项', '升级后默认扫描器变成了 Trivy,之前的扫描结果丢失'],
    },
  },
  {
    id: 'gc-dry-run-estimate',
    what: {
      en: 'a GC dry run whose estimate differs from what the real run removes (by design: some blobs are counted only once others are really deleted)',
      zh: 'GC 试运行的估算与实际运行删除的不一致(设计如此:部分 blob 要等其他 blob 真正删除后才会计入)',
    },
    source: 'https://github.com/goharbor/harbor/issues/13976',
    describedAs: {
      en: [
        'the dry run reports nothing to delete, then the real garbage collection frees space',
        'the dry run estimate does not match what GC actually removes',
        'a dry run of garbage collection shows no details of what it would delete',
      ],
      zh: ['GC 试运行显示没有可删除的', '垃圾回收模拟运行的结果与实际不一致', 'GC dry run 没有详细信息'],
    },
  },
  {
    id: 'gc-s3-versioning',
    what: {
      en: 'an S3 bucket with versioning on (or no lifecycle rule for old versions and unfinished multipart uploads): deleted objects stay as noncurrent versions, so the bucket keeps its size whatever Harbor deletes',
      zh: 'S3 存储桶开启了版本控制(或没有清理旧版本和未完成分段上传的生命周期规则):删除的对象作为旧版本保留,无论 Harbor 删除多少存储桶大小都不变',
    },
    source: 'https://github.com/goharbor/harbor/issues/21157',
    describedAs: {
      en: [
        'S3 bucket versioning is on and deleted layers are kept as old versions',
        'delete markers appear in the bucket but the original objects are still billed',
        'do we need a lifecycle rule expiring noncurrent versions for the registry bucket',
        'a Cloudian or MinIO bucket with versioning keeps every blob Harbor deleted',
      ],
      zh: ['S3 开启了版本控制,删除的镜像层仍占用空间', '存储桶需要配置生命周期规则清理旧版本', '出现了删除标记但对象还在'],
    },
  },
  {
    id: 'registry-uploads-folder',
    what: {
      en: 'the registry’s _uploads folders filling the storage with leftovers of interrupted pushes, which GC does not clean (upload purging in the registry’s configuration)',
      zh: 'registry 的 _uploads 目录堆满中断推送留下的文件,GC 不会清理(registry 配置中的 uploadpurging)',
    },
    source: 'https://github.com/goharbor/harbor/issues/15641',
    describedAs: {
      en: [
        'the _uploads folders take up more than 90 GB',
        'disk usage on the storage is twice what the UI reports, mostly under _uploads',
        'how to enable upload purging for the registry in Harbor',
        'interrupted pushes leave big files under _uploads',
      ],
      zh: ['_uploads 目录占用空间很大', '实际磁盘占用比界面显示的大很多', '如何开启 registry 的上传清理'],
    },
  },
  {
    id: 'read-only-mode',
    what: {
      en: 'Harbor left in read-only mode (the system setting, or a 1.x GC that set it): pushes, tag and repository deletions are refused until it is switched off',
      zh: 'Harbor 处于只读模式(系统设置,或 1.x 的 GC 打开后未关闭):推送、删除标签和仓库都被拒绝,直到关闭它',
    },
    source: 'https://github.com/goharbor/harbor/issues/10615',
    describedAs: {
      en: [
        'Harbor says it is set to read-only mode and refuses pushes',
        'the system is in read only mode, how to turn it off',
        'read-only mode is still on although garbage collection has finished',
        'deleting tags is disabled because the registry is read only',
      ],
      zh: ['Harbor 处于只读模式无法推送', '如何关闭 Harbor 只读模式', '垃圾回收结束后仍然是只读模式'],
    },
  },
  {
    id: 'registry-binary-gc',
    what: {
      en: 'running the registry’s own garbage-collect command by hand (Harbor 1.x, with Harbor stopped or read-only); since 2.0 the binary is named registry_DO_NOT_USE_GC and GC runs from Harbor only',
      zh: '手动执行 registry 自带的 garbage-collect(Harbor 1.x,需停止 Harbor 或设为只读);2.0 起该程序改名为 registry_DO_NOT_USE_GC,只能由 Harbor 执行 GC',
    },
    source: 'https://github.com/goharbor/harbor/issues/7910',
    describedAs: {
      en: [
        'running registry garbage-collect inside the registry container with docker run',
        'we stop Harbor every night to run the docker distribution garbage collector',
        'why is the registry binary called registry_DO_NOT_USE_GC',
        'can I call garbage-collect with --delete-untagged on the registry config',
      ],
      zh: ['手动在 registry 容器里执行 garbage-collect', 'registry_DO_NOT_USE_GC 是什么意思', '停掉 Harbor 执行 registry 垃圾回收'],
    },
  },
  {
    id: 'jobservice-job-logs',
    what: {
      en: 'job log files under /var/log/jobs filling the jobservice volume or its inodes (the log sweeper), after which every new job fails',
      zh: '/var/log/jobs 下的任务日志占满 jobservice 卷或其 inode(日志清理器),之后所有新任务都失败',
    },
    source: 'https://github.com/goharbor/harbor/issues/23173',
    describedAs: {
      en: [
        'the jobservice volume ran out of inodes because of job log files',
        '/var/log/jobs holds hundreds of thousands of small log files',
        'the job logger sweeper does not delete old job logs',
        'jobs fail with object is not found after the job log volume filled up',
      ],
      zh: ['jobservice 日志目录占满了 inode', '/var/log/jobs 下日志文件太多', '任务日志不会自动清理'],
    },
  },
  {
    id: 'redis-memory-growth',
    what: {
      en: 'Harbor’s Redis growing to many gigabytes of memory (job queue data, scan reports, job stats kept for a day) until it is OOM-killed',
      zh: 'Harbor 的 Redis 内存涨到数十 GB(任务队列数据、扫描报告、保留一天的任务统计),直到被 OOM kill',
    },
    source: 'https://github.com/goharbor/harbor/issues/16122',
    describedAs: {
      en: [
        'redis uses 25 GB of memory and gets OOM killed',
        'the dump.rdb of Harbor redis grows to several gigabytes',
        'a big Scan All fills Redis with job stats and scan reports',
        'can the keys in Harbor redis be purged safely',
      ],
      zh: ['Harbor 的 Redis 内存占用很高', 'Redis 被 OOM kill', 'Redis 数据文件越来越大'],
    },
  },
  {
    id: 'oci-artifact-push',
    what: {
      en: 'pushing OCI artifacts of other kinds with ORAS or similar tools (custom media types and config blobs), which Harbor shows as unknown or refuses',
      zh: '用 ORAS 等工具推送其他类型的 OCI 制品(自定义 media type 与 config),Harbor 显示为 unknown 或拒绝',
    },
    source: 'https://github.com/goharbor/harbor/issues/12544',
    describedAs: {
      en: [
        'oras push of a custom artifact to Harbor fails',
        'artifacts pushed with oras show type unknown in the UI',
        'can Harbor store arbitrary files as OCI artifacts',
      ],
      zh: ['用 oras 推送自定义制品到 Harbor 失败', 'oras 推送的制品类型显示 unknown', 'Harbor 能否存储任意 OCI 制品'],
    },
  },
  {
    id: 'manifest-list-harbor-1',
    what: {
      en: 'multi-arch images (manifest lists, OCI indexes) pushed to Harbor 1.x, which refuses them (“Manifest.list is not supported”); supported from 2.0',
      zh: '向 Harbor 1.x 推送多架构镜像(manifest list、OCI 索引)被拒(“Manifest.list is not supported”);2.0 起支持',
    },
    source: 'https://github.com/goharbor/harbor/issues/11932',
    describedAs: {
      en: [
        'pushing a multi-arch image to Harbor 1.10 is refused',
        'docker manifest push to Harbor fails, manifest lists are not supported',
        'podman manifest push gets unsupported media type from Harbor',
        'which Harbor release supports manifest lists and OCI indexes',
      ],
      zh: ['Harbor 1.10 不支持推送多架构镜像', 'docker manifest push 推送到 Harbor 失败', '推送 manifest list 报不支持'],
    },
  },
  {
    id: 'helm-oci-charts',
    what: {
      en: 'Helm charts as OCI artifacts: helm push and pull with oci:// failing, OCI projects not usable with helm repo add, oci:// dependencies',
      zh: 'Helm chart 作为 OCI 制品:helm push/pull oci:// 失败、OCI 项目不能 helm repo add、oci:// 依赖',
    },
    source: 'https://github.com/goharbor/harbor/issues/22836',
    describedAs: {
      en: [
        'helm push of a chart to oci:// on Harbor fails',
        'OCI charts cannot be reached through helm repo add, only with oci:// references',
        'helm pull oci fails with unexpected commit digest',
        'how to use charts stored as OCI artifacts as dependencies',
      ],
      zh: ['helm push 推送 OCI chart 到 Harbor 失败', 'OCI chart 不能用 helm repo add 添加', 'helm pull oci 拉取 chart 失败'],
    },
  },
  {
    id: 'copy-artifact',
    what: {
      en: 'copying (retagging) an artifact in the portal or by the API: the target name format, copies inside one repository, tags carried along, children of an index',
      zh: '在门户或通过 API 复制(重新打标签)制品:目标名称格式、同一仓库内复制、标签随之复制、索引的子制品',
    },
    source: 'https://github.com/goharbor/harbor/issues/22388',
    describedAs: {
      en: [
        'copying an artifact to a new tag in the same repository gives a repository name error',
        'the copy action brings all tags along and overwrites tags in the target repository',
        'copy an image from one project to another without pulling and pushing',
        'copying a child image of a multi-arch index to another project fails',
      ],
      zh: ['复制镜像到同一仓库的新标签报仓库名错误', '如何在项目之间复制镜像', '复制制品会覆盖目标仓库的标签'],
    },
  },
  {
    id: 'digest-vs-image-id',
    what: {
      en: 'digests that look wrong: Harbor shows the manifest digest, not docker’s image ID, and adding a tag keeps the same digest',
      zh: '看起来不对的 digest:Harbor 显示的是 manifest 的 digest 而不是 docker 的镜像 ID,新增标签不会改变 digest',
    },
    source: 'https://github.com/goharbor/harbor/issues/20964',
    describedAs: {
      en: [
        'the digest in Harbor differs from the image ID docker images prints',
        'pushing a new build did not change the digest shown in Harbor',
        'several tags share the same digest, is that expected',
        'how to compare a local image with the one stored in Harbor',
      ],
      zh: ['Harbor 显示的 digest 与本地镜像 ID 不一致', '推送后 digest 没有变化', '多个标签指向同一个 digest'],
    },
  },
  {
    id: 'buildx-attestations',
    what: {
      en: 'BuildKit attestations (provenance, SBOM) in images built with docker buildx, which Harbor lists as extra unknown/unknown artifacts in the index',
      zh: 'docker buildx 构建的镜像中的 BuildKit 证明(provenance、SBOM),Harbor 在索引中显示为额外的 unknown/unknown 制品',
    },
    source: 'https://github.com/goharbor/harbor/issues/22848',
    describedAs: {
      en: [
        'buildx push creates an extra artifact with OS/ARCH unknown/unknown',
        'every multi-arch image in Harbor lists unknown/unknown entries next to amd64 and arm64',
        'how to stop docker buildx from adding provenance to images pushed to Harbor',
      ],
      zh: ['buildx 推送后出现 unknown/unknown 架构的制品', '多架构镜像里多了 unknown 平台', '如何关闭 buildx 的 provenance'],
    },
  },
  {
    id: 'artifact-referenced-delete',
    what: {
      en: 'an artifact that cannot be deleted because something references it: a child of an index, a signature or other accessory, or the subject of one',
      zh: '制品因被引用而无法删除:索引的子制品、签名等附件,或附件所指向的主体',
    },
    source: 'https://github.com/goharbor/harbor/issues/20092',
    describedAs: {
      en: [
        'deleting the image says the artifact is referenced by other resources',
        'a signed image or its signature cannot be removed from the project',
        'the child manifests of a multi-arch index cannot be deleted on their own',
      ],
      zh: ['删除镜像提示被其他资源引用', '签名过的镜像无法删除', '多架构镜像的子制品无法单独删除'],
    },
  },
  {
    id: 'gc-schedule-not-running',
    what: {
      en: 'a GC schedule that ran once and never again, or seems lost: a periodic GC keeps refreshing one history row, and the schedule lives in the jobservice’s Redis',
      zh: 'GC 定时只执行一次或似乎丢失:周期 GC 只刷新同一条历史记录,定时信息保存在 jobservice 的 Redis 中',
    },
    source: 'https://github.com/goharbor/harbor/issues/13917',
    describedAs: {
      en: [
        'the daily garbage collection schedule ran the first night and then no more',
        'the GC schedule had to be saved again before it ran the next day',
        'the history of a scheduled GC shows only one entry whose end time changes',
        'the garbage collection schedule vanished after the Redis data was wiped',
      ],
      zh: ['每日定时垃圾回收只执行了一次', 'GC 定时需要重新保存才会执行', '清空 Redis 后 GC 定时丢失'],
    },
  },
  {
    id: 'scan-results-differ',
    what: {
      en: 'vulnerability results in Harbor that differ from the Trivy CLI or between two Harbor instances (adapter and Trivy versions, the age of the vulnerability DB, old reports kept)',
      zh: 'Harbor 中的漏洞结果与 Trivy 命令行或另一个 Harbor 实例不同(适配器与 Trivy 版本、漏洞库新旧、保留的旧报告)',
    },
    source: 'https://github.com/goharbor/harbor/issues/18523',
    describedAs: {
      en: [
        'Harbor lists fewer CVEs for an image than running trivy locally',
        'the same image shows different vulnerabilities on two Harbor instances',
        'fixable vulnerabilities reported by the trivy command line are missing in the Harbor report',
        'severity of a CVE in Harbor differs from the vendor advisory',
      ],
      zh: ['Harbor 扫描结果与本地 trivy 不一致', '同一个镜像在两个 Harbor 上漏洞数量不同', 'Harbor 漏洞报告缺少可修复的漏洞'],
    },
  },
  // Authentication and access (helper oth1, 2026-12-01): OIDC, LDAP, UAA and auth-proxy settings, robot and
  // project permissions, deployment-security policies, the portal's session and language, accounts, the v2.0 API.
  {
    id: 'oidc-admin-group',
    what: {
      en: 'OIDC Admin Group: members of the identity provider’s group do not become Harbor system admins (group claim name, scopes, sign in again)',
      zh: 'OIDC 管理员组:身份提供方组的成员没有成为 Harbor 系统管理员(组声明名称、scope、需重新登录)',
    },
    source: 'https://github.com/goharbor/harbor/issues/19587',
    describedAs: {
      en: [
        'users in the OIDC admin group do not get administrator rights in Harbor',
        'group claim name configured but the Keycloak groups never reach Harbor',
        'ADFS or Azure AD does not put the groups into the ID token, the OIDC admin group has no effect',
        'admin rights from the identity provider group apply only after signing in again',
      ],
      zh: ['OIDC 管理员组的成员没有获得 Harbor 管理员权限', 'OIDC 组声明配置后 Harbor 看不到用户组', 'Keycloak 组映射为 Harbor 管理员不生效'],
    },
  },
  {
    id: 'oidc-group-project-member',
    what: {
      en: 'OIDC groups added to a project as members that give their users no access (groups claim missing from the ID token, Keycloak group paths, Entra ID group ids)',
      zh: 'OIDC 组添加为项目成员后其用户没有权限(ID token 中缺少组声明、Keycloak 组路径、Entra ID 组 ID)',
    },
    source: 'https://github.com/goharbor/harbor/issues/11808',
    describedAs: {
      en: [
        'added the OIDC group to the project but its users do not see the project',
        'GitLab as OIDC provider sends the groups only from the userinfo endpoint',
        'Keycloak group names arrive with a leading slash and do not match the project member',
        'Entra ID users only see public projects although their group is a member',
      ],
      zh: ['OIDC 组添加为项目成员后用户看不到项目', 'Keycloak 用户组带斜杠前缀匹配不上', 'Azure AD 用户组授权项目不生效'],
    },
  },
  {
    id: 'oidc-username-onboarding',
    what: {
      en: 'OIDC onboarding: the user name prompt at first sign-in, the username claim, automatic onboarding, “Conflict in username” for users without an email',
      zh: 'OIDC 用户注册:首次登录时要求设置用户名、用户名声明、自动注册、无邮箱用户的“Conflict in username”',
    },
    source: 'https://github.com/goharbor/harbor/issues/9600',
    describedAs: {
      en: [
        'OIDC first login asks every user to choose a user name',
        'the second OIDC user cannot onboard, conflict in username although the name is free',
        'automatic onboarding fails because the username claim is not in the ID token',
        'take the Harbor user name from preferred_username or sAMAccountName',
      ],
      zh: ['OIDC 首次登录要求设置用户名', 'OIDC 第二个用户登录提示用户名冲突', '开启自动注册后 OIDC 登录报服务器错误', 'OIDC 用户名声明配置不生效'],
    },
  },
  {
    id: 'oidc-logout',
    what: {
      en: 'signing out of Harbor does not end the session at the OIDC provider, so the next OIDC sign-in is silent (logout at the provider came in 2.13)',
      zh: '退出 Harbor 不会结束 OIDC 提供方的会话,下次 OIDC 登录无需密码(2.13 起支持在提供方登出)',
    },
    source: 'https://github.com/goharbor/harbor/issues/12634',
    describedAs: {
      en: [
        'after logging out of Harbor the OIDC button signs the same user back in without a password',
        'log out does not end the Keycloak session',
        'another person on the same browser gets the previous OIDC user',
        'how to log out of the identity provider from Harbor',
      ],
      zh: ['退出 Harbor 后 OIDC 会话没有结束', '注销后点击 OIDC 登录直接进入上一个用户', 'Keycloak 单点登出不生效'],
    },
  },
  {
    id: 'oidc-provider-ca',
    what: {
      en: 'core not trusting the OIDC provider’s certificate (Keycloak, Dex or ADFS with a private CA): the verify-certificate option and where the CA goes',
      zh: 'core 不信任 OIDC 提供方的证书(私有 CA 签发的 Keycloak、Dex、ADFS):校验证书选项与 CA 放在哪里',
    },
    source: 'https://github.com/goharbor/harbor/issues/9347',
    describedAs: {
      en: [
        'the OIDC endpoint test fails because the identity provider has a certificate from our own CA',
        'how to make harbor-core trust the CA of the Keycloak server',
        'OIDC works only with verify certificate unchecked',
        'core cannot fetch the openid-configuration of the provider over TLS',
      ],
      zh: ['OIDC 提供方使用自签证书 Harbor 无法连接', 'Keycloak 证书不受信任 OIDC 测试失败', '如何让 harbor-core 信任 OIDC 的 CA 证书'],
    },
  },
  {
    id: 'oidc-api-access',
    what: {
      en: 'calling the Harbor API as an OIDC user: the provider password is refused, the CLI secret works for some endpoints only, robot accounts are the way',
      zh: '以 OIDC 用户调用 Harbor API:身份提供方密码被拒,CLI 密钥只对部分接口有效,应使用机器人账号',
    },
    source: 'https://github.com/goharbor/harbor/issues/14958',
    describedAs: {
      en: [
        'the REST API answers UnAuthorize for an OIDC user with basic auth',
        'curl against the API with the CLI secret lists only public projects',
        'how to automate the Harbor API when authentication is OIDC',
        'users/current answers 401 with the CLI secret while the projects endpoint works',
      ],
      zh: ['OIDC 模式下调用 Harbor API 返回未授权', 'OIDC 用户如何通过 API 访问 Harbor', '使用 CLI 密钥调用接口只能看到公开项目'],
    },
  },
  {
    id: 'ldap-user-add-member',
    what: {
      en: 'adding an LDAP user as a project member: Harbor only knows users that signed in once or that it finds in LDAP, and project admins may not list users',
      zh: '把 LDAP 用户添加为项目成员:Harbor 只认识登录过或能在 LDAP 中找到的用户,项目管理员无权列出用户',
    },
    source: 'https://github.com/goharbor/harbor/issues/17084',
    describedAs: {
      en: [
        'an LDAP user cannot be added to a project until he has logged in once',
        'project admin gets 403 when searching users to add as members',
        'adding a member from LDAP says the user name does not exist',
        'no suggestions while typing an LDAP user name in the new member dialog',
      ],
      zh: ['LDAP 用户未登录过无法添加为项目成员', '项目管理员添加成员时搜索用户返回 403', '添加 LDAP 用户到项目提示用户不存在'],
    },
  },
  {
    id: 'ldap-group-project-member',
    what: {
      en: 'LDAP groups that project admins cannot add as members (403 on user groups, “a LDAP user group with same DN already exist”)',
      zh: '项目管理员无法把 LDAP 组添加为成员(用户组接口 403、“a LDAP user group with same DN already exist”)',
    },
    source: 'https://github.com/goharbor/harbor/issues/15432',
    describedAs: {
      en: [
        'project admins cannot add an LDAP group to their project, the dialog keeps spinning',
        'an LDAP group Harbor imported at a sign-in cannot then be added to a project',
        'a LDAP user group with same DN already exist',
        'only the Harbor admin can add groups as project members',
      ],
      zh: ['项目管理员无法添加 LDAP 组为成员', '添加已导入的 LDAP 组报内部错误', 'LDAP 组 DN 已存在无法添加到项目'],
    },
  },
  {
    id: 'ldap-membership-at-login',
    what: {
      en: 'LDAP users and group memberships that Harbor does not synchronise: it reads them from the directory at sign-in, so a change applies at the next login',
      zh: 'Harbor 不同步 LDAP 用户与组成员关系:登录时才从目录读取,变更在下次登录时生效',
    },
    source: 'https://github.com/goharbor/harbor/issues/6209',
    describedAs: {
      en: [
        'a user removed from the AD group still has access to the project',
        'how to sync LDAP groups into Harbor',
        'group changes in Active Directory only take effect after the user logs in again',
        'users disabled in the directory still appear in the Harbor user list',
      ],
      zh: ['LDAP 组成员变更后 Harbor 不同步', 'AD 用户移出组后仍有项目权限', '如何同步 LDAP 用户到 Harbor'],
    },
  },
  {
    id: 'uaa-auth',
    what: {
      en: 'UAA authentication (PKS/TKGI): docker login unauthorized when core does not trust the UAA certificate (uaa verify cert, the CA file)',
      zh: 'UAA 认证(PKS/TKGI):core 不信任 UAA 证书时 docker login 未授权(UAA 校验证书、CA 文件)',
    },
    source: 'https://github.com/goharbor/harbor/issues/8295',
    describedAs: {
      en: [
        'docker login unauthorized with UAA in Pivotal Container Service',
        'UAA verify cert checked, Harbor cannot authenticate against the PKS UAA',
        'where to put the CA of the UAA endpoint in harbor.yml',
        'UAA users cannot sign in after the UAA certificate changed',
      ],
      zh: ['使用 UAA 认证时 docker login 未授权', 'PKS UAA 证书不受信任', 'UAA 的 CA 证书如何配置'],
    },
  },
  {
    id: 'http-auth-proxy',
    what: {
      en: 'the HTTP authentication proxy (http_auth): its server endpoint, token review endpoint, verify-certificate and always-onboard settings',
      zh: 'HTTP 认证代理(http_auth):服务端点、token review 端点、校验证书与始终注册选项',
    },
    source: 'https://github.com/goharbor/harbor/issues/15733',
    describedAs: {
      en: [
        'how to set up the http_auth proxy of Harbor',
        'token review endpoint for Kubernetes webhook tokens in Harbor',
        'auth proxy users are not onboarded until they log in',
        'what the server endpoint of http_auth must answer',
      ],
      zh: ['Harbor HTTP 认证代理如何配置', 'http_auth 的 tokenreview 端点怎么填', '使用认证代理时用户无法登录'],
    },
  },
  {
    id: 'robot-delete-permission',
    what: {
      en: 'robot accounts with delete permissions still refused when deleting images through the registry API (UNAUTHORIZED on a manifest DELETE)',
      zh: '有删除权限的机器人账号通过 registry API 删除镜像仍被拒绝(删除 manifest 返回 UNAUTHORIZED)',
    },
    source: 'https://github.com/goharbor/harbor/issues/16133',
    describedAs: {
      en: [
        'robot account with delete artifact permission gets unauthorized deleting a manifest',
        'CI cleanup with a robot account cannot remove images',
        'crane or reg delete works with my user but not with the robot',
        'robot accounts cannot delete the tags they pushed for tests',
      ],
      zh: ['机器人账号有删除权限但无法删除镜像', '使用 robot 账号删除 manifest 返回未授权', 'CI 中用机器人账号清理镜像失败'],
    },
  },
  {
    id: 'robot-system-permissions',
    what: {
      en: 'what system robot accounts may do: no managing robots or users, system and project permissions kept apart, project creation granted by default',
      zh: '系统级机器人账号能做什么:不能管理机器人或用户,系统与项目权限分开,默认可创建项目',
    },
    source: 'https://github.com/goharbor/harbor/issues/20076',
    describedAs: {
      en: [
        'a system robot account cannot create or rotate other robot accounts',
        'bad request permission when creating a robot with access to the robot resource',
        'robot account cannot manage project members through the API',
        'a system level robot creates projects without being allowed to',
      ],
      zh: ['系统级机器人账号无法管理其他机器人', '创建机器人账号提示 bad request permission', '机器人账号可选权限太少'],
    },
  },
  {
    id: 'robot-secret-refresh',
    what: {
      en: 'renewing robot accounts: refreshing the secret keeps the expiry, which counts from creation; extend the duration or create robots that never expire',
      zh: '续期机器人账号:刷新密钥不改变过期时间(从创建时算起);延长有效期或创建永不过期的机器人',
    },
    source: 'https://github.com/goharbor/harbor/issues/22256',
    describedAs: {
      en: [
        'refresh secret of a robot account keeps the old expiration date',
        'extend a robot account that expired instead of creating a new one',
        'make robot accounts never expire',
        'rotate the robot secret used by imagePullSecrets without downtime',
      ],
      zh: ['刷新机器人密钥后过期时间不变', '机器人账号过期后如何延期', '如何设置机器人账号永不过期'],
    },
  },
  {
    id: 'project-creation-restriction',
    what: {
      en: 'who may create projects: the Project Creation setting (everyone or admin only) and what a project admin may still do',
      zh: '谁能创建项目:“项目创建”设置(所有人或仅管理员),以及项目管理员仍能做什么',
    },
    source: 'https://github.com/goharbor/harbor/issues/1054',
    describedAs: {
      en: [
        'every signed in user can create projects, only admins should',
        'restrict project creation to administrators',
        'project creation set to admin only, users still delete their projects',
        'a normal user gets forbidden when creating a project',
      ],
      zh: ['普通用户可以随意创建项目', '如何限制只有管理员能创建项目', '非管理员创建项目提示禁止'],
    },
  },
  {
    id: 'project-role-permissions',
    what: {
      en: 'what each project role may do (limited guest, guest, developer, maintainer, project admin): developers cannot delete images',
      zh: '各项目角色的权限(受限访客、访客、开发者、维护人员、项目管理员):开发者不能删除镜像',
    },
    source: 'https://github.com/goharbor/harbor/issues/6391',
    describedAs: {
      en: [
        'a developer member cannot delete images or repositories in the project',
        'which role is needed to delete artifacts and scan images',
        'maintainer versus developer permissions',
        'a limited guest cannot see the repositories of the project',
      ],
      zh: ['开发者角色无法删除镜像', '项目成员角色权限区别', '维护人员和开发者权限有什么不同'],
    },
  },
  {
    id: 'project-name-rules',
    what: {
      en: 'project names Harbor refuses: upper case, characters other than a-z, 0-9, dot, dash and underscore, and its length limits',
      zh: 'Harbor 拒绝的项目名称:大写字母、a-z、0-9、点、横线、下划线以外的字符,以及长度限制',
    },
    source: 'https://github.com/goharbor/harbor/issues/3617',
    describedAs: {
      en: [
        'a project name with capital letters is rejected',
        'project name is illegal in length',
        'cannot create a project named like our Kubernetes namespace',
        'project name too short or too long',
      ],
      zh: ['项目名称包含大写字母无法创建', '项目名称长度不合法', '项目名称有哪些命名规则'],
    },
  },
  {
    id: 'project-quota-setting',
    what: {
      en: 'setting project quotas: the default quota of new projects, storage_limit ignored unless a system admin creates the project, changing quotas through the API',
      zh: '设置项目配额:新项目的默认配额、非系统管理员创建项目时 storage_limit 被忽略、通过 API 修改配额',
    },
    source: 'https://github.com/goharbor/harbor/issues/15855',
    describedAs: {
      en: [
        'storage limit in the create project API call is ignored',
        'set a default storage quota for every new project',
        'how to change the quota of all existing projects through the API',
        'a project created by a normal user is unlimited',
      ],
      zh: ['创建项目时设置的存储配额不生效', '新项目默认配额如何设置', '通过 API 修改项目配额'],
    },
  },
  {
    id: 'vulnerability-policy-blocks-pull',
    what: {
      en: 'the “Prevent vulnerable images from running” policy refusing pulls of images not scanned, still being scanned or not scannable',
      zh: '“阻止潜在漏洞镜像运行”策略拒绝拉取未扫描、正在扫描或无法扫描的镜像',
    },
    source: 'https://github.com/goharbor/harbor/issues/19486',
    describedAs: {
      en: [
        'images cannot be pulled while the daily scan is running',
        'pull refused for an image without vulnerability scanning',
        'pending scan status blocks pulls for half an hour',
        'an image the scanner does not support can never be pulled',
      ],
      zh: ['开启阻止漏洞镜像后未扫描的镜像无法拉取', '扫描进行中镜像拉取被拒绝', '定时扫描期间无法拉取镜像'],
    },
  },
  {
    id: 'vulnerability-policy-proxy-bypass',
    what: {
      en: 'vulnerable images that still get pulled: the first pull through a proxy cache project is served before any scan',
      zh: '有漏洞的镜像仍能被拉取:通过代理缓存项目的首次拉取在扫描之前就返回了',
    },
    source: 'https://github.com/goharbor/harbor/issues/16732',
    describedAs: {
      en: [
        'prevent vulnerable images from running does not stop the first pull through the proxy cache',
        'a vulnerable image comes through the Docker Hub cache although the project blocks critical',
        'deployment security is bypassed for images not yet cached',
      ],
      zh: ['代理缓存首次拉取不受漏洞策略限制', '阻止漏洞镜像运行对代理缓存不生效', '有漏洞的镜像仍然可以拉取'],
    },
  },
  {
    id: 'cve-allowlist',
    what: {
      en: 'the CVE allowlist: it lets pulls pass the vulnerability policy and does not hide CVEs from scan results; project versus system allowlist',
      zh: 'CVE 白名单:只让拉取绕过漏洞策略,不会从扫描结果中隐藏 CVE;项目白名单与系统白名单',
    },
    source: 'https://github.com/goharbor/harbor/issues/13726',
    describedAs: {
      en: [
        'a CVE added to the allowlist still shows in the scan report',
        'the allowlist does not unblock the pull of a vulnerable image',
        'project allowlist ignored because the system allowlist is selected',
        'listed in CVE allowlist says No',
      ],
      zh: ['CVE 白名单不生效', '加入白名单的漏洞仍然显示', '添加 CVE 白名单后镜像仍无法拉取'],
    },
  },
  {
    id: 'cosign-enforcement',
    what: {
      en: 'cosign enforcement (“allow only verified images”) refusing pulls of signed images: signature formats, signing by digest, the signing itself blocked',
      zh: 'cosign 强制校验(“仅允许已验证的镜像”)拒绝拉取已签名镜像:签名格式、按 digest 签名、签名过程本身被拦截',
    },
    source: 'https://github.com/goharbor/harbor/issues/23455',
    describedAs: {
      en: [
        'image is signed with cosign but the pull says it is not signed by cosign',
        'cosign signatures in the new bundle format are listed as plain accessories',
        'allow only verified images blocks the cosign signing itself',
      ],
      zh: ['cosign 签名后拉取仍提示未签名', '开启仅允许已验证镜像后无法拉取', 'cosign 新签名格式 Harbor 不识别'],
    },
  },
  {
    id: 'portal-session-timeout',
    what: {
      en: 'the web session timeout: signed out after an hour idle, the Session Timeout setting (2.7 and later), background requests that keep a session alive',
      zh: '网页会话超时:空闲一小时后退出登录、会话超时设置(2.7 起)、后台请求让会话一直有效',
    },
    source: 'https://github.com/goharbor/harbor/issues/17474',
    describedAs: {
      en: [
        'users are logged out of the web UI several times a day',
        'increase the UI session timeout to 24 hours',
        'the session timeout setting never logs anyone out',
        'OIDC users lose their portal session between page loads',
      ],
      zh: ['Harbor 网页过一会就自动退出登录', '如何延长会话超时时间', '会话超时设置不生效'],
    },
  },
  {
    id: 'login-origin-invalid',
    what: {
      en: 'portal sign-in refused with 403 “origin invalid” (the CSRF origin check of 2.12/2.13 over HTTP with a port, or behind a proxy that rewrites Host)',
      zh: '门户登录返回 403 “origin invalid”(2.12/2.13 的 CSRF 来源校验:HTTP 加端口访问,或代理改写了 Host)',
    },
    source: 'https://github.com/goharbor/harbor/issues/21996',
    describedAs: {
      en: [
        'sign in on a new install answers 403 origin invalid',
        'origin invalid when the portal is served over http on a port',
        'forbidden origin invalid at sign in since 2.13',
        'the reverse proxy must pass the Host header with the port',
      ],
      zh: ['登录返回 403 origin invalid', '升级到 2.13 后登录提示 origin invalid', 'HTTP 加端口访问 Harbor 登录被拒'],
    },
  },
  {
    id: 'portal-language',
    what: {
      en: 'the portal’s language: it follows the browser, the language switcher, labels left untranslated',
      zh: '门户的显示语言:跟随浏览器、语言切换、未翻译的文字',
    },
    source: 'https://github.com/goharbor/harbor/issues/6578',
    describedAs: {
      en: [
        'the web UI shows Chinese although I want English',
        'cannot switch the portal language back to English',
        'the portal ignores the chosen language and follows the browser',
        'set the default language of the Harbor UI',
      ],
      zh: ['Harbor 界面如何切换中文', '切换语言后界面仍是英文', 'Harbor 网页默认语言设置'],
    },
  },
  {
    id: 'self-registration',
    what: {
      en: 'self-registration (the Sign up link): switched in Configuration > Authentication, database authentication only',
      zh: '自助注册(注册链接):在 配置 > 认证 中开关,仅适用于数据库认证',
    },
    source: 'https://github.com/goharbor/harbor/issues/7901',
    describedAs: {
      en: [
        'how to disable self registration so nobody can sign up',
        'the sign up link is missing on the login page',
        'self_registration is no longer in harbor.yml',
        'anyone can create an account on our Harbor',
      ],
      zh: ['如何关闭 Harbor 自助注册', '登录页面没有注册按钮', 'harbor.yml 中没有 self_registration 配置'],
    },
  },
  {
    id: 'password-reset-email',
    what: {
      en: 'the email (SMTP) settings and password reset by mail: the forgot-password link was removed in 2.x; test mail server errors',
      zh: '邮件(SMTP)设置与邮件重置密码:2.x 已移除忘记密码链接;测试邮件服务器出错',
    },
    source: 'https://github.com/goharbor/harbor/issues/15351',
    describedAs: {
      en: [
        'the forgot password link is gone from the login page',
        'the reset password email never arrives',
        'test mail server fails with our SMTP settings',
        'what the email settings are for since the reset by mail was removed',
      ],
      zh: ['登录页没有忘记密码链接', '重置密码邮件收不到', '邮件服务器测试失败'],
    },
  },
  {
    id: 'password-policy',
    what: {
      en: 'Harbor’s password rules for database users (8 to 128 characters with an upper case letter, a lower case letter and a digit, no spaces), not configurable',
      zh: 'Harbor 数据库用户的密码规则(8 到 128 个字符,须含大写字母、小写字母和数字,不能有空格),不可配置',
    },
    source: 'https://github.com/goharbor/harbor/issues/14821',
    describedAs: {
      en: [
        'password must contain an uppercase letter, can the policy be relaxed',
        'a passphrase with spaces is rejected',
        'which special characters are allowed in a Harbor password',
        'customize the password complexity for our organisation',
      ],
      zh: ['Harbor 密码复杂度要求', '密码必须包含大写字母', '密码策略能否自定义'],
    },
  },
  {
    id: 'deleted-user-name-reuse',
    what: {
      en: 'recreating a deleted user: older releases keep the name and email of deleted users, so they cannot be registered again',
      zh: '重新创建已删除的用户:旧版本保留已删除用户的用户名和邮箱,无法再次注册',
    },
    source: 'https://github.com/goharbor/harbor/issues/96',
    describedAs: {
      en: [
        'cannot add a user again after deleting him, the email is already in use',
        'the username of a deleted user cannot be registered',
        'deleted users are only marked as deleted in the database',
      ],
      zh: ['删除用户后无法再创建同名用户', '删除用户后邮箱提示已存在', '已删除用户的用户名不能再注册'],
    },
  },
  {
    id: 'api-pagination',
    what: {
      en: 'paging in the v2.0 API: 10 items by default, page_size at most 100, the Link and X-Total-Count headers',
      zh: 'v2.0 API 的分页:默认 10 条、page_size 最大 100、Link 与 X-Total-Count 响应头',
    },
    source: 'https://github.com/goharbor/harbor/issues/17787',
    describedAs: {
      en: [
        'the API returns only 10 repositories',
        'a page_size above 100 is refused',
        'how to get all projects through the API',
        'use the Link header to fetch the next page of artifacts',
      ],
      zh: ['API 只返回 10 条数据', 'page_size 超过 100 报错', '如何通过接口获取全部仓库'],
    },
  },
  {
    id: 'api-v1-removed',
    what: {
      en: 'scripts written for the 1.x API (/api/projects, /api/repositories) after an upgrade to 2.x: the /api/v2.0 prefix, paths by project and repository name',
      zh: '为 1.x API(/api/projects、/api/repositories)写的脚本在升级到 2.x 后:/api/v2.0 前缀、按项目和仓库名称的路径',
    },
    source: 'https://github.com/goharbor/harbor/issues/14189',
    describedAs: {
      en: [
        'old API calls stopped working after upgrading to Harbor 2',
        '/api/repositories returns not found in 2.x',
        'the repositories/top API was removed',
        'project_id in path must be of type int64',
      ],
      zh: ['升级到 2.0 后旧的 API 不能用了', '/api/repositories 接口返回 404', 'Harbor 2.x API 路径变化'],
    },
  },
  {
    id: 'api-query-exact-match',
    what: {
      en: 'filtering in the v2.0 API: name= is a fuzzy match; exact, fuzzy and range queries go in q (k=v, k=~v, k=[a~b])',
      zh: 'v2.0 API 的过滤:name= 是模糊匹配;精确、模糊和范围查询写在 q 里(k=v、k=~v、k=[a~b])',
    },
    source: 'https://github.com/goharbor/harbor/issues/15207',
    describedAs: {
      en: [
        'searching projects by name returns every project that starts with it',
        'exact match of a user name through the API',
        'how to use the q parameter of the Harbor API',
        'the name filter of the projects API is not exact',
      ],
      zh: ['API 按名称查询项目是模糊匹配', '如何用 q 参数精确查询', '接口查询用户名不能精确匹配'],
    },
  },
  {
    id: 'audit-log-forward',
    what: {
      en: 'forwarding the audit log to syslog (Audit Log Forward Syslog Endpoint: TCP only, harbor-log:10514 in a compose install)',
      zh: '把审计日志转发到 syslog(审计日志转发 Syslog 端点:仅 TCP,compose 安装为 harbor-log:10514)',
    },
    source: 'https://github.com/goharbor/harbor/issues/20948',
    describedAs: {
      en: [
        'the audit log forward endpoint says could not connect to the audit endpoint',
        'send the Harbor audit events to Fluent Bit or a SIEM',
        'a syslog endpoint over udp is refused',
      ],
      zh: ['审计日志转发到 syslog', '审计日志转发端点无法连接', '如何把 Harbor 审计日志发送到 SIEM'],
    },
  },
  {
    id: 'audit-log-missing-events',
    what: {
      en: 'what the audit log records: before 2.13 only pushes, pulls and deletions (no sign-ins, member or configuration changes); 2.13 adds them',
      zh: '审计日志记录哪些事件:2.13 之前只有推送、拉取和删除(没有登录、成员或配置变更);2.13 起增加',
    },
    source: 'https://github.com/goharbor/harbor/issues/15134',
    describedAs: {
      en: [
        'the audit log does not show who changed the project configuration',
        'user sign-ins are not recorded anywhere in Harbor',
        'track who added members to a project',
      ],
      zh: ['审计日志没有记录登录事件', '谁修改了项目配置在日志里查不到', '如何查看谁添加了项目成员'],
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

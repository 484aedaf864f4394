import type { AccessKeyCredentials } from './signer.js';

/** An IAM token obtained elsewhere, sent as `X-Auth-Token`. */
export interface TokenCredentials {
  readonly token: string;
}

/** IAM user name and password: the client fetches a project-scoped token and keeps it fresh. */
export interface IamPasswordCredentials {
  readonly iam: {
    readonly username: string;
    readonly password: string;
    /** The account (domain) name that owns the user. */
    readonly domain: string;
    /** IAM endpoint. @default `https://iam.{region}.myhuaweicloud.com` */
    readonly endpoint?: string;
    /** Project the token is scoped to. @default the client's region */
    readonly projectName?: string;
  };
}

export type Credentials = TokenCredentials | AccessKeyCredentials | IamPasswordCredentials;

export type { AccessKeyCredentials };

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Credentials from the environment, first match wins: `OCRKIT_TOKEN`; `HUAWEICLOUD_SDK_AK` with
 * `HUAWEICLOUD_SDK_SK` (and `HUAWEICLOUD_SDK_SECURITY_TOKEN` for temporary keys); `OCRKIT_IAM_USERNAME`,
 * `OCRKIT_IAM_PASSWORD`, `OCRKIT_IAM_DOMAIN` (and `OCRKIT_IAM_ENDPOINT`). Undefined when none is set.
 */
export function credentialsFromEnv(env: Env = process.env): Credentials | undefined {
  const value = (name: string) => (env[name] === '' ? undefined : env[name]);
  const token = value('OCRKIT_TOKEN');
  if (token) return { token };
  const accessKey = value('HUAWEICLOUD_SDK_AK');
  const secretKey = value('HUAWEICLOUD_SDK_SK');
  if (accessKey || secretKey) {
    if (!accessKey || !secretKey) {
      throw new TypeError('Set both HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, or neither.');
    }
    const securityToken = value('HUAWEICLOUD_SDK_SECURITY_TOKEN');
    return securityToken ? { accessKey, secretKey, securityToken } : { accessKey, secretKey };
  }
  const username = value('OCRKIT_IAM_USERNAME');
  const password = value('OCRKIT_IAM_PASSWORD');
  const domain = value('OCRKIT_IAM_DOMAIN');
  if (username || password || domain) {
    if (!username || !password || !domain) {
      throw new TypeError('Set all of OCRKIT_IAM_USERNAME, OCRKIT_IAM_PASSWORD and OCRKIT_IAM_DOMAIN, or none.');
    }
    const endpoint = value('OCRKIT_IAM_ENDPOINT');
    return { iam: endpoint ? { username, password, domain, endpoint } : { username, password, domain } };
  }
  return undefined;
}

/** Where and as whom to call: what `new OcrClient()` needs besides tuning. */
export interface ConnectionOptions {
  readonly endpoint?: string;
  readonly region?: string;
  readonly projectId: string;
  readonly credentials: Credentials;
}

/**
 * Connection options from the environment: credentials as `credentialsFromEnv`, `OCRKIT_ENDPOINT`,
 * `OCRKIT_REGION` (or `HUAWEICLOUD_SDK_REGION`) and `OCRKIT_PROJECT_ID` (or `HUAWEICLOUD_SDK_PROJECT_ID`).
 * Throws a TypeError naming the variables to set when something is missing.
 */
export function connectionFromEnv(env: Env = process.env): ConnectionOptions {
  const value = (...names: string[]) => names.map((name) => env[name]).find((v) => v !== undefined && v !== '');
  const credentials = credentialsFromEnv(env);
  if (!credentials) {
    throw new TypeError(
      'No credentials in the environment: set OCRKIT_TOKEN, or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, ' +
        'or OCRKIT_IAM_USERNAME, OCRKIT_IAM_PASSWORD and OCRKIT_IAM_DOMAIN.',
    );
  }
  const projectId = value('OCRKIT_PROJECT_ID', 'HUAWEICLOUD_SDK_PROJECT_ID');
  if (!projectId) throw new TypeError('No project id in the environment: set OCRKIT_PROJECT_ID.');
  const endpoint = value('OCRKIT_ENDPOINT');
  const region = value('OCRKIT_REGION', 'HUAWEICLOUD_SDK_REGION');
  if (!endpoint && !region)
    throw new TypeError('No endpoint in the environment: set OCRKIT_REGION or OCRKIT_ENDPOINT.');
  return { projectId, credentials, ...(endpoint ? { endpoint } : {}), ...(region ? { region } : {}) };
}

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * Every setting the BFF reads, parsed once from the environment. The README lists them all.
 * In production a missing secret stops start-up; in development the secrets are generated once
 * and kept in DATA_DIR so printed labels stay valid across restarts.
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_BASE_URL: z.string().url().optional(),
  MONGODB_URI: z.string().optional(),
  MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/).default('chengxin'),
  WECHAT_API_BASE: z.string().url().optional(),
  WECHAT_APPID: z.string().default('wx-dev-appid'),
  WECHAT_SECRET: z.string().optional(),
  JWT_SECRET: z.string().min(32).optional(),
  QR_SIGNING_SECRET: z.string().min(32).optional(),
  TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(7 * 24 * 3600),
  GUEST_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(24 * 3600),
  CORS_ORIGINS: z.string().default(''),
  ADMIN_USERNAME: z.string().min(3).default('admin'),
  ADMIN_PASSWORD: z.string().min(8).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default('data'),
  H5_DIR: z.string().default('miniapp/dist/h5'),
  ADMIN_DIR: z.string().default('miniapp/dist/admin'),
  TRUST_PROXY: z.enum(['0', '1']).default('0'),
  MAP_TILE_URL: z.string().optional().refine((value) => value === undefined || isTileUrl(value), {
    message: 'must be an https URL template containing {x}, {y} and {z} (http only for 127.0.0.1, the test/dev opt-in)',
  }),
});

/**
 * An XYZ tile URL template (GCJ-02 Web Mercator, the datum of AMap/Tencent tiles): https, with
 * {x} {y} {z}; plain http only for 127.0.0.1, where the tests and a developer run a tile server.
 */
function isTileUrl(value: string): boolean {
  if (!['{x}', '{y}', '{z}'].every((part) => value.includes(part))) return false;
  let url: URL;
  try {
    url = new URL(value.replace(/\{([xyz])\}/g, '0'));
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && url.hostname === '127.0.0.1');
}

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicBaseUrl: string;
  mongodbUri?: string;
  mongodbDb: string;
  wechat: { apiBase?: string; appId: string; secret: string };
  jwtSecret: string;
  qrSigningSecret: string;
  tokenTtlSeconds: number;
  guestTokenTtlSeconds: number;
  corsOrigins: string[];
  admin: { username: string; password?: string };
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  dataDir: string;
  h5Dir: string;
  adminDir: string;
  trustProxy: boolean;
  /** XYZ tile URL template for the H5 nearby map; null → no map, the list only. */
  mapTileUrl: string | null;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (FOO= in a shell or .env file) means "not set".
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production) {
    const missing = (['JWT_SECRET', 'QR_SIGNING_SECRET', 'WECHAT_SECRET', 'WECHAT_API_BASE', 'MONGODB_URI', 'PUBLIC_BASE_URL'] as const)
      .filter((k) => !e[k]);
    if (missing.length) {
      throw new ConfigError(`Production mode needs ${missing.join(', ')} to be set (see README, "Configuration").`);
    }
  }
  const devSecrets = production ? undefined : developmentSecrets(e.DATA_DIR, e.NODE_ENV === 'test');
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    mongodbUri: e.MONGODB_URI,
    mongodbDb: e.MONGODB_DB,
    wechat: { apiBase: e.WECHAT_API_BASE, appId: e.WECHAT_APPID, secret: e.WECHAT_SECRET ?? 'mock-wechat-secret' },
    jwtSecret: e.JWT_SECRET ?? devSecrets!.jwtSecret,
    qrSigningSecret: e.QR_SIGNING_SECRET ?? devSecrets!.qrSigningSecret,
    tokenTtlSeconds: e.TOKEN_TTL_SECONDS,
    guestTokenTtlSeconds: e.GUEST_TOKEN_TTL_SECONDS,
    corsOrigins: e.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    admin: { username: e.ADMIN_USERNAME, password: e.ADMIN_PASSWORD },
    logLevel: e.LOG_LEVEL,
    dataDir: e.DATA_DIR,
    h5Dir: e.H5_DIR,
    adminDir: e.ADMIN_DIR,
    trustProxy: e.TRUST_PROXY === '1',
    mapTileUrl: e.MAP_TILE_URL ?? null,
  };
}

/** Development secrets live in DATA_DIR/dev-secrets.json (git-ignored), made on first start. */
function developmentSecrets(dataDir: string, ephemeral: boolean): { jwtSecret: string; qrSigningSecret: string } {
  const fresh = () => ({ jwtSecret: randomBytes(32).toString('hex'), qrSigningSecret: randomBytes(32).toString('hex') });
  if (ephemeral) return fresh();
  const file = path.join(dataDir, 'dev-secrets.json');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    const secrets = fresh();
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
    return secrets;
  }
}

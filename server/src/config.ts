import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { z } from 'zod';
import { isValidCreditCode, TARGETS } from '@zdec/shared';
import { DEFAULT_SCAN_BUDGET_MS, defaultScanThreads } from './modules/samples/samples.scan';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().default('data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  MONGODB_URI: optionalText,
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,60}$/)
    .default('zdec'),

  JWT_SECRET: optionalText.pipe(z.string().min(32, 'JWT_SECRET needs at least 32 characters').optional()),
  JWT_ISSUER: z.string().default('zdec-platform'),
  JWT_AUDIENCE: z.string().default('zdec-api'),
  JWT_EXPIRES_IN_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 3600)
    .default(8 * 3600),

  BCRYPT_ROUNDS: z.coerce.number().int().min(4).max(15).default(12),
  ADMIN_EMAIL: optionalText.pipe(z.email().optional()),
  ADMIN_PASSWORD: optionalText.pipe(z.string().min(10, 'ADMIN_PASSWORD needs at least 10 characters').optional()),

  ADMIN_ORG_NAME: z.string().min(2).default('平台运营方 Platform operator'),
  ADMIN_ORG_CREDIT_CODE: z.string().refine(isValidCreditCode, 'not a valid credit code').default('91410100MA9XPLAT0K'),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url())),
  JSON_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/)
    .default('1mb'),
  AUTH_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  /** Failed sign-ins from one address over all accounts per window (password spraying); AUTH_RATE_LIMIT is per address and account. */
  AUTH_IP_RATE_LIMIT: z.coerce.number().int().min(1).default(200),
  AUTH_RATE_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(15 * 60),
  TRUST_PROXY: bool.default(false),

  STRIPE_SECRET_KEY: optionalText,
  STRIPE_PUBLISHABLE_KEY: optionalText,
  STRIPE_WEBHOOK_SECRET: optionalText,
  STRIPE_API_HOST: optionalText,
  STRIPE_API_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  STRIPE_API_PROTOCOL: z.enum(['http', 'https']).optional(),
  STRIPE_MAX_AMOUNT_FEN: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).default(99_999_999),
  BANK_PAYEE_NAME: z.string().min(2).default('郑州数据交易中心有限公司'),
  BANK_PAYEE_BANK: z.string().min(2).default('中国银行郑州金水支行'),
  BANK_PAYEE_ACCOUNT: z.string().min(4).default('2460 0000 0000 0000 0000'),
  DOWNLOAD_TOKEN_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  DOWNLOAD_LIMIT: z.coerce.number().int().min(1).max(1000).default(5),
  API_CALL_QUOTA: z.coerce.number().int().min(1).default(10_000),
  API_CALLS_PER_UNIT: z.coerce.number().int().min(1).default(1000),
  // Sandbox (数据可用不可见): engine limits and disclosure control, README "Sandbox".
  SANDBOX_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  SANDBOX_MEMORY_MB: z.coerce.number().int().min(16).max(65_536).default(256),
  SANDBOX_MAX_ROWS: z.coerce.number().int().min(1).max(100_000).default(1_000),
  SANDBOX_DEFAULT_K: z.coerce.number().int().min(2).max(1_000).default(10),
  SANDBOX_QUERY_QUOTA: z.coerce.number().int().min(1).default(1_000),
  SANDBOX_DIFFERENCING_WINDOW: z.coerce.number().int().min(0).max(200).default(20),

  LEDGER_SIGNING_KEY: optionalText,
  OUTBOX_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(30_000),
  // Catalog search engine (modules/listings/catalog): feed poll and full reconciliation intervals.
  CATALOG_POLL_INTERVAL_MS: z.coerce.number().int().min(20).max(60_000).default(200),
  CATALOG_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(10_000).default(900_000),
  TARGET_LISTINGS: z.coerce.number().int().min(1).default(TARGETS.listings),
  TARGET_VOLUME_FEN: z.coerce.number().int().min(1).default(TARGETS.volumeFen),
  TARGET_DEADLINE: z.iso.date().default(TARGETS.deadline),

  SEED_ON_EMPTY: bool.default(true),
  /** `small` (10 resources, 12 listings, about 20 trades) for a quick look and the tests. */
  SEED_SCALE: z.enum(['full', 'small']).default('full'),

  // Sample scanner (issue 12): time budget of one scan and its worker threads (see modules/samples/samples.scan.ts).
  SCAN_BUDGET_MS: z.coerce.number().int().min(1).max(600_000).default(DEFAULT_SCAN_BUDGET_MS),
  SCAN_THREADS: z.coerce.number().int().min(1).max(64).default(defaultScanThreads()),
  // registration lifecycle (公示): working days of public notice; unset means 10, or 0 under NODE_ENV=test
  REGISTRATION_NOTICE_WORKING_DAYS: z.coerce.number().int().min(0).max(60).optional(),
  REGISTRATION_SETTLE_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  NOTIFICATIONS_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /** Check every JSON reply against its declared schema (500 on drift); unset means on under NODE_ENV=test. */
  CHECK_RESPONSES: bool.optional(),
});

type Env = z.infer<typeof EnvSchema>;
export type Config = Readonly<
  Omit<Env, 'JWT_SECRET' | 'REGISTRATION_NOTICE_WORKING_DAYS' | 'CHECK_RESPONSES'> & {
    JWT_SECRET: string;
    REGISTRATION_NOTICE_WORKING_DAYS: number;
    CHECK_RESPONSES: boolean;
    isProduction: boolean;
    isTest: boolean;
  }
>;

/** Thrown when the environment is unusable; the message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses the environment once. Secrets have no defaults: in production a missing JWT_SECRET is
 * fatal; in development a random one is generated once and kept in DATA_DIR (never in the repo),
 * so `npm start` works on a fresh machine and sessions survive a restart.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  let jwtSecret = e.JWT_SECRET;
  if (!jwtSecret) {
    if (isProduction) throw new ConfigError('Invalid configuration:\n  JWT_SECRET: required in production');
    jwtSecret = localSecret(e.DATA_DIR, 'jwt-secret');
  }
  if (isProduction && e.ADMIN_EMAIL && !e.ADMIN_PASSWORD) {
    throw new ConfigError('Invalid configuration:\n  ADMIN_PASSWORD: required when ADMIN_EMAIL is set');
  }
  return Object.freeze({
    ...e,
    DATA_DIR: path.resolve(e.DATA_DIR),
    JWT_SECRET: jwtSecret,
    REGISTRATION_NOTICE_WORKING_DAYS: e.REGISTRATION_NOTICE_WORKING_DAYS ?? (e.NODE_ENV === 'test' ? 0 : 10),
    isProduction,
    CHECK_RESPONSES: e.CHECK_RESPONSES ?? e.NODE_ENV === 'test',
    isTest: e.NODE_ENV === 'test',
  });
}

/** A random secret generated on first use and kept under DATA_DIR/secrets (mode 0600). */
export function localSecret(dataDir: string, name: string): string {
  const dir = path.resolve(dataDir, 'secrets');
  const file = path.join(dir, name);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const secret = crypto.randomBytes(48).toString('base64url');
    try {
      fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    } catch {
      return fs.readFileSync(file, 'utf8').trim(); // another process won the race
    }
    return secret;
  }
}

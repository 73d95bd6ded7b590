// Runs in every test file before anything is imported: the configuration the app under test reads.
import path from 'node:path';

process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
process.env.JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';
process.env.BCRYPT_ROUNDS = '4';
process.env.AUTH_RATE_LIMIT = '10000';
process.env.AUTH_IP_RATE_LIMIT = '10000';
process.env.OUTBOX_SWEEP_INTERVAL_MS = '0';
process.env.SEED_ON_EMPTY = 'false';
process.env.DATA_DIR = path.join(process.env.TEST_DATA_DIR ?? '/tmp/zdec-test', 'app');
process.env.STRIPE_SECRET_KEY = 'sk_test_123';
process.env.STRIPE_PUBLISHABLE_KEY = 'pk_test_123';
process.env.STRIPE_WEBHOOK_SECRET = 'whsec_test_secret';
if (process.env.STRIPE_MOCK_URL) {
  const u = new URL(process.env.STRIPE_MOCK_URL);
  process.env.STRIPE_API_HOST = u.hostname;
  process.env.STRIPE_API_PORT = u.port;
  process.env.STRIPE_API_PROTOCOL = u.protocol.replace(':', '');
}
delete process.env.MONGODB_URI;

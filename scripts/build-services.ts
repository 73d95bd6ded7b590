// Builds the Go helpers (FerretDB launcher, stripe-mock) into the cache outside the repo, once.
import { ensureFerretLauncher, ensureStripeMock, hasGo, toolsCacheDir } from '../server/src/platform/services/go-tools';

function timed(name: string, f: () => string): void {
  const t = Date.now();
  const bin = f();
  console.log(`${name}: ${bin} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}

if (!hasGo()) {
  console.error(
    'Go is not installed: the FerretDB launcher and stripe-mock cannot be built (set MONGODB_URI and STRIPE_MOCK_URL instead).',
  );
  process.exit(1);
}
console.log(`cache: ${toolsCacheDir()}`);
timed('ferretdb-launcher', ensureFerretLauncher);
timed('stripe-mock', ensureStripeMock);

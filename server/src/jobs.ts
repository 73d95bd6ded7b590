import type { Config } from './config';
import type { Logger } from './platform/logger';
import { startOutboxSweeper } from './modules/ledger/outbox';
import { startCheckpointJob } from './modules/ledger/checkpoint.service';
import { startCatalog, stopCatalog } from './modules/listings/catalog';
import { startNoticeJob } from './modules/resources/registration.job';
import { startNotificationJob } from './modules/notifications/notifications.job';

/** Background work of a running server: each entry starts a job and returns its stop function. */
export function startBackgroundJobs(config: Config, log: Logger): () => void {
  const stops = [
    startOutboxSweeper(config.OUTBOX_SWEEP_INTERVAL_MS, log),
    startCheckpointJob(config, log),
    startCatalogJob(config, log),
    startNoticeJob(config, log),
    startNotificationJob(config, log),
  ];
  return () => stops.forEach((stop) => stop());
}

/** The catalog's search engine: built now (searches wait for it), then kept current from its feed. */
function startCatalogJob(config: Config, log: Logger): () => void {
  startCatalog({
    pollMs: config.CATALOG_POLL_INTERVAL_MS,
    reconcileMs: config.CATALOG_RECONCILE_INTERVAL_MS,
    log,
  }).catch((err: unknown) => log.error({ err }, 'catalog: the first build failed; the next search retries'));
  return stopCatalog;
}

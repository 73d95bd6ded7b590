import type { Config } from './config';
import type { Logger } from './platform/logger';
import { startOutboxSweeper } from './modules/ledger/outbox';
import { startCheckpointJob } from './modules/ledger/checkpoint.service';
import { startNoticeJob } from './modules/catalog/registration.job';
import { startNotificationJob } from './modules/notifications/notifications.job';

/** Background work of a running server: each entry starts a job and returns its stop function. */
export function startBackgroundJobs(config: Config, log: Logger): () => void {
  const stops = [
    startOutboxSweeper(config.OUTBOX_SWEEP_INTERVAL_MS, log),
    startCheckpointJob(config, log),
    startNoticeJob(config, log),
    startNotificationJob(config, log),
  ];
  return () => stops.forEach((stop) => stop());
}

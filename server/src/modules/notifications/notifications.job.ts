import type { Config } from '../../config';
import { runPeriodically } from '../../platform/interval';
import type { Logger } from '../../platform/logger';
import { catchUpLedger, remindExpiring } from './notifications.events';

/** Tails the ledger into notifications and sends expiry reminders, now and every NOTIFICATIONS_INTERVAL_MS. */
export function startNotificationJob(config: Config, log: Logger): () => void {
  return runPeriodically('notifications', config.NOTIFICATIONS_INTERVAL_MS, log, async () => {
    while ((await catchUpLedger(500, log)) === 500);
    await remindExpiring(log);
  });
}

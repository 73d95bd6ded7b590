import type { Config } from '../../config';
import { runPeriodically } from '../../platform/interval';
import type { Logger } from '../../platform/logger';
import { settleDueNotices } from './registration.service';

/** Settles notices whose period ended (certificates issued) now and every REGISTRATION_SETTLE_INTERVAL_MS. */
export function startNoticeJob(config: Config, log: Logger): () => void {
  return runPeriodically('settling registration notices', config.REGISTRATION_SETTLE_INTERVAL_MS, log, async () => {
    const decided = await settleDueNotices();
    if (decided) log.info({ decided }, 'registration notices settled');
  });
}

import { useEffect, useState } from 'react';
import { api } from '../../api/http';
import { Notice } from '../../components/ui';
import { useI18n, type MessageKey } from '../../i18n/I18nProvider';

/** GET /stats/demo-world (server: modules/stats/demo-world.ts). */
interface DemoWorldStatus {
  state: 'none' | 'loading' | 'loaded' | 'interrupted';
  percent?: number;
  progress?: { phase: string; done: number; total: number; at: string };
}

const POLL_MS = 2_000;

/**
 * While the demo world loads in the background (first start on an empty database), every page
 * says so with its progress; polled every 2 s until the load is over, then gone. An interrupted
 * load says what to do.
 */
export function DemoWorldBanner() {
  const { t, date } = useI18n();
  const [status, setStatus] = useState<DemoWorldStatus | null>(null);

  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    const poll = async () => {
      const next = await api.get<DemoWorldStatus>('/stats/demo-world').catch(() => null);
      if (stopped) return;
      if (next && typeof next.state === 'string') setStatus(next);
      // Keep asking while it loads (or while the server could not say); stop once it is settled.
      if (!next || next.state === 'loading') timer = window.setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, []);

  if (status?.state === 'interrupted') {
    return (
      <div className="demo-world-banner">
        <Notice kind="warning" testId="demo-world-interrupted">
          {t('demoWorld.interrupted')}
        </Notice>
      </div>
    );
  }
  if (status?.state !== 'loading') return null;
  const p = status.progress;
  // A phase without a name of its own shows as the seeder calls it.
  const phase = p ? ((t(`demoWorld.phase.${p.phase}` as MessageKey) as string | undefined) ?? p.phase) : '';
  return (
    <div className="demo-world-banner" data-testid="demo-world-loading" data-percent={status.percent ?? 0}>
      <Notice kind="info">
        <span>
          {p
            ? t('demoWorld.loading', {
                phase,
                done: p.done,
                total: p.total,
                at: date(p.at),
                percent: status.percent ?? 0,
              })
            : t('demoWorld.starting')}
        </span>
        <progress
          className="demo-world-banner__bar"
          max={100}
          value={status.percent ?? 0}
          aria-label={t('demoWorld.progressLabel')}
        />
      </Notice>
    </div>
  );
}

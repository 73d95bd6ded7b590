import { Router } from 'express';
import type { AppDeps } from '../../app';
import { targets } from './stats.service';

export function statsRouter({ config }: AppDeps): Router {
  const router = Router();

  router.get('/stats/targets', async (_req, res) => {
    res.json(await targets(config));
  });

  return router;
}

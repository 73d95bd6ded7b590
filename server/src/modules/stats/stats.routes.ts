import { Router } from 'express';
import type { AppDeps } from '../../platform/http/deps';
import { demoWorldStatus } from './demo-world';
import { targets } from './stats.service';

export function statsRouter({ config }: AppDeps): Router {
  const router = Router();

  router.get('/stats/targets', async (_req, res) => {
    res.json(await targets(config));
  });

  // While the demo world loads in the background, the pages show how far it is.
  router.get('/stats/demo-world', async (_req, res) => {
    res.json(await demoWorldStatus());
  });

  return router;
}

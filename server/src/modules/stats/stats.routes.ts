import { Router } from 'express';
import { operations } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { operationRouter } from '../../platform/http/operations';
import { demoWorldStatus } from './demo-world';
import { targets } from './stats.service';

const ops = operations.stats;

export function statsRouter({ auth, config }: AppDeps): Router {
  const router = Router();
  const { on } = operationRouter(router, auth, config);

  on(ops.targets, () => targets(config));
  // While the demo world loads in the background, the pages show how far it is.
  on(ops.demoWorld, () => demoWorldStatus());
  return router;
}

import { Router } from 'express';
import type { AppDeps } from '../../app';

export function disclosuresRouter(_deps: AppDeps): Router {
  const router = Router();
  return router;
}

import { Router } from 'express';
import type { AppDeps } from '../../app';

export function statsRouter(_deps: AppDeps): Router {
  const router = Router();
  return router;
}

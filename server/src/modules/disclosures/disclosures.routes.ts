import { Router } from 'express';
import { operations } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { operationRouter } from '../../platform/http/operations';
import { AppError } from '../../platform/errors';
import { disclosure } from './disclosures.service';

const FIRST_YEAR = 2020;
const LAST_YEAR = 2100;

/** The year of the path: four digits within FIRST_YEAR..LAST_YEAR; anything else is 400 (not a year we disclose). */
function yearParam(raw: string): number {
  const year = /^\d{4}$/.test(raw) ? Number(raw) : NaN;
  if (!(year >= FIRST_YEAR && year <= LAST_YEAR)) {
    throw new AppError('validation', 400, `The year must be ${FIRST_YEAR}..${LAST_YEAR}`, {
      errors: [{ path: 'params.year', message: `must be a year from ${FIRST_YEAR} to ${LAST_YEAR}` }],
    });
  }
  return year;
}

/** 年度披露: public, one year's disclosure per authorization. */
export function disclosuresRouter({ auth, config }: AppDeps): Router {
  const router = Router();
  const { on } = operationRouter(router, auth, config);
  on(operations.stats.disclosure, ({ params }) => disclosure(yearParam(params.year)));
  return router;
}

import { Router } from 'express';
import { z } from 'zod';
import { OrgSuggestQuery, SupervisionExportQuery, SupervisionQuery } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { principal, requireRole } from '../../platform/http/auth';
import { parsed, validate } from '../../platform/http/validate';
import { ledgerEntryDetail } from './entry.service';
import { exportRows, writeViewCsv, writeViewXlsx } from './supervision.export';
import { suggestOrgs, supervisionReport } from './supervision.service';

const SeqParams = z.strictObject({ seq: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * 监管视图 for regulators (and exchange staff, who may read the ledger too): figures derived from the
 * ledger, their CSV/XLSX exports, organisation suggestions for the filters, and the drill-down
 * from a ledger entry to the records it names. Nothing here writes.
 */
export function supervisionRouter({ auth }: AppDeps): Router {
  const router = Router();
  const auditors = [auth.requireAuth, requireRole('regulator', 'exchange')];

  router.get('/supervision/report', ...auditors, validate({ query: SupervisionQuery }), async (_req, res) => {
    res.json(await supervisionReport(parsed(res, 'query', SupervisionQuery)));
  });

  router.get('/supervision/export', ...auditors, validate({ query: SupervisionExportQuery }), async (_req, res) => {
    const { view, format, ...q } = parsed(res, 'query', SupervisionExportQuery);
    const report = await supervisionReport(q);
    const name = `zdec-supervision-${view}-seq${report.basis.headSeq}.${format}`;
    res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : XLSX);
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    res.setHeader('Cache-Control', 'no-store');
    // What the client's progress counts against, and which ledger head the figures come from.
    res.setHeader('X-Export-Rows', String(exportRows(report, view).length));
    res.setHeader('X-Ledger-Head-Seq', String(report.basis.headSeq));
    res.setHeader('Access-Control-Expose-Headers', 'X-Export-Rows, X-Ledger-Head-Seq');
    if (format === 'csv') await writeViewCsv(report, view, res);
    else await writeViewXlsx(report, view, res);
    res.end();
  });

  router.get('/supervision/orgs', ...auditors, validate({ query: OrgSuggestQuery }), async (_req, res) => {
    res.json(await suggestOrgs(parsed(res, 'query', OrgSuggestQuery).q));
  });

  router.get('/supervision/entries/:seq', ...auditors, validate({ params: SeqParams }), async (req, res) => {
    res.json(await ledgerEntryDetail(principal(req), parsed(res, 'params', SeqParams).seq));
  });

  return router;
}

import { Router } from 'express';
import { operations } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { operationRouter } from '../../platform/http/operations';
import { ledgerEntryDetail } from './entry.service';
import { exportRows, writeViewCsv, writeViewXlsx } from './supervision.export';
import { suggestOrgs, supervisionReport } from './supervision.service';

const ops = operations.supervision;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * 监管视图 for regulators (and exchange staff, who may read the ledger too): figures derived from the
 * ledger, their CSV/XLSX exports, organisation suggestions for the filters, and the drill-down
 * from a ledger entry to the records it names. Nothing here writes.
 */
export function supervisionRouter({ auth, config }: AppDeps): Router {
  const router = Router();
  const { on } = operationRouter(router, auth, config);

  on(ops.report, ({ query }) => supervisionReport(query));
  on(ops.export, async ({ query }, _req, res) => {
    const { view, format, ...q } = query;
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
  on(ops.orgs, ({ query }) => suggestOrgs(query.q));
  on(ops.entry, ({ user, params }) => ledgerEntryDetail(user, params.seq));
  return router;
}

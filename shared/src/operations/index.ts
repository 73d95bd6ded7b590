import { accountOperations } from './accounts';
import { authorizationOperations } from './authorizations';
import { deliveryOperations } from './delivery';
import { ledgerOperations } from './ledger';
import { listingOperations } from './listings';
import { notificationOperations } from './notifications';
import { productOperations } from './products';
import { receiptOperations } from './receipts';
import { resourceOperations } from './resources';
import { sandboxOperations } from './sandbox';
import { statsOperations } from './stats';
import { supervisionOperations } from './supervision';
import { tradeOperations } from './trade';
import type { Operation } from './define';

export * from './define';
export * from './views';
export * from './accounts';
export * from './authorizations';
export * from './delivery';
export * from './ledger';
export * from './listings';
export * from './notifications';
export * from './products';
export * from './receipts';
export * from './resources';
export * from './sandbox';
export * from './stats';
export * from './supervision';
export * from './trade';

/**
 * The registry: every operation of the HTTP API, by module. The server mounts exactly these (a test
 * checks both ways), the OpenAPI document is built from them and the client calls them.
 */
export const operations = {
  accounts: accountOperations,
  resources: resourceOperations,
  authorizations: authorizationOperations,
  listings: listingOperations,
  trade: tradeOperations,
  delivery: deliveryOperations,
  notifications: notificationOperations,
  products: productOperations,
  stats: statsOperations,
  sandbox: sandboxOperations,
  ledger: ledgerOperations,
  receipts: receiptOperations,
  supervision: supervisionOperations,
} as const;

/** Every operation, in registry order. */
export const allOperations: Operation[] = Object.values(operations).flatMap(
  (group) => Object.values(group) as Operation[],
);

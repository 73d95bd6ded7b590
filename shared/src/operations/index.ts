import { accountOperations } from './accounts';
import { authorizationOperations } from './authorizations';
import { deliveryOperations } from './delivery';
import { listingOperations } from './listings';
import { notificationOperations } from './notifications';
import { productOperations } from './products';
import { resourceOperations } from './resources';
import { statsOperations } from './stats';
import { tradeOperations } from './trade';
import type { Operation } from './define';

export * from './define';
export * from './views';
export * from './accounts';
export * from './authorizations';
export * from './delivery';
export * from './listings';
export * from './notifications';
export * from './products';
export * from './resources';
export * from './stats';
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
} as const;

/** Every operation, in registry order. */
export const allOperations: Operation[] = Object.values(operations).flatMap(
  (group) => Object.values(group) as Operation[],
);

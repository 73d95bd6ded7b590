export * from './common';
export * from './messages';
export * from './auth';
export * from './resources';
export * from './authorizations';
export * from './listings';
export * from './orders';
export * from './ledger';
// buyer dossier, watch list and supervision views (issue 16 items 1–2)
export * from './products';
export * from './supervision';
export * from './sandbox';
export * from './registration';
export * from './applications';
// buyers' refund requests (issue 16 item 5)
export * from './refunds';

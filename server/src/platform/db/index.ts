/**
 * The database seam: the only code that knows which engine the platform talks to (MongoDB, or
 * FerretDB v1 on SQLite, the embedded default) and does each thing the modules need the fastest
 * correct way on each:
 *
 * | need                         | here                              | MongoDB                     | FerretDB v1 (SQLite)                          |
 * | ---------------------------- | --------------------------------- | --------------------------- | --------------------------------------------- |
 * | claim once by unique key     | `claimOnce`                       | insert, unique index        | insert, unique index (enforced by SQLite)     |
 * | compare-and-set a state      | `compareAndSet`                   | one conditional `updateOne` | `_id` read, decide, `_id` write (after a claim decided) |
 * | several documents by `_id`    | `findByIds`                       | one `$in` query             | one `_id` read each, in parallel              |
 * | write if it still matches    | `updateIf`, `writeFilter`         | the filter itself           | `_id` read, filter evaluated in code (sift), `_id` write |
 * | is this a duplicate key?     | `isDuplicateKey`                  | code 11000                  | 11000 on insert; code 1 + E11000 text in an update |
 * | counts                       | `headOf` (a sequence's length)    | indexed `countDocuments`    | the head of the list's sequence               |
 * | lists without a scan         | `appendOnce`, `newestPage`, `headOf` | declared indexes            | `_id`-keyed append-only sequences             |
 * | may I filter/sort/count?     | `hasIndexedQueries`               | yes                         | no: only `{_id}` is handed to storage         |
 *
 * Exactly-once never rests on an update: no conditional update is atomic on FerretDB (50 racing
 * `$inc` left 1–2; racing `findOneAndUpdate({_id, state})` all won). It rests on inserting a
 * document whose unique key names the one-time step. The claim collections and why each exists:
 *
 * 1. `order_transitions` (`_id`/`key` = `<orderId>:resolution` | `<orderId>:refund`): an order is
 *    settled or cancelled once, refunded once; the insert carries the ledger event in its outbox.
 * 2. `listingdecisions` (`listingId + round`): one review decision per submission round, so two
 *    reviewers cannot both approve or approve-and-reject.
 * 3. `listingcodes` (`listingId`): a listing gets one public code (ZDEC-yyyy-nnnnnn), ever.
 * 4. `resourceregistrations` (`resourceId`, `number`): a resource is registered once, with one number.
 * 5. `delivery_usage` (`key` = `<entitlement>#<n>`): the n-th download or API call of an
 *    entitlement is claimed once, so a quota is never exceeded by racing requests.
 * 6. `sequence_claims` (`_id` = `<name>#<n>`): every number of a named sequence (order numbers,
 *    certificate numbers) is handed out once (platform/counters.ts).
 * 7. `refund_requests_open` (`_id` = the order's id) and `refund_request_decisions` (`_id` = the
 *    request's id): at most one open refund request per order, and one decision on each
 *    (trade/refund-request.model.ts).
 *
 * Beside them, the ledger's own unique `seq` and `(type, ref)` and the processed Stripe events'
 * unique event id make appends and webhook deliveries idempotent in the same way.
 */
export { engineOf, hasIndexedQueries, type Engine } from './engine';
export { isDuplicateKey, onlyDuplicateKeys } from './errors';
export { claimOnce, compareAndSet, findByIds, raiseTo, updateIf, writeFilter } from './claims';
export {
  appendOnce,
  BulkSequences,
  headOf,
  membersAt,
  newestPage,
  SequenceMemberModel,
  type Member,
} from './sequences';

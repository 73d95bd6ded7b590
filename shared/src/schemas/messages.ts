/**
 * The messages the shared schemas give beyond zod's own, each under a stable code. A problem's
 * field error carries the code (`errors[].code`) next to the English message, and the client
 * translates by the code; zod's own issues carry zod's issue code (`too_small`, `invalid_type`, …).
 */
export const FIELD_MESSAGES = {
  email: 'must be an e-mail address',
  password: 'at least 10 characters',
  creditCodeLength: 'a unified social credit code has 18 characters',
  creditCode: 'not a valid unified social credit code (GB 32100-2015 check character)',
  objectId: 'must be a 24-character hex id',
  regionCode: 'a six-digit administrative division code',
  periodDays: 'a subscription needs periodDays',
  rejectReason: 'a rejection needs at least one reason',
  rejectReasons: 'a rejection needs its reasons',
  validTo: 'must be after validFrom',
  fen: 'must be an integer number of fen',
  listingCode: 'a listing code ZDEC-yyyy-nnnnnn',
  range: 'must not be below from',
} as const;

export type FieldMessageCode = keyof typeof FIELD_MESSAGES;

const CODE_OF = new Map<string, FieldMessageCode>(
  Object.entries(FIELD_MESSAGES).map(([code, message]) => [message, code as FieldMessageCode]),
);

/** The code of a message a shared schema (or a rule built on one) gave; undefined for any other text. */
export function fieldMessageCode(message: string): FieldMessageCode | undefined {
  return CODE_OF.get(message);
}

import { model, Schema } from 'mongoose';
import { isDuplicateKey as isDuplicate } from './db';

const counterSchema = new Schema(
  { _id: { type: String, required: true }, seq: { type: Number, required: true } },
  { versionKey: false },
);
/** Where each sequence was last seen: only a hint of where to start claiming. */
const CounterModel = model('Counter', counterSchema);

const claimSchema = new Schema({ _id: { type: String, required: true } }, { versionKey: false });
/** One document per number ever handed out; its unique `_id` is what makes a number taken. */
const ClaimModel = model('SequenceClaim', claimSchema, 'sequence_claims');

/**
 * The next number of a named sequence (registration numbers, listing codes, order numbers, ...).
 * A number is taken by inserting `<name>#<n>` into a collection whose `_id` is unique, so two
 * callers can never get the same number — on MongoDB and on FerretDB v1 alike (FerretDB's
 * read-modify-write updates lose concurrent `$inc`s, unique inserts it does enforce). The counter
 * document only says where to start looking. A gap appears only if a caller takes a number and
 * then fails, which is acceptable for certificates and codes (the ledger's seq does not use this).
 */
export async function nextSequence(name: string): Promise<number> {
  let n = (await CounterModel.findById(name, { seq: 1 }).lean())?.seq ?? 0;
  for (let attempt = 0; attempt < 10_000; attempt++) {
    n += 1;
    try {
      await ClaimModel.create({ _id: `${name}#${n}` });
    } catch (err) {
      if (!isDuplicate(err)) throw err;
      if (attempt % 8 === 7) {
        // Many others are claiming too: jump to the latest hint instead of walking one by one.
        n = Math.max(n, (await CounterModel.findById(name, { seq: 1 }).lean())?.seq ?? 0);
      }
      continue;
    }
    await CounterModel.updateOne({ _id: name }, { $max: { seq: n } }, { upsert: true }).catch((err: unknown) => {
      if (!isDuplicate(err)) throw err; // two first-ever upserts raced: the hint is set either way
    });
    return n;
  }
  throw new Error(`sequence ${name}: no free number found`);
}

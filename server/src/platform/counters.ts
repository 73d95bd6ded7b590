import { model, Schema } from 'mongoose';

const counterSchema = new Schema(
  { _id: { type: String, required: true }, seq: { type: Number, required: true } },
  { versionKey: false },
);
const CounterModel = model('Counter', counterSchema);

/**
 * The next number of a named sequence (registration numbers, listing codes, ...), allocated by one
 * atomic `$inc`, so concurrent callers never get the same number. Numbers are never reused; a gap
 * appears only if a caller takes a number and then fails, which is acceptable for certificates and
 * codes (the ledger's own seq does not use this).
 */
export async function nextSequence(name: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      const doc = await CounterModel.findOneAndUpdate(
        { _id: name },
        { $inc: { seq: 1 } },
        { upsert: true, new: true },
      ).lean();
      return doc!.seq;
    } catch (err) {
      // Two first-ever upserts can race on the _id; the loser simply tries again.
      if ((err as { code?: unknown }).code !== 11000 || attempt > 3) throw err;
    }
  }
}

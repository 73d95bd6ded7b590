import { model, Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { EXCHANGE_DUTIES, ROLES } from '@zdec/shared';
import { jsonView } from '../../platform/mongo';
import { now } from '../../platform/clock';

const userSchema = new Schema(
  {
    email: { type: String, required: true, unique: true, lowercase: true, trim: true },
    passwordHash: { type: String, required: true },
    displayName: { type: String, required: true, trim: true, maxlength: 80 },
    role: { type: String, required: true, enum: ROLES },
    orgId: { type: Schema.Types.ObjectId, ref: 'Org', required: true, index: true },
    active: { type: Boolean, required: true, default: true },
    /** Exchange staff: review or clearing (separation of duties); older exchange users without one review. */
    duty: { type: String, enum: EXCHANGE_DUTIES },
    /** In every token as `ver`; raised by logout, a password change and deactivation, which ends older tokens. */
    tokenVersion: { type: Number, required: true, default: 0 },
  },
  { timestamps: { currentTime: now } },
);
jsonView(userSchema, ['passwordHash']);

export type User = InferSchemaType<typeof userSchema>;
export type UserDoc = HydratedDocument<User>;
export const UserModel = model('User', userSchema);

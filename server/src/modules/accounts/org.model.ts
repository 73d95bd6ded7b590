import { model, Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { jsonView } from '../../platform/mongo';
import { now } from '../../platform/clock';

const orgSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 100 },
    /** 统一社会信用代码, GB 32100-2015, validated before it gets here. */
    creditCode: { type: String, required: true, unique: true, match: /^[0-9A-Z]{18}$/ },
  },
  { timestamps: { currentTime: now } },
);
jsonView(orgSchema);

export type Org = InferSchemaType<typeof orgSchema>;
export type OrgDoc = HydratedDocument<Org>;
export const OrgModel = model('Org', orgSchema);

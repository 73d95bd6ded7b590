import { model, Schema, type HydratedDocument, type InferSchemaType, type Types } from 'mongoose';
import { DELIVERY_MODES, GRADES, ORDER_STATUSES, PAYMENT_METHODS, PRICING_MODELS, PRODUCT_TYPES } from '@zdec/shared';
import { now } from '../../platform/clock';
import { jsonView } from '../../platform/mongo';

/** What the listing was when it was ordered: later edits or re-pricing never change an order. */
const snapshotSchema = new Schema(
  {
    title: { type: String, required: true },
    productType: { type: String, required: true, enum: PRODUCT_TYPES },
    grade: { type: String, required: true, enum: GRADES },
    deliveryMode: { type: String, required: true, enum: DELIVERY_MODES },
    pricing: {
      type: new Schema(
        {
          model: { type: String, required: true, enum: PRICING_MODELS },
          priceFen: { type: Number, required: true, min: 0 },
          unit: { type: String },
          periodDays: { type: Number },
        },
        { _id: false },
      ),
      required: true,
    },
  },
  { _id: false },
);

/** How the order was actually paid (the method that won settlement, which may differ from the one chosen). */
const paymentSchema = new Schema(
  {
    method: { type: String, required: true, enum: [...PAYMENT_METHODS, 'none'] },
    receivedFen: { type: Number, required: true, min: 0 },
    paymentIntentId: { type: String },
    eventId: { type: String },
    bankReference: { type: String },
    confirmedBy: { type: Schema.Types.ObjectId, ref: 'User' },
  },
  { _id: false },
);

const refundSchema = new Schema(
  {
    method: { type: String, required: true, enum: [...PAYMENT_METHODS, 'none'] },
    amountFen: { type: Number, required: true, min: 0 },
    reason: { type: String, required: true },
    stripeRefundId: { type: String },
    bankReference: { type: String },
    by: { type: Schema.Types.ObjectId, ref: 'User' },
    at: { type: Date, required: true },
  },
  { _id: false },
);

/** Something exchange staff must look at (a Stripe amount that does not match, a duplicate payment, ...). */
const flagSchema = new Schema(
  {
    reason: { type: String, required: true },
    detail: { type: String },
    eventId: { type: String },
    at: { type: Date, required: true },
  },
  { _id: false },
);

/**
 * Order (SPEC section 4): a buyer organisation's purchase of a listed product. Its status changes
 * are decided by the order's transitions (order-transition.model.ts) and applied here.
 */
const orderSchema = new Schema(
  {
    /** ORD-<yyyy>-<6-digit seq>; also the reference (附言) of a bank transfer. */
    number: { type: String, required: true },
    buyerOrgId: { type: Schema.Types.ObjectId, ref: 'Org', required: true, index: true },
    buyerUserId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    providerOrgId: { type: Schema.Types.ObjectId, ref: 'Org', required: true, index: true },
    listingId: { type: Schema.Types.ObjectId, ref: 'Listing', required: true, index: true },
    listingCode: { type: String, required: true },
    /** Absent for a product of the provider's own enterprise data. */
    authorizationId: { type: Schema.Types.ObjectId, ref: 'Authorization' },
    snapshot: { type: snapshotSchema, required: true },
    quantity: { type: Number, required: true, min: 1 },
    /** What the entitlement will grant, fixed when the order is placed (see orders.service `entitlementTerms`). */
    terms: {
      type: new Schema(
        {
          downloadLimit: { type: Number, min: 1 },
          callQuota: { type: Number, min: 1 },
          validDays: { type: Number, min: 1 },
        },
        { _id: false },
      ),
      required: true,
    },
    /** snapshot.pricing.priceFen × quantity, computed by the server. */
    amountFen: { type: Number, required: true, min: 0, validate: Number.isSafeInteger },
    currency: { type: String, required: true, enum: ['cny'], default: 'cny' },
    /** The method the buyer chose; `payment.method` is how it was actually settled. */
    paymentMethod: { type: String, required: true, enum: PAYMENT_METHODS },
    status: { type: String, required: true, enum: ORDER_STATUSES, default: 'pending_payment', index: true },
    /** The buyer's Idempotency-Key (a generated one when none was sent) and the SHA-256 of the request body. */
    idempotencyKey: { type: String, required: true },
    requestHash: { type: String, required: true },
    paymentIntentId: { type: String, index: true },
    payment: { type: paymentSchema },
    lastPaymentError: {
      type: new Schema(
        { code: { type: String }, message: { type: String }, eventId: { type: String }, at: { type: Date } },
        { _id: false },
      ),
    },
    /** Every flag ever raised, oldest first: appended, never overwritten (issue 12 #8). */
    flags: { type: [flagSchema], default: undefined },
    /** The latest of `flags`, for readers that show one. */
    flag: { type: flagSchema },
    refund: { type: refundSchema },
    paidAt: { type: Date },
    deliveredAt: { type: Date },
    cancelledAt: { type: Date },
    cancelledBy: { type: Schema.Types.ObjectId, ref: 'User' },
    refundedAt: { type: Date },
  },
  { timestamps: { currentTime: now } },
);
orderSchema.index({ buyerUserId: 1, idempotencyKey: 1 }, { unique: true });
orderSchema.index({ number: 1 }, { unique: true });
orderSchema.index({ createdAt: -1 });
jsonView(orderSchema, ['requestHash', 'idempotencyKey']);

export type Order = InferSchemaType<typeof orderSchema>;
export type OrderDoc = HydratedDocument<Order>;
export type LeanOrder = Order & { _id: Types.ObjectId };
export const OrderModel = model('Order', orderSchema);

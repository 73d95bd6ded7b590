import { z } from 'zod';
import { EXCHANGE_DUTIES, ROLES, SELF_REGISTER_ROLES } from '../constants';
import { isValidCreditCode } from '../credit-code';
import { FIELD_MESSAGES } from './messages';

export const Email = z.string().trim().toLowerCase().max(254).pipe(z.email(FIELD_MESSAGES.email));
export const Password = z.string().min(10, FIELD_MESSAGES.password).max(128);
export const CreditCode = z
  .string()
  .trim()
  .toUpperCase()
  .length(18, FIELD_MESSAGES.creditCodeLength)
  .refine(isValidCreditCode, FIELD_MESSAGES.creditCode);

export const OrgInput = z.strictObject({
  name: z.string().trim().min(2).max(100),
  creditCode: CreditCode,
});

export const RegisterBody = z.strictObject({
  email: Email,
  password: Password,
  displayName: z.string().trim().min(1).max(80),
  role: z.enum(SELF_REGISTER_ROLES),
  org: OrgInput,
});
export type RegisterBody = z.infer<typeof RegisterBody>;

export const LoginBody = z.strictObject({
  email: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(128),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const AdminCreateUserBody = z
  .strictObject({
    email: Email,
    password: Password,
    displayName: z.string().trim().min(1).max(80),
    role: z.enum(ROLES),
    /** Exchange staff only: review (compliance) or clearing; `review` when left out. */
    duty: z.enum(EXCHANGE_DUTIES).optional(),
    org: OrgInput,
  })
  .refine((b) => b.duty === undefined || b.role === 'exchange', {
    path: ['duty'],
    message: 'only exchange staff have a duty',
  });
export type AdminCreateUserBody = z.infer<typeof AdminCreateUserBody>;

/** `POST /auth/password`: the current password, and a new one (also checked against common passwords). */
export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(128),
  newPassword: Password,
});
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;

export const UserIdParams = z.strictObject({ id: z.string().regex(/^[a-f0-9]{24}$/i, 'a user id') });

export interface OrgView {
  id: string;
  name: string;
  creditCode: string;
}
export interface UserView {
  id: string;
  email: string;
  displayName: string;
  role: (typeof ROLES)[number];
  /** Exchange staff: their one duty (separation of duties). */
  duty?: (typeof EXCHANGE_DUTIES)[number];
  org: OrgView;
}
/** `POST /auth/register` (202): the same whether or not the address already has an account; sign in next. */
export interface RegisterAccepted {
  status: 'accepted';
  message: string;
}
export interface AuthResponse {
  token: string;
  user: UserView;
}

/** `GET /orgs`: look organisations up by credit code or by a comma-separated list of ids (≤ 100). */
export const OrgLookupQuery = z
  .strictObject({
    creditCode: z.string().trim().toUpperCase().length(18).optional(),
    ids: z
      .string()
      .regex(/^[a-f0-9]{24}(,[a-f0-9]{24}){0,99}$/i, 'comma-separated ids, at most 100')
      .optional(),
  })
  .refine((q) => (q.creditCode === undefined) !== (q.ids === undefined), {
    message: 'give either creditCode or ids',
  });
export type OrgLookupQuery = z.infer<typeof OrgLookupQuery>;

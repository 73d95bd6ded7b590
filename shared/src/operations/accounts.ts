import { z } from 'zod';
import { EXCHANGE_DUTIES, ROLES } from '../constants';
import {
  AdminCreateUserBody,
  ChangePasswordBody,
  LoginBody,
  OrgLookupQuery,
  RegisterBody,
  UserIdParams,
} from '../schemas/auth';
import { EmptyBody } from '../schemas/common';
import { operation } from './define';
import { Id } from './views';

export const OrgReply = z.object({ id: Id, name: z.string(), creditCode: z.string() });
export const UserReply = z.object({
  id: Id,
  email: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  duty: z.enum(EXCHANGE_DUTIES).optional(),
  org: OrgReply,
});
export const AuthReply = z.object({ token: z.string().min(1), user: UserReply });

/** Accounts and organisations: registration, sessions, the admin's user management. */
export const accountOperations = {
  register: operation({
    method: 'post',
    path: '/auth/register',
    tag: 'accounts',
    summary:
      'Self-register a buyer or provider with its organisation; 202 whether or not the e-mail already has an account (then sign in)',
    access: 'public',
    body: RegisterBody,
    reply: {
      json: z.object({ status: z.literal('accepted'), message: z.string() }),
      status: 202,
    },
  }),
  login: operation({
    method: 'post',
    path: '/auth/login',
    tag: 'accounts',
    summary: 'Sign in',
    access: 'public',
    body: LoginBody,
    reply: { json: AuthReply },
  }),
  logout: operation({
    method: 'post',
    path: '/auth/logout',
    tag: 'accounts',
    summary: 'Sign out: ends every token of the caller (all devices)',
    access: 'signed-in',
    body: EmptyBody,
    reply: { empty: true, status: 204 },
  }),
  changePassword: operation({
    method: 'post',
    path: '/auth/password',
    tag: 'accounts',
    summary:
      "Change the password (common and breached passwords refused); ends the caller's other tokens, returns a new one",
    access: 'signed-in',
    body: ChangePasswordBody,
    reply: { json: AuthReply },
  }),
  me: operation({
    method: 'get',
    path: '/auth/me',
    tag: 'accounts',
    summary: 'The signed-in user and organisation',
    access: 'signed-in',
    reply: { json: UserReply },
  }),
  lookupOrgs: operation({
    method: 'get',
    path: '/orgs',
    tag: 'accounts',
    summary: 'Look organisations up by credit code or ids',
    access: 'signed-in',
    query: OrgLookupQuery,
    reply: { json: z.object({ items: z.array(OrgReply) }) },
  }),
  createUser: operation({
    method: 'post',
    path: '/admin/users',
    tag: 'accounts',
    summary: 'Create a user of any role',
    access: { roles: ['admin'] },
    body: AdminCreateUserBody,
    reply: { json: UserReply, status: 201 },
  }),
  deactivateUser: operation({
    method: 'post',
    path: '/admin/users/{id}/deactivate',
    tag: 'accounts',
    summary: "Deactivate a user: no sign-in, and the user's tokens end at once",
    access: { roles: ['admin'] },
    params: UserIdParams,
    body: EmptyBody,
    reply: { json: UserReply.extend({ active: z.literal(false) }) },
  }),
};

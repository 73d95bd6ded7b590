import crypto from 'node:crypto';
import bcrypt from 'bcryptjs';
import { withCreditCodeCheck, type ExchangeDuty, type Role } from '@zdec/shared';
import type { Config } from '../../server/src/config';
import { signToken } from '../../server/src/platform/http/auth';
import { OrgModel, type OrgDoc } from '../../server/src/modules/accounts/org.model';
import { UserModel, type UserDoc } from '../../server/src/modules/accounts/user.model';

const CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A random, valid unified social credit code of a Henan enterprise (91 + 41xxxx + 9 + check). */
export function randomCreditCode(): string {
  let body = '';
  for (let i = 0; i < 9; i++) body += CODE_CHARS[crypto.randomInt(CODE_CHARS.length)];
  return withCreditCodeCheck(`91410100${body}`);
}

let counter = 0;
export const uniqueEmail = (role: string) => `${role}-${Date.now()}-${++counter}@example.cn`;
export const TEST_PASSWORD = 'correct-horse-battery';
const passwordHash = bcrypt.hashSync(TEST_PASSWORD, 4);

export interface Actor {
  user: UserDoc;
  org: OrgDoc;
  token: string;
  /** `Bearer <token>` for the Authorization header */
  auth: string;
}

/** A user of the given role in a new (or the given) organisation, with a real signed token. */
export async function makeActor(
  config: Config,
  role: Role,
  opts: { org?: OrgDoc; orgName?: string; duty?: ExchangeDuty } = {},
): Promise<Actor> {
  const org =
    opts.org ??
    (await OrgModel.create({ name: opts.orgName ?? `${role} 测试机构 ${++counter}`, creditCode: randomCreditCode() }));
  const user = await UserModel.create({
    email: uniqueEmail(role),
    passwordHash,
    displayName: `${role} user`,
    role,
    ...(role === 'exchange' ? { duty: opts.duty ?? 'review' } : {}),
    orgId: org._id,
  });
  const token = signToken(config, { id: user.id, role, orgId: org.id });
  return { user, org, token, auth: `Bearer ${token}` };
}

import bcrypt from 'bcryptjs';
import type {
  AdminCreateUserBody,
  LoginBody,
  OrgLookupQuery,
  OrgView,
  RegisterAccepted,
  RegisterBody,
  ChangePasswordBody,
  ExchangeDuty,
  Role,
  UserView,
} from '@zdec/shared';
import type { Config } from '../../config';
import { AppError, conflict, notFound, unprocessable } from '../../platform/errors';
import { exchangeDuty, signToken } from '../../platform/http/auth';
import type { Logger } from '../../platform/logger';
import { escapeRegExp } from '../../platform/mongo';
import type { Principal } from '../../platform/http/auth';
import { OrgModel, type OrgDoc } from './org.model';
import { assertStrongPassword } from './password.policy';
import { UserModel, type UserDoc } from './user.model';
import { isDuplicateKey } from '../../platform/db';

const dummyHashes = new Map<number, string>();
/**
 * Compared against when the e-mail is unknown, at the cost real hashes have (BCRYPT_ROUNDS), so a
 * miss does exactly the work of a wrong password (issue 12 #5). Made once per cost; the router warms it.
 */
export function dummyHash(rounds: number): string {
  let h = dummyHashes.get(rounds);
  if (!h) dummyHashes.set(rounds, (h = bcrypt.hashSync('not-a-real-password', rounds)));
  return h;
}

/**
 * What registration answers whenever the input is valid and the organisation new, whether or not the
 * e-mail address already has an account (issue 12 #5; README "Registration does not confirm addresses").
 */
export const REGISTER_ACCEPTED: RegisterAccepted = {
  status: 'accepted',
  message: 'Registration received. Sign in with this e-mail address and your password.',
};

function view(user: UserDoc, org: OrgDoc): UserView {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role as Role,
    ...(user.role === 'exchange' ? { duty: exchangeDuty(user) } : {}),
    org: { id: org.id, name: org.name, creditCode: org.creditCode },
  };
}

async function createUser(
  config: Config,
  input: { email: string; password: string; displayName: string; role: Role; duty?: ExchangeDuty },
  org: OrgDoc,
): Promise<UserDoc> {
  if (await UserModel.exists({ email: input.email }))
    throw conflict('An account with this e-mail already exists', undefined, 'email-taken');
  assertStrongPassword(input.password, 'body.password', [input.email, input.displayName, org.name]);
  const passwordHash = await bcrypt.hash(input.password, config.BCRYPT_ROUNDS);
  return UserModel.create({
    email: input.email,
    passwordHash,
    displayName: input.displayName,
    role: input.role,
    ...(input.role === 'exchange' ? { duty: input.duty ?? 'review' } : {}),
    orgId: org._id,
  });
}

/**
 * Self-registration of a buyer or provider with a new organisation. An organisation that is
 * already registered cannot be joined this way (anyone can read a credit code off a licence);
 * its further users are created by an admin. The answer is the same whether or not the e-mail
 * address already has an account, and so is the work (one hash at the configured cost): an
 * existing account is left untouched and nothing is created for it.
 */
export async function register(config: Config, body: RegisterBody, log?: Logger): Promise<RegisterAccepted> {
  assertStrongPassword(body.password, 'body.password', [body.email, body.displayName, body.org.name]);
  if (await OrgModel.exists({ creditCode: body.org.creditCode })) {
    throw conflict(
      'This organisation is already registered; ask the platform admin to add you to it',
      undefined,
      'org-registered',
    );
  }
  const passwordHash = await bcrypt.hash(body.password, config.BCRYPT_ROUNDS);
  if (await UserModel.exists({ email: body.email })) {
    log?.info({ event: 'register-existing-email' }, 'registration for an e-mail that has an account: nothing created');
    return REGISTER_ACCEPTED;
  }
  const org = await OrgModel.create(body.org);
  try {
    await UserModel.create({
      email: body.email,
      passwordHash,
      displayName: body.displayName,
      role: body.role,
      orgId: org._id,
    });
  } catch (err) {
    await OrgModel.deleteOne({ _id: org._id }); // no user came of it: do not leave an orphan organisation
    if (!isDuplicateKey(err)) throw err; // a racing registration took the address
  }
  return REGISTER_ACCEPTED;
}

/** Checks the password; 401 for an unknown e-mail and a wrong password alike. */
export async function login(config: Config, body: LoginBody): Promise<{ token: string; user: UserView }> {
  const user = await UserModel.findOne({ email: body.email }).setOptions({ sanitizeFilter: true });
  const ok = await bcrypt.compare(body.password, user?.passwordHash ?? dummyHash(config.BCRYPT_ROUNDS));
  if (!user || !ok || !user.active) throw new AppError('bad-credentials', 401, 'Wrong e-mail or password');
  if (bcrypt.getRounds(user.passwordHash) !== config.BCRYPT_ROUNDS) {
    // An older hash of another cost would make this account's wrong passwords measurably faster or
    // slower than an unknown address: bring it to the configured cost now that we know the password.
    user.passwordHash = await bcrypt.hash(body.password, config.BCRYPT_ROUNDS);
    await UserModel.updateOne({ _id: user._id }, { $set: { passwordHash: user.passwordHash } });
  }
  const org = await OrgModel.findById(user.orgId);
  if (!org) throw new AppError('bad-credentials', 401, 'Wrong e-mail or password');
  return {
    token: signToken(config, { id: user.id, role: user.role as Role, orgId: org.id, tokenVersion: user.tokenVersion }),
    user: view(user, org),
  };
}

/** Ends every token of the user (all devices): the token version goes up. */
export async function logout(userId: string): Promise<void> {
  await UserModel.updateOne({ _id: userId }, { $inc: { tokenVersion: 1 } });
}

/**
 * Changes the password after checking the current one; every older token of the user ends, and a
 * new token comes back so the session that changed it goes on.
 */
export async function changePassword(
  config: Config,
  userId: string,
  body: ChangePasswordBody,
): Promise<{ token: string; user: UserView }> {
  const user = await UserModel.findById(userId);
  const org = user && (await OrgModel.findById(user.orgId));
  if (!user || !org) throw notFound('User');
  if (!(await bcrypt.compare(body.currentPassword, user.passwordHash))) {
    throw unprocessable('bad-credentials', 'The current password is not right', [
      { path: 'body.currentPassword', message: 'not the current password' },
    ]);
  }
  assertStrongPassword(body.newPassword, 'body.newPassword', [user.email, user.displayName, org.name]);
  const passwordHash = await bcrypt.hash(body.newPassword, config.BCRYPT_ROUNDS);
  const tokenVersion = (user.tokenVersion ?? 0) + 1;
  await UserModel.updateOne({ _id: user._id }, { $set: { passwordHash, tokenVersion } });
  return {
    token: signToken(config, { id: user.id, role: user.role as Role, orgId: org.id, tokenVersion }),
    user: view(user, org),
  };
}

/** An admin deactivates a user: no sign-in, and every token of the user ends at once. */
export async function deactivateUser(userId: string): Promise<UserView & { active: boolean }> {
  const user = await UserModel.findById(userId);
  const org = user && (await OrgModel.findById(user.orgId));
  if (!user || !org) throw notFound('User');
  await UserModel.updateOne({ _id: user._id }, { $set: { active: false }, $inc: { tokenVersion: 1 } });
  return { ...view(user, org), active: false };
}

/** The calling user with their organisation. */
export async function me(userId: string): Promise<UserView> {
  const user = await UserModel.findById(userId);
  const org = user && (await OrgModel.findById(user.orgId));
  if (!user || !org) throw notFound('User');
  return view(user, org);
}

/** Finds the organisation by credit code, or creates it. */
async function orgFor(input: { name: string; creditCode: string }): Promise<OrgDoc> {
  const existing = await OrgModel.findOne({ creditCode: input.creditCode });
  if (existing) return existing;
  try {
    return await OrgModel.create(input);
  } catch (err) {
    const again = await OrgModel.findOne({ creditCode: input.creditCode }); // lost a race to create it
    if (again) return again;
    throw err;
  }
}

/** An admin creates a user of any role; the organisation is joined by credit code or created. */
export async function adminCreateUser(config: Config, body: AdminCreateUserBody): Promise<UserView> {
  const org = await orgFor(body.org);
  const user = await createUser(config, body, org);
  return view(user, org);
}

/** Creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD when that account does not exist yet. */
export async function ensureBootstrapAdmin(config: Config, log: Logger): Promise<void> {
  if (!config.ADMIN_EMAIL || !config.ADMIN_PASSWORD) {
    log.info('ADMIN_EMAIL/ADMIN_PASSWORD not set: no bootstrap admin');
    return;
  }
  if (await UserModel.exists({ email: config.ADMIN_EMAIL })) return;
  const org = await orgFor({ name: config.ADMIN_ORG_NAME, creditCode: config.ADMIN_ORG_CREDIT_CODE });
  try {
    await createUser(
      config,
      { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD, displayName: 'Platform admin', role: 'admin' },
      org,
    );
    log.info({ email: config.ADMIN_EMAIL }, 'bootstrap admin created');
  } catch (err) {
    const duplicate = (err instanceof AppError && err.status === 409) || isDuplicateKey(err);
    if (!duplicate) throw err; // otherwise another instance created it first
  }
}

/**
 * Organisation names for ids seen on orders and ledger entries, or the organisation behind a credit
 * code (an authority granting to an operator). Names and credit codes are public registry facts.
 */
export async function lookupOrgs(q: OrgLookupQuery): Promise<{ items: OrgView[] }> {
  const filter = q.creditCode ? { creditCode: q.creditCode } : { _id: { $in: q.ids!.split(',') } };
  const orgs = await OrgModel.find(filter).limit(100);
  return { items: orgs.map((o) => ({ id: o.id, name: o.name, creditCode: o.creditCode })) };
}

/** An organisation as other modules name it: id, name and unified social credit code. */
export interface OrgSummary {
  id: string;
  name: string;
  creditCode: string;
}

const summary = (o: { _id: unknown; name: string; creditCode: string }): OrgSummary => ({
  id: String(o._id),
  name: o.name,
  creditCode: o.creditCode,
});

/** The organisations with these ids (unknown ids are left out), named. */
export async function orgNamesByIds(ids: string[]): Promise<OrgSummary[]> {
  const orgs = await OrgModel.find({ _id: { $in: ids } }, { name: 1, creditCode: 1 }).lean();
  return orgs.map(summary);
}

/** One organisation, named; null when there is none with this id. */
export async function findOrg(id: unknown): Promise<OrgSummary | null> {
  const o = await OrgModel.findById(String(id), { name: 1, creditCode: 1 }).lean();
  return o ? summary(o) : null;
}

/** The organisation's name, or null when there is none with this id. */
export async function orgName(id: unknown): Promise<string | null> {
  return (await OrgModel.findById(id, { name: 1 }).lean())?.name ?? null;
}

/** Whether an organisation with this id exists. */
export async function orgExists(id: string): Promise<boolean> {
  return (await OrgModel.findById(id, { _id: 1 }).lean()) !== null;
}

/** The organisation an id (24 hex digits) or a unified social credit code names; null when unknown. */
export async function findOrgByIdOrCreditCode(ref: string): Promise<OrgSummary | null> {
  const filter = /^[a-f0-9]{24}$/i.test(ref) ? { _id: ref } : { creditCode: ref };
  const o = await OrgModel.findOne(filter as Record<string, unknown>, { name: 1, creditCode: 1 }).lean();
  return o ? summary(o) : null;
}

/** Up to 10 organisations whose name contains `q` or whose credit code starts with it. */
export async function searchOrgs(q: string): Promise<OrgSummary[]> {
  const text = escapeRegExp(q);
  const docs = await OrgModel.find(
    { $or: [{ name: { $regex: text, $options: 'i' } }, { creditCode: { $regex: `^${text.toUpperCase()}` } }] },
    { name: 1, creditCode: 1 },
  )
    .limit(10)
    .lean();
  return docs.map(summary);
}

/** The active users of these organisations or roles, with what an audience filters them by. */
export async function activeUsersOf(audience: {
  orgIds?: string[];
  roles?: string[];
}): Promise<{ id: string; role: string; duty?: string | null }[]> {
  const or: Record<string, unknown>[] = [];
  if (audience.orgIds?.length) or.push({ orgId: { $in: audience.orgIds } });
  if (audience.roles?.length) or.push({ role: { $in: audience.roles } });
  if (!or.length) return [];
  const users = await UserModel.find({ $or: or, active: true }, { _id: 1, role: 1, duty: 1 }).lean();
  return users.map((u) => ({ id: String(u._id), role: u.role, duty: u.duty }));
}

/**
 * The principal a bearer token of this user and token version stands for; null when the user is
 * unknown, deactivated, or the token's version is no longer theirs (logout, password change).
 */
export async function activePrincipal(userId: string, tokenVersion: number): Promise<Principal | null> {
  const u = await UserModel.findById(userId, {
    role: 1,
    orgId: 1,
    email: 1,
    active: 1,
    tokenVersion: 1,
    duty: 1,
  }).lean();
  if (!u || !u.active || (u.tokenVersion ?? 0) !== tokenVersion) return null;
  return {
    id: String(u._id),
    role: u.role as Role,
    orgId: String(u.orgId),
    email: u.email,
    ...(u.role === 'exchange' ? { duty: exchangeDuty(u) } : {}),
  };
}

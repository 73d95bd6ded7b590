import bcrypt from 'bcryptjs';
import type {
  AdminCreateUserBody,
  LoginBody,
  OrgLookupQuery,
  OrgView,
  RegisterBody,
  Role,
  UserView,
} from '@zdec/shared';
import type { Config } from '../../config';
import { AppError, conflict, notFound } from '../../platform/errors';
import { signToken } from '../../platform/http/auth';
import type { Logger } from '../../platform/logger';
import { OrgModel, type OrgDoc } from './org.model';
import { UserModel, type UserDoc } from './user.model';
import { isDuplicateKey } from '../../platform/db';

/** Compared against when the e-mail is unknown, so a miss costs as long as a wrong password. */
const DUMMY_HASH = bcrypt.hashSync('not-a-real-password', 10);

function view(user: UserDoc, org: OrgDoc): UserView {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role as Role,
    org: { id: org.id, name: org.name, creditCode: org.creditCode },
  };
}

async function createUser(
  config: Config,
  input: { email: string; password: string; displayName: string; role: Role },
  org: OrgDoc,
): Promise<UserDoc> {
  if (await UserModel.exists({ email: input.email })) throw conflict('An account with this e-mail already exists');
  const passwordHash = await bcrypt.hash(input.password, config.BCRYPT_ROUNDS);
  return UserModel.create({
    email: input.email,
    passwordHash,
    displayName: input.displayName,
    role: input.role,
    orgId: org._id,
  });
}

/**
 * Self-registration of a buyer or provider with a new organisation. An organisation that is
 * already registered cannot be joined this way (anyone can read a credit code off a licence);
 * its further users are created by an admin.
 */
export async function register(config: Config, body: RegisterBody): Promise<{ token: string; user: UserView }> {
  if (await UserModel.exists({ email: body.email })) throw conflict('An account with this e-mail already exists');
  if (await OrgModel.exists({ creditCode: body.org.creditCode })) {
    throw conflict('This organisation is already registered; ask the platform admin to add you to it');
  }
  const org = await OrgModel.create(body.org);
  const user = await createUser(config, body, org).catch(async (err: unknown) => {
    await OrgModel.deleteOne({ _id: org._id }); // no user came of it: do not leave an orphan organisation
    throw err;
  });
  return { token: signToken(config, { id: user.id, role: body.role, orgId: org.id }), user: view(user, org) };
}

/** Checks the password; 401 for an unknown e-mail and a wrong password alike. */
export async function login(config: Config, body: LoginBody): Promise<{ token: string; user: UserView }> {
  const user = await UserModel.findOne({ email: body.email }).setOptions({ sanitizeFilter: true });
  const ok = await bcrypt.compare(body.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || !user.active) throw new AppError('bad-credentials', 401, 'Wrong e-mail or password');
  const org = await OrgModel.findById(user.orgId);
  if (!org) throw new AppError('bad-credentials', 401, 'Wrong e-mail or password');
  return {
    token: signToken(config, { id: user.id, role: user.role as Role, orgId: org.id }),
    user: view(user, org),
  };
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

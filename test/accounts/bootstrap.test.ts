import { loadConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/platform/logger';
import { ensureBootstrapAdmin } from '../../server/src/modules/accounts/accounts.service';
import { UserModel } from '../../server/src/modules/accounts/user.model';
import { useTestApp } from '../helpers/app';

const t = useTestApp();

describe('the first admin', () => {
  it('when ADMIN_EMAIL/ADMIN_PASSWORD are set, then the admin is created once and can log in', async () => {
    const config = loadConfig({
      ...process.env,
      ADMIN_EMAIL: 'root@zdec.example.cn',
      ADMIN_PASSWORD: 'bootstrap-pass-1',
    });
    const log = createLogger('silent');
    await Promise.all([ensureBootstrapAdmin(config, log), ensureBootstrapAdmin(config, log)]);
    await ensureBootstrapAdmin(config, log);
    expect(await UserModel.countDocuments({ email: 'root@zdec.example.cn', role: 'admin' })).toBe(1);
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: 'root@zdec.example.cn', password: 'bootstrap-pass-1' })
      .expect(200);
  });
});

import { ConfigError, loadConfig } from '../../server/src/config';

describe('configuration', () => {
  it('when a variable is bad, then loading fails naming it', () => {
    expect(() => loadConfig({ ...process.env, PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ ...process.env, CORS_ORIGINS: 'not a url' })).toThrow(ConfigError);
  });

  it('when production has no JWT_SECRET, then loading fails naming it', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
    delete env.JWT_SECRET;
    expect(() => loadConfig(env)).toThrow(/JWT_SECRET/);
  });

  it('when the JWT secret is too short, then loading fails', () => {
    expect(() => loadConfig({ ...process.env, JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
  });

  it('when the environment is good, then the configuration is frozen', () => {
    const c = loadConfig(process.env);
    expect(Object.isFrozen(c)).toBe(true);
    expect(c.TARGET_LISTINGS).toBe(5000);
    expect(c.TARGET_VOLUME_FEN).toBe(1_000_000_000_000);
  });
});

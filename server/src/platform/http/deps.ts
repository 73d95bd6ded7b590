import type { Config } from '../../config';
import type { Logger } from '../logger';
import type { AuthMiddleware } from './auth';

/**
 * What every router gets: configuration, the logger and the auth middleware. Here, not in app.ts,
 * so that a module's routes do not import the app that mounts them (it made an import cycle of
 * every router through app.ts).
 */
export interface AppDeps {
  config: Config;
  log: Logger;
  auth: AuthMiddleware;
}

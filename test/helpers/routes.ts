interface RouterLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
}

/** `METHOD /path` of every route mounted in the app (paths inside /api/v1 without the prefix). */
export function mountedRoutes(app: { router: { stack: unknown[] } }): string[] {
  return walk(app.router.stack as RouterLayer[]);
}

function walk(stack: RouterLayer[]): string[] {
  return stack.flatMap((layer) => {
    if (layer.route && typeof layer.route.path === 'string') {
      const path = layer.route.path;
      return Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${path}`);
    }
    return layer.handle?.stack ? walk(layer.handle.stack) : [];
  });
}

import fs from 'node:fs';
import path from 'node:path';
import postcss, { type ChildNode, type Container } from 'postcss';

/*
 * The client's style sheets are plain CSS: no rule nests inside another rule. A brace left open by a
 * merge once put every later rule of styles.css (receipts, inbox, tabs …) inside `.sandbox-sql-cell`
 * as CSS nesting, which the browser accepted and applied to nothing; the build and prettier said
 * nothing. This catches that (and a missing brace) in any style sheet under client/src.
 */
const CLIENT_SRC = path.resolve(__dirname, '../../client/src');

function styleSheets(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const at = path.join(dir, d.name);
    if (d.isDirectory()) return styleSheets(at);
    return d.name.endsWith('.css') ? [at] : [];
  });
}

function nestedRules(node: Container, inRule: string | null, found: string[]): string[] {
  node.each((child: ChildNode) => {
    if (child.type === 'rule') {
      if (inRule) found.push(`${child.selector} (line ${child.source?.start?.line}) inside ${inRule}`);
      nestedRules(child, child.selector, found);
    } else if (child.type === 'atrule' && child.nodes) {
      nestedRules(child, inRule, found);
    }
  });
  return found;
}

describe('client style sheets', () => {
  const files = styleSheets(CLIENT_SRC);

  it('when listed, then there are some (the walk finds the sheets)', () => {
    expect(files.map((f) => path.basename(f))).toContain('styles.css');
  });

  it.each(files.map((f) => [path.relative(CLIENT_SRC, f), f]))(
    'when %s is parsed, then it is whole and no rule is nested inside another',
    (_name, file) => {
      const root = postcss.parse(fs.readFileSync(file, 'utf8'), { from: file }); // throws on an unclosed block
      expect(nestedRules(root, null, [])).toEqual([]);
    },
  );
});

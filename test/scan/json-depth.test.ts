import { useTestApp } from '../helpers/app';
import { makeActor, type Actor } from '../helpers/factories';
import { createDraft, storedFileCount, uploadSample } from '../resources/fixtures';
import { idNumber } from '../listings/world';

/* Issue 12, item 7: a JSON sample nested 200,000 arrays deep was a 500 (stack overflow in the scan). */

const t = useTestApp();
let authority: Actor;

beforeAll(async () => {
  authority = await makeActor(t.config, 'authority');
});

const ID = idNumber('41010519900307123');
/** `[{"a": [[…[value]…]]}]` with the value `levels` deep in total (the outer array is level 1). */
const nested = (levels: number, value: string) =>
  Buffer.from(`[{"a":${'['.repeat(levels - 2)}${JSON.stringify(value)}${']'.repeat(levels - 2)}}]`);

describe('deeply nested JSON samples', () => {
  it('when a JSON sample is nested 200,000 arrays deep, then 422 says so and nothing is stored', async () => {
    const id = await createDraft(t, authority);
    const files = await storedFileCount();
    const res = await uploadSample(t, authority, id, nested(200_000, ID), 'deep.json');
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.type).toMatch(/sample-unparseable$/);
    expect(res.body.detail).toMatch(/nested more than 64 levels deep/);
    expect(res.body.at).toEqual({ line: 1, column: 69, depth: 65 });
    expect(await storedFileCount()).toBe(files);
  });

  it('when a JSON sample is nested 64 levels deep, then it is accepted and the value at the bottom is found', async () => {
    const id = await createDraft(t, authority);
    const res = await uploadSample(t, authority, id, nested(64, `证件 ${ID}`), 'deep.json');
    expect(res.status).toBe(200);
    expect(res.body.scan.fields).toMatchObject([{ field: 'a', findings: [{ detector: 'idNumber', matches: 1 }] }]);
  });

  it('when brackets only occur inside strings, then they do not count as nesting', async () => {
    const id = await createDraft(t, authority);
    const res = await uploadSample(
      t,
      authority,
      id,
      Buffer.from(JSON.stringify([{ a: '['.repeat(500) + '"\\' }])),
      'b.json',
    );
    expect(res.status).toBe(200);
  });
});

/* global fetch, FormData, performance */
/*
 * The uploading client of bench/scan-loop.ts, in a process of its own so that building and sending
 * a 10 MB multipart body is not charged to the server's event loop. Creates a resource draft, uploads
 * the file as its sample and prints {status, ms, body} as one JSON line.
 *
 *   node bench/scan-loop-client.cjs <baseUrl> <authorization> <file> <name>
 */
const fs = require('node:fs');

const [baseUrl, auth, file, name] = process.argv.slice(2);

(async () => {
  const created = await fetch(`${baseUrl}/api/v1/resources`, {
    method: 'POST',
    headers: { Authorization: auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      name: '基准测试样例',
      description: '扫描基准',
      holderDepartment: '河南省数据局',
      regionCode: '410000',
      domain: 'meteorology',
      openness: 'conditional',
      fields: [{ name: '备注', type: 'string', description: '' }],
      updateFrequency: 'daily',
      recordCount: 1,
    }),
  });
  const { id } = await created.json();
  const form = new FormData();
  form.append('file', await fs.openAsBlob(file), name);
  const started = performance.now();
  const res = await fetch(`${baseUrl}/api/v1/resources/${id}/sample`, {
    method: 'POST',
    headers: { Authorization: auth },
    body: form,
  });
  const body = await res.json();
  console.log(JSON.stringify({ status: res.status, ms: performance.now() - started, body }));
})().catch((err) => {
  console.error(err);
  process.exit(1);
});

import iconv from 'iconv-lite';
import { ListingModel } from '../../server/src/modules/listings/listing.model';
import { useTestApp } from '../helpers/app';
import { createListing, grant, listingBody, makeResource, makeWorld, upload, type World } from '../listings/world';
import { boughtByTransfer, makeMarket, makeProduct, type Market } from '../trade/fixtures';

/*
 * A GB18030 (GBK) file is stored as uploaded and must be served labelled as what it is: listing
 * samples and deliveries once went out as `charset=utf-8` (three content-type maps, one of which
 * knew GB18030), so a browser or a buyer's tool read them as mojibake.
 */
const t = useTestApp();
let w: World;
let m: Market;
const GBK_CSV = iconv.encode('站点,日期,客流量\r\n郑州东站,2026-01-01,12345\r\n二七广场,2026-01-01,8800\r\n', 'gbk');

beforeAll(async () => {
  w = await makeWorld(t.config);
  m = await makeMarket(t.config);
});

const bytes = (req: ReturnType<typeof t.http.get>) =>
  req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });

describe('files served with their encoding', () => {
  it('when a listing sample was uploaded in GBK, then it is served as text/csv; charset=gb18030, bytes unchanged', async () => {
    const resource = await makeResource(w.authority);
    const auth = await grant(t, w.authority, w.provider, [resource]);
    const l = await createListing(t, w.provider, listingBody([resource], auth.id));
    await upload(t, w.provider, l.id, 'sample', GBK_CSV, '样例.csv');
    const res = await bytes(t.http.get(`/api/v1/listings/${l.id}/sample`).set('Authorization', w.provider.auth));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=gb18030');
    expect(Buffer.compare(res.body as Buffer, GBK_CSV)).toBe(0);
  });

  it('when a deliverable is GBK, then the download is labelled charset=gb18030', async () => {
    const { listing } = await makeProduct(m.provider);
    await ListingModel.updateOne({ _id: listing.id }, { $set: { 'dataFile.encoding': 'gb18030' } });
    const id = await boughtByTransfer(t, m, listing.id);
    const link = await t.http.get(`/api/v1/orders/${id}/delivery`).set('Authorization', m.buyer.auth).expect(200);
    const file = await bytes(t.http.get(new URL(link.body.url as string, 'http://x').pathname));
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('text/csv; charset=gb18030');
  });

  it('when a file is UTF-8, then it stays labelled utf-8', async () => {
    const { listing } = await makeProduct(m.provider);
    const id = await boughtByTransfer(t, m, listing.id);
    const link = await t.http.get(`/api/v1/orders/${id}/delivery`).set('Authorization', m.buyer.auth).expect(200);
    const file = await bytes(t.http.get(new URL(link.body.url as string, 'http://x').pathname));
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
  });
});

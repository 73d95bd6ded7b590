import fs from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { claimText, CLAIM_LABELS, orderedClaims, RECEIPT_TITLES } from '@zdec/shared';
import { AppError } from '../../platform/errors';
import type { IssuedReceipt } from './receipts.service';

interface FontChoice {
  path: string;
  /** The face inside a font collection (.ttc); undefined for a single font file. */
  family?: string;
}

/**
 * The Chinese font embedded in receipts. First Noto Sans SC (思源黑体, SIL OFL) from the npm package
 * @embedpdf/fonts-sc, so `npm install` alone is enough on a machine without CJK system fonts; then
 * the system's WenQuanYi Micro Hei or Noto CJK (Debian fonts-wqy-microhei / fonts-noto-cjk). With
 * none of them the PDF is refused with a 503 that says so, rather than printed with empty boxes.
 */
function findCjkFont(): FontChoice | null {
  const candidates: FontChoice[] = [];
  try {
    const pkg = path.dirname(path.dirname(require.resolve('@embedpdf/fonts-sc')));
    candidates.push({ path: path.join(pkg, 'fonts', 'NotoSansHans-Regular.otf') });
  } catch {
    // package not installed: try the system fonts
  }
  candidates.push(
    { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYi Micro Hei' },
    { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'Noto Sans CJK SC' },
  );
  return candidates.find((c) => fs.existsSync(c.path)) ?? null;
}

let font: (FontChoice & { bytes: Buffer }) | null | undefined;
/** The font, read once per process (8 MB; pdfkit embeds only the glyphs a receipt uses). */
export function cjkFont(): (FontChoice & { bytes: Buffer }) | null {
  if (font === undefined) {
    const f = findCjkFont();
    font = f && { ...f, bytes: fs.readFileSync(f.path) };
  }
  return font;
}

/** The QR code of a receipt as SVG (printable page) and PNG (PDF). */
export async function receiptQrSvg(r: IssuedReceipt): Promise<string> {
  return QRCode.toString(r.verifyUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** The receipt as an A4 PDF with the Chinese font embedded (subset) and the QR code. */
export async function receiptPdf(r: IssuedReceipt): Promise<Buffer> {
  const f = cjkFont();
  if (!f)
    throw new AppError('no-cjk-font', 503, 'No Chinese font is installed for PDF receipts (npm install restores it)');
  const { bundle } = r;
  const title = RECEIPT_TITLES[bundle.receipt];
  const qr = await QRCode.toBuffer(r.verifyUrl, { errorCorrectionLevel: 'M', margin: 2, width: 360 });
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: `${title.zh} ${title.en}`, Producer: 'ZDEC', Creator: 'ZDEC receipts' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.registerFont('cjk', f.bytes, f.family);
  doc.font('cjk');
  doc.fontSize(10).fillColor('#555').text('郑州数据交易中心 · ZDEC data exchange', { align: 'center' });
  doc.moveDown(0.5).fontSize(22).fillColor('#000').text(title.zh, { align: 'center' });
  doc.fontSize(12).fillColor('#333').text(title.en, { align: 'center' });
  doc.moveDown(1);

  const left = 50;
  const valueX = 210;
  for (const [k, v] of orderedClaims(bundle.claims)) {
    const label = CLAIM_LABELS[k] ?? { zh: k, en: k };
    const y = doc.y;
    doc
      .fontSize(9)
      .fillColor('#555')
      .text(`${label.zh} ${label.en}`, left, y, { width: valueX - left - 8 });
    const labelEnd = doc.y;
    doc
      .fontSize(10)
      .fillColor('#000')
      .text(claimText(k, v), valueX, y, { width: 545 - valueX });
    doc.y = Math.max(labelEnd, doc.y) + 4;
  }

  doc.moveDown(1);
  const qrY = doc.y;
  doc.image(qr, left, qrY, { width: 150 });
  const head = bundle.treeHead;
  doc
    .fontSize(9)
    .fillColor('#333')
    .text('扫码或访问以下地址，在浏览器中独立验证本凭证 · Scan or open to verify in your browser:', left + 165, qrY, {
      width: 330,
    })
    .moveDown(0.3)
    .fillColor('#0645ad')
    .text(r.verifyUrl, { width: 330, link: r.verifyUrl })
    .moveDown(0.5)
    .fillColor('#333')
    .text(`凭证摘要 Bundle digest (SHA-256): ${r.digest}`, { width: 330 })
    .moveDown(0.3)
    .text(`签名树头 Signed tree head: size ${head.size}, root ${head.root}, ${head.time}, Ed25519 key ${head.keyId}`, {
      width: 330,
    });
  doc.y = Math.max(doc.y, qrY + 160);
  doc
    .moveDown(1)
    .fontSize(8)
    .fillColor('#777')
    .text(
      '本凭证仅载明持有人可向他人出示的信息。其真实性由台账的 Merkle 包含证明 (RFC 9162) 与交易中心 Ed25519 签名保证，' +
        '任何人无需登录即可验证。 This receipt shows only what its holder may show others; it is proved by a Merkle ' +
        'inclusion proof (RFC 9162) under a tree head signed with the exchange’s published Ed25519 key.',
      left,
      doc.y,
      { width: 495 },
    );
  doc.end();
  return done;
}

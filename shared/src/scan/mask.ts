import { chineseSurname } from './detectors';
import { compactNumber, normalizeText } from './normalize';
import type { DetectorName } from './levels';

function keepEnds(text: string, head: number, tail: number): string {
  const chars = [...text];
  if (chars.length <= head + tail) return '*'.repeat(chars.length);
  return (
    chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(chars.length - tail).join('')
  );
}

/**
 * A value as it may be shown: 4101**********1234 for ID numbers, cards and credit codes,
 * 138****8000, z***@example.cn, 张* / 欧阳**, 豫A***45, coordinates rounded to 2 decimals.
 */
export function maskValue(detector: DetectorName, value: string): string {
  const text = normalizeText(value).trim();
  switch (detector) {
    case 'idNumber':
    case 'bankCard':
    case 'creditCode':
      return keepEnds(compactNumber(text).toUpperCase(), 4, 4);
    case 'mobile': {
      const n = compactNumber(text)
        .replace(/[()]/g, '')
        .replace(/^(?:\+86|0086)/, '');
      return keepEnds(n, 3, 4);
    }
    case 'email': {
      const at = text.lastIndexOf('@');
      return at < 0 ? keepEnds(text, 1, 0) : `${text.slice(0, 1)}***${text.slice(at)}`;
    }
    case 'personName':
      if (/^\p{Script=Han}+$/u.test(text)) return keepEnds(text, chineseSurname(text).length, 0);
      return text
        .split(' ')
        .map((part) => keepEnds(part, 1, 0))
        .join(' ');
    case 'licencePlate':
      return keepEnds(text.replace(/[·•・ -]/g, '').toUpperCase(), 2, 2);
    case 'coordinate':
      return text.replace(/\d+\.\d+/g, (n) => Number(n).toFixed(2));
  }
}

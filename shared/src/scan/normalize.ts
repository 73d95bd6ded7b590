/**
 * NFKC turns full-width digits and letters (０-９, Ａ-Ｚ), full-width punctuation and the ideographic
 * space into their ASCII forms; the various dashes and spaces then become '-' and ' '.
 */
export function normalizeText(value: string): string {
  // NFKC leaves ASCII as it is, and it is the costly step on long values.
  // eslint-disable-next-line no-control-regex
  const text = /^[\u0000-\u007f]*$/.test(value) ? value : value.normalize('NFKC');
  return text.replace(/[\u2010-\u2015\u2212\ufe58\ufe63]/g, '-').replace(/\s/g, ' ');
}

/** A number as written by people ("6222 0212 3456 7890 128", "138-0013-8000") without its spaces and dashes. */
export function compactNumber(value: string): string {
  return normalizeText(value).replace(/[ -]/g, '');
}

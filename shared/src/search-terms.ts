/**
 * Search terms for Chinese and Latin text. MongoDB's `$text` does not segment Chinese and FerretDB
 * has no text index at all, so documents store their terms in a multikey-indexed array and a query
 * asks for `{ terms: { $all: queryTerms(q) } }`.
 *
 * Stored: lower-cased Latin/digit words (NFKC first, so full-width ＡＰＩ becomes api), and for every
 * run of Han characters each single character and each pair of neighbours (bigram).
 * Queried: the same words, and for a Han run of two or more characters its bigrams only (every
 * bigram must occur, which approximates "contains the phrase"); a lone Han character queries its
 * unigram. Latin words match whole words, not prefixes.
 */

/** Most terms stored on one document; the earliest (from the first texts, e.g. the title) are kept. */
export const MAX_STORED_TERMS = 400;
/** Most terms a query asks for; more would only narrow an already specific query. */
export const MAX_QUERY_TERMS = 20;
/** Latin/digit words are cut to this length, the same way when storing and querying. */
const MAX_WORD_LENGTH = 40;

const TOKEN = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])+)/gu;

interface Token {
  han: boolean;
  text: string;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.normalize('NFKC').toLowerCase().matchAll(TOKEN)) {
    if (m[1]) tokens.push({ han: true, text: m[1] });
    else if (m[2]) tokens.push({ han: false, text: [...m[2]].slice(0, MAX_WORD_LENGTH).join('') });
  }
  return tokens;
}

/** Pairs of neighbouring characters; code points, so characters outside the BMP stay whole. */
function bigrams(chars: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

function collect(terms: Iterable<string>, limit: number): string[] {
  const out = new Set<string>();
  for (const t of terms) {
    if (out.size >= limit) break;
    out.add(t);
  }
  return [...out];
}

function* storedTerms(texts: string[]): Generator<string> {
  for (const text of texts) {
    for (const token of tokenize(text ?? '')) {
      if (!token.han) {
        yield token.text;
        continue;
      }
      const chars = [...token.text];
      for (let i = 0; i < chars.length; i++) {
        yield chars[i]!;
        if (i + 1 < chars.length) yield chars[i]! + chars[i + 1]!;
      }
    }
  }
}

/** The distinct terms to store on a document whose searchable texts are `texts` (at most MAX_STORED_TERMS). */
export function searchTerms(...texts: string[]): string[] {
  return collect(storedTerms(texts), MAX_STORED_TERMS);
}

/** The terms a document must ALL have to match query `q` (at most MAX_QUERY_TERMS; empty for a blank query). */
export function queryTerms(q: string): string[] {
  const terms: string[] = [];
  for (const token of tokenize(q ?? '')) {
    const chars = [...token.text];
    if (!token.han || chars.length === 1) terms.push(token.text);
    else terms.push(...bigrams(chars));
  }
  return collect(terms, MAX_QUERY_TERMS);
}

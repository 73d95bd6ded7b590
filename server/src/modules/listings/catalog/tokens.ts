/**
 * Words for the catalog's search engine: Chinese segmented by jieba (@node-rs/jieba, the Rust port
 * of the standard Chinese segmenter, with its bundled dictionary and HMM for unknown words), Latin
 * and digit runs as whole lower-cased words, everything NFKC-normalised first (full-width ＡＰＩ is
 * api).
 *
 * Documents are cut in search mode (`cutForSearch`: a long word also yields its dictionary
 * sub-words, 高速公路 → 高速, 公路, 高速公路). A query is cut in precise mode (`cut`), and each of its
 * words matches either itself or all of its search-mode sub-words, so 气象观测 finds a text where
 * jieba saw 气象 and 观测 apart.
 *
 * Segmentation can split a phrase across a word boundary (洛阳文旅客流 is cut 文/旅客/流, so the
 * word 客流 is not in it). The fallback for that is the catalog's former matching, made exact: a
 * document that contains every phrase of the query as written (`queryPhrases`: its runs of Han
 * characters, and its Latin/digit words) matches too, ranked below every word match. (The former
 * matching asked for every bigram of the phrase in a stored term array, an approximation of this.)
 *
 * Stop words (的, 和, 与, …) are left out of a query's words: they occur in nearly every text and
 * would only cost time (the phrase fallback still sees them).
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';

/** Latin/digit words are cut to this length (as the shared bigram terms do). */
const MAX_WORD_LENGTH = 40;
/** Most words a query asks for; more would only narrow an already specific query. */
export const MAX_QUERY_WORDS = 20;

const WORDY = /[\p{L}\p{N}]/u;

let jieba: Jieba | null = null;
/** The segmenter, loaded on first use (its dictionary takes about half a second to load). */
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

export function normalise(text: string): string {
  return (text ?? '').normalize('NFKC').toLowerCase();
}

function keep(words: string[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    const t = w.trim();
    if (t && WORDY.test(t)) out.push([...t].slice(0, MAX_WORD_LENGTH).join(''));
  }
  return out;
}

/** The words of a document's text (search mode; repeated words stay, for term frequency). */
export function documentWords(text: string): string[] {
  const n = normalise(text);
  return n ? keep(segmenter().cutForSearch(n, true)) : [];
}

/**
 * A query as MiniSearch query tree: every word of the query must match (AND), and a word matches
 * itself or, when search mode splits it further, all of its parts.
 */
export type WordQuery = string | { combineWith: 'AND' | 'OR'; queries: WordQuery[] };

/** Function words that carry no meaning for a catalog search. */
const STOP_WORDS = new Set(
  '的 了 和 与 及 或 等 在 是 对 把 被 从 向 以 为 于 之 其 各 每 该 此 这 那 有 也 并 而 且 a an and the of or for to in on with by'.split(
    ' ',
  ),
);

export function queryWords(q: string): string[] {
  const n = normalise(q);
  if (!n) return [];
  return [...new Set(keep(segmenter().cut(n, true)))].filter((w) => !STOP_WORDS.has(w)).slice(0, MAX_QUERY_WORDS);
}

const PHRASE = /\p{Script=Han}+|(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu;
/** The phrases a document must contain for the fallback match: the query's runs of Han characters and of Latin letters/digits. */
export function queryPhrases(q: string): string[] {
  return [...new Set(normalise(q).match(PHRASE) ?? [])].slice(0, MAX_QUERY_WORDS);
}

export function queryTree(words: string[]): WordQuery {
  return {
    combineWith: 'AND',
    queries: words.map((w) => {
      const parts = [...new Set(keep(segmenter().cutForSearch(w, true)))].filter((p) => p !== w);
      return parts.length > 1 ? { combineWith: 'OR', queries: [w, { combineWith: 'AND', queries: parts }] } : w;
    }),
  };
}

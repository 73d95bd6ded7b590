import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import { unprocessable } from '../../platform/errors';

/*
 * Password policy beyond length (issue 12 #7, OWASP ASVS 2.1.7): a password must not be a common or
 * breached one. zxcvbn-ts estimates the guesses an attacker needs, offline, from the lists it ships:
 * the most common passwords of public breach corpora, common words and names, keyboard patterns,
 * dates and sequences, and leet-speak and suffix variations of all of them. A password is refused
 * below score 3 (under about 10^8 guesses: an online attack or a quick offline one finds it), and
 * the user's own e-mail, name and organisation count as known words. No remote API is asked.
 */
export const MIN_SCORE = 3;

let factory: ZxcvbnFactory | undefined;
function zxcvbn(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  return factory;
}

/** Why the password is refused, or null when it is strong enough. */
export function passwordWeakness(password: string, userInputs: string[] = []): string | null {
  const words = userInputs
    .flatMap((s) => s.toLowerCase().split(/[^a-z0-9\u4e00-\u9fff]+/))
    .filter((w) => w.length >= 3);
  const result = zxcvbn().check(password, words);
  if (result.score >= MIN_SCORE) return null;
  const why = result.feedback.warning ?? 'This password is too easy to guess.';
  return `${why} Choose a longer passphrase of unrelated words (see the password hint)`;
}

/** 422 naming the field when the password is common, breached or built from the user's own details. */
export function assertStrongPassword(password: string, path: string, userInputs: string[] = []): void {
  const weakness = passwordWeakness(password, userInputs);
  if (weakness)
    throw unprocessable('weak-password', 'The password is too easy to guess', [{ path, message: weakness }]);
}
